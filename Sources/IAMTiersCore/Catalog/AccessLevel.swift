/// The five access levels of the AWS Service Authorization Reference, in increasing order of power.
public enum AccessLevel: String, CaseIterable, Sendable, Comparable, Codable {
    case list = "List"
    case read = "Read"
    case write = "Write"
    case tagging = "Tagging"
    case permissionsManagement = "Permissions management"

    /// Parses the catalog's access level: a comma list whose first token is the classic level
    /// (the source writes "Tagging, Write" and "Permissions management, Write").
    public init?(catalogValue: some StringProtocol) {
        var first = catalogValue.split(separator: ",", maxSplits: 1).first ?? ""
        while first.first == " " { first = first.dropFirst() }
        while first.last == " " { first = first.dropLast() }
        guard let level = AccessLevel.allCases.first(where: { $0.rawValue.lowercased() == first.lowercased() })
        else { return nil }
        self = level
    }

    private static let exactSpellings = allCases.map { (level: $0, bytes: Array($0.rawValue.utf8)) }

    /// The fast path for the generated catalog, which spells every level exactly.
    init?(exactBytes: UnsafeBufferPointer<UInt8>) {
        guard let match = Self.exactSpellings.first(where: { $0.bytes.elementsEqual(exactBytes) }) else { return nil }
        self = match.level
    }

    public static func < (lhs: AccessLevel, rhs: AccessLevel) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// Risk classes that matter when deciding who may hold an action.
public struct RiskFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let credentialsExposure = RiskFlags(rawValue: 1 << 0)
    public static let dataAccess = RiskFlags(rawValue: 1 << 1)
    public static let privilegeEscalation = RiskFlags(rawValue: 1 << 2)
    public static let resourceExposure = RiskFlags(rawValue: 1 << 3)

    /// Each flag with its display name and its letter in the catalog resource.
    public static let named: [(flag: RiskFlags, name: String, letter: Character)] = [
        (.credentialsExposure, "credentials exposure", "C"),
        (.dataAccess, "data access", "D"),
        (.privilegeEscalation, "privilege escalation", "P"),
        (.resourceExposure, "resource exposure", "R"),
    ]

    public var names: [String] { Self.named.filter { contains($0.flag) }.map(\.name) }
}

/// What is known about an action's risk, and from where.
public struct RiskAssessment: Sendable, Hashable {
    /// Flags set by iam-dataset's analysis of AWS managed policies.
    public var datasetFlags: RiskFlags
    /// Flags added by iamtiers' own supplement (Scripts/catalog/risk-supplement.tsv).
    public var supplementFlags: RiskFlags
    /// False when the action is in none of the policies iam-dataset expands: no flag means "unknown", not "safe".
    public var assessed: Bool

    public init(datasetFlags: RiskFlags = [], supplementFlags: RiskFlags = [], assessed: Bool) {
        self.datasetFlags = datasetFlags
        self.supplementFlags = supplementFlags
        self.assessed = assessed
    }

    public var flags: RiskFlags { datasetFlags.union(supplementFlags) }
    public var isRisky: Bool { !flags.isEmpty }

    /// Parses the catalog's risk field: "-", "?" or letters (upper case iam-dataset, lower case supplement).
    init?(catalogField field: some Collection<UInt8>) {
        var assessment = RiskAssessment(assessed: true)
        for byte in field {
            switch byte {
            case UInt8(ascii: "-"): continue
            case UInt8(ascii: "?"): assessment.assessed = false
            default:
                let upper = byte & ~0x20
                guard let entry = Self.flag(forLetter: upper) else { return nil }
                if byte == upper {
                    assessment.datasetFlags.insert(entry)
                } else {
                    assessment.supplementFlags.insert(entry)
                }
            }
        }
        self = assessment
    }

    private static func flag(forLetter letter: UInt8) -> RiskFlags? {
        RiskFlags.named.first { $0.letter.asciiValue == letter }?.flag
    }
}
