/// The size IAM checks a policy against: its characters other than whitespace outside strings.
/// Counts any JSON text, so it also measures documents other tools wrote; `PolicyDocument.size`
/// computes the same number arithmetically for documents iamtiers writes.
public func iamPolicyCharacters(_ json: String) -> Int {
    var count = 0
    var inString = false
    var escaped = false
    for character in json {
        if inString {
            count += 1
            if escaped {
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "\"" {
                inString = false
            }
        } else if character == "\"" {
            inString = true
            count += 1
        } else if !character.isWhitespace {
            count += 1
        }
    }
    return count
}
