import Testing

@testable import IAMTiersCore

@Suite struct ActionPatternTests {
    func matches(_ pattern: String, _ action: String) throws -> Bool {
        try ActionPattern(pattern).matches(action)
    }

    @Test func questionMarkMatchesExactlyOneCharacter() throws {
        #expect(try matches("iam:?etRole", "iam:GetRole"))
        #expect(try !matches("iam:?etRole", "iam:etRole"))
        #expect(try !matches("iam:?etRole", "iam:UnsetRole"))
        #expect(try matches("s3:GetObject???", "s3:GetObjectAcl"))
        #expect(try !matches("s3:GetObject???", "s3:GetObjectTagging"))
    }

    @Test func starMatchesAnyRunIncludingNone() throws {
        #expect(try matches("s3:Get*", "s3:Get"))
        #expect(try matches("s3:Get*", "s3:GetObject"))
        #expect(try matches("s3:*Object", "s3:PutObject"))
        #expect(try !matches("s3:*Object", "s3:PutObjectAcl"))
        #expect(try matches("s3:Get*Tagging", "s3:GetObjectVersionTagging"))
        #expect(try !matches("s3:Get*Tagging", "s3:PutObjectTagging"))
        #expect(try matches("s3:*Object*Tag*", "s3:DeleteObjectVersionTagging"))
        #expect(try matches("ec2:*", "ec2:RunInstances"))
        #expect(try !matches("ec2:*", "ec2messages:GetMessages"))
    }

    @Test func matchingIgnoresCase() throws {
        #expect(try matches("EC2:describe*", "ec2:DescribeInstances"))
        #expect(try matches("s3:getobject", "S3:GETOBJECT"))
        #expect(try matches("S3:*OBJECT", "s3:GetObject"))
    }

    @Test func wildcardsCanSpanTheServicePrefix() throws {
        #expect(try matches("*", "iam:PassRole"))
        #expect(try matches("s3*:GetObject", "s3-object-lambda:GetObject"))
        #expect(try matches("*:GetObject", "s3:GetObject"))
        #expect(try !matches("s3*:GetObject", "ec2:GetObject"))
        #expect(try ActionPattern("s3*:GetObject").literalServicePrefix == nil)
        #expect(try ActionPattern("S3:Get*").literalServicePrefix == "s3")
    }

    @Test func invalidPatternsAreRejectedWithAReason() {
        #expect(throws: ActionPattern.ParseError.empty) { try ActionPattern("") }
        #expect(throws: ActionPattern.ParseError.missingServicePrefix("GetObject")) { try ActionPattern("GetObject") }
        #expect(throws: ActionPattern.ParseError.invalidCharacter("s3:Get Object", " ")) {
            try ActionPattern("s3:Get Object")
        }
        #expect(throws: ActionPattern.ParseError.invalidCharacter("s3:Get\u{1b}[31m", "\u{1b}")) {
            try ActionPattern("s3:Get\u{1b}[31m")
        }
    }
}
