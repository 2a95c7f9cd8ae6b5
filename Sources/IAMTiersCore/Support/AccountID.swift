/// An AWS account ID is exactly 12 decimal digits (leading zeros kept): anything else in a role ARN
/// or a query is a typo that AWS would refuse only at deploy time.
public enum AccountID {
    public static func isValid<Text: StringProtocol>(_ text: Text) -> Bool {
        text.utf8.count == 12 && text.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }
}
