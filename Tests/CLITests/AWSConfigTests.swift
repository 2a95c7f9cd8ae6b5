import Foundation
import TestSupport
import Testing

/// `export --format aws-config` checked with botocore, the library the AWS CLI resolves profiles with.
@Suite struct AWSConfigTests {
    static let hasBotocore = (try? run("/usr/bin/env", ["python3", "-c", "import botocore"]).status) == 0

    /// For each profile: the arguments botocore ran credential_process with, or the SSO settings
    /// it resolved (and the error it gives without an SSO sign-in), as one line.
    static let resolve = """
        import json, os, sys, botocore.session, botocore.credentials, botocore.exceptions
        for profile in sys.argv[1:]:
            session = botocore.session.Session(profile=profile)
            config = session.get_scoped_config()
            try:
                credentials = session.get_credentials()
                print(profile, "credentials", credentials.access_key, json.dumps(open(os.environ["ARGS_FILE"]).read().split()))
            except botocore.exceptions.SSOError as error:
                print(profile, "sso", config.get("sso_session"), config.get("sso_account_id"), config.get("sso_role_name"), type(error).__name__)
        """

    func resolved(_ config: String, profiles: [String], in directory: URL) throws -> [String] {
        // A stand-in for saml2aws that records how it was called and hands back credentials.
        let bin = directory.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let args = directory.appendingPathComponent("args").path
        let fake = bin.appendingPathComponent("saml2aws").path
        try """
        #!/bin/sh
        echo "$@" > "\(args)"
        echo '{"Version": 1, "AccessKeyId": "ASIAFAKE", "SecretAccessKey": "x", "SessionToken": "t", "Expiration": "2099-01-01T00:00:00Z"}'
        """.write(toFile: fake, atomically: true, encoding: .utf8)
        chmod(fake, 0o755)
        var environment = ProcessInfo.processInfo.environment
        environment["AWS_CONFIG_FILE"] = config
        environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null"
        environment["ARGS_FILE"] = args
        environment["PATH"] = bin.path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        environment["HOME"] = directory.path  // no SSO token cache
        let result = try run("/usr/bin/env", ["python3", "-c", Self.resolve] + profiles, environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.split(separator: "\n").map(String.init)
    }

    @Test(.enabled(if: hasBotocore, "needs botocore (PyPI; .ci/run installs it with parliament)"))
    func eachSAMLProfileGetsItsRoleAndSessionFromSaml2aws() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let tiers = try exampleTiers(container: "managed", in: directory)
        let out = directory.appendingPathComponent("out").path
        #expect(
            try IAMTiersBinary.run(
                "export", tiers, "--out", out, "--format", "aws-config", "--account-id", "111122223333"
            )
            .status == 0)
        let lines = try resolved(
            out + "/aws-config", profiles: ["iamtiers-read", "iamtiers-operator", "iamtiers-admin"], in: directory)
        for (profile, hours) in [("iamtiers-read", 12), ("iamtiers-operator", 1), ("iamtiers-admin", 1)] {
            let line = try #require(lines.first { $0.hasPrefix(profile + " ") }, "\(lines)")
            #expect(line.contains("credentials ASIAFAKE"), "\(line)")
            #expect(line.contains("\"--role\", \"arn:aws:iam::111122223333:role/\(profile)\""), "\(line)")
            #expect(line.contains("\"--session-duration\", \"\(hours * 3600)\""), "\(line)")
            #expect(line.contains("\"--credential-process\""), "\(line)")
        }
    }

    @Test(.enabled(if: hasBotocore, "needs botocore (PyPI; .ci/run installs it with parliament)"))
    func aPermissionSetProfileSignsInThroughIdentityCenter() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let tiers = try exampleTiers(container: "identity-center", in: directory)
        let out = directory.appendingPathComponent("out").path
        _ = try IAMTiersBinary.run(
            "export", tiers, "--out", out, "--format", "aws-config", "--account-id", "111122223333")
        let lines = try resolved(out + "/aws-config", profiles: ["iamtiers-operator"], in: directory)
        // Without a sign-in there is no token: botocore says so, having resolved the SSO profile.
        #expect(
            lines.first?.hasPrefix("iamtiers-operator sso iamtiers 111122223333 iamtiers-operator") == true, "\(lines)")
    }
}
