/// One IAM policy statement allowing (or denying) actions on every resource.
public struct PolicyStatement: Sendable, Equatable {
    public var sid: String
    public var actions: [String]
    /// `Deny` statements carry a tier's deny list; everything else allows.
    public var denies: Bool

    public init(sid: String, actions: [String], denies: Bool = false) {
        self.sid = sid
        self.actions = actions
        self.denies = denies
    }

    var effect: String { denies ? "Deny" : "Allow" }

    /// Characters this statement adds to a document, as IAM counts them (no whitespace).
    var size: Int {
        Self.size(sid: sid, actionCharacters: actions.reduce(0) { $0 + $1.utf8.count }, count: actions.count)
            - (denies ? 1 : 0)  // "Deny" is one character shorter than "Allow"
    }

    /// `{"Sid":"…","Effect":"Allow","Action":["…","…"],"Resource":"*"}` without building it.
    static func size(sid: String, actionCharacters: Int, count: Int) -> Int {
        statementOverhead + sid.utf8.count + actionCharacters + 2 * count + max(0, count - 1)
    }

    static let statementOverhead = #"{"Sid":"","Effect":"Allow","Action":[],"Resource":"*"}"#.utf8.count
}

/// An IAM policy document (`Version` 2012-10-17), written deterministically and ASCII only.
public struct PolicyDocument: Sendable, Equatable {
    public var statements: [PolicyStatement]

    public init(statements: [PolicyStatement]) { self.statements = statements }

    static let overhead = #"{"Version":"2012-10-17","Statement":[]}"#.utf8.count

    /// The size IAM checks against its limits: characters other than whitespace.
    public var size: Int {
        Self.overhead + statements.reduce(0) { $0 + $1.size } + max(0, statements.count - 1)
    }

    /// Minified JSON: what IAM counts.
    public var compactJSON: String {
        let body = statements.map { statement in
            #"{"Sid":"\#(statement.sid)","Effect":"\#(statement.effect)","Action":["#
                + statement.actions.map { "\"\($0)\"" }.joined(separator: ",") + #"],"Resource":"*"}"#
        }
        return #"{"Version":"2012-10-17","Statement":["# + body.joined(separator: ",") + "]}"
    }

    /// Indented JSON for files people read and diff; whitespace does not count against the limits.
    public var prettyJSON: String {
        var lines = ["{", "  \"Version\": \"2012-10-17\",", "  \"Statement\": ["]
        for (index, statement) in statements.enumerated() {
            lines.append("    {")
            lines.append("      \"Sid\": \"\(statement.sid)\",")
            lines.append("      \"Effect\": \"\(statement.effect)\",")
            lines.append("      \"Action\": [")
            for (actionIndex, action) in statement.actions.enumerated() {
                lines.append("        \"\(action)\"" + (actionIndex < statement.actions.count - 1 ? "," : ""))
            }
            lines.append("      ],")
            lines.append("      \"Resource\": \"*\"")
            lines.append("    }" + (index < statements.count - 1 ? "," : ""))
        }
        lines += ["  ]", "}"]
        return lines.joined(separator: "\n") + "\n"
    }
}
