import Foundation

/// How a tier's (or policy's) name is written where exports allow only ASCII letters and digits:
/// Sids, CloudFormation logical IDs, Terraform identifiers. One rule, so that two names that export
/// alike are refused when a tier is named, not found as a collision at deploy time. Accents are
/// folded first ("Café" is "Cafe"), then each run of letters and digits is a word.
public enum ExportName {
    static func words(_ text: String) -> [Substring] {
        // Sids are made per service on every key of the editor: plain ASCII is split byte by byte,
        // without folding or looking up what each character is.
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            return text.utf8.split { !isWordByte($0) }.map { Substring($0) }
        }
        let folded = text.folding(options: [.diacriticInsensitive, .widthInsensitive], locale: nil)
        return folded.split { !($0.isASCII && ($0.isLetter || $0.isNumber)) }
    }

    /// An ASCII letter or digit.
    @inline(__always) private static func isWordByte(_ byte: UInt8) -> Bool {
        (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
    }

    /// `s3-object-lambda` → `S3ObjectLambda`: each word with its first letter upper-cased.
    public static func pascal(_ text: String) -> String {
        // Every service's Sid on every key of the editor: ASCII in one pass over the bytes.
        let ascii = text.utf8.withContiguousStorageIfAvailable { bytes -> String? in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            return String(unsafeUninitializedCapacity: bytes.count) { output in
                var written = 0
                var startsWord = true
                for byte in bytes {
                    guard isWordByte(byte) else {
                        startsWord = true
                        continue
                    }
                    output[written] = startsWord && byte >= 0x61 && byte <= 0x7A ? byte - 0x20 : byte
                    written += 1
                    startsWord = false
                }
                return written
            }
        }
        if let made = ascii ?? nil { return made }
        return words(text).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// `Ops Team` → `ops_team`; a name that does not start with a letter gets `t_` before it.
    public static func snake(_ text: String) -> String {
        let name = words(text).map { $0.lowercased() }.joined(separator: "_")
        return name.first?.isLetter == true ? name : "t_" + name
    }

    /// Whether two names could be the same resource in an export: the same letters and digits,
    /// whatever the case and the separators (`r-EAD` is `Read` as a logical ID, once case is folded).
    public static func collide(_ left: String, _ right: String) -> Bool {
        words(left).joined().lowercased() == words(right).joined().lowercased()
    }

    /// Whether the name has anything an export can write.
    public static func isWritable(_ text: String) -> Bool { !words(text).isEmpty }
}
