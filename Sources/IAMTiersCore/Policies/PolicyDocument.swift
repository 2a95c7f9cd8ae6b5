/// One IAM policy statement allowing (or denying) actions, on every resource unless it is scoped.
public struct PolicyStatement: Sendable, Equatable {
    public var sid: String
    public var actions: [String]
    /// `Deny` statements carry a tier's deny list; everything else allows.
    public var denies: Bool
    /// The resources it grants on; empty: `"*"`.
    public var resources: [String]
    /// `StringEquals` conditions, key -> values (`iam:PassedToService` for a scoped `iam:PassRole`).
    public var conditions: [(key: String, values: [String])]

    public init(
        sid: String, actions: [String], denies: Bool = false, resources: [String] = [],
        conditions: [(key: String, values: [String])] = []
    ) {
        self.sid = sid
        self.actions = actions
        self.denies = denies
        self.resources = resources
        self.conditions = conditions
    }

    public static func == (left: PolicyStatement, right: PolicyStatement) -> Bool {
        left.sid == right.sid && left.actions == right.actions && left.denies == right.denies
            && left.resources == right.resources && left.conditions.map(\.key) == right.conditions.map(\.key)
            && left.conditions.map(\.values) == right.conditions.map(\.values)
    }

    var effect: String { denies ? "Deny" : "Allow" }

    var isScoped: Bool { !resources.isEmpty || !conditions.isEmpty }

    /// Characters this statement adds to a document, as IAM counts them (no whitespace).
    var size: Int {
        // Scoped statements are few (a passed role's statement): measured from their JSON.
        if isScoped { return compactJSON.utf8.count }
        return Self.size(sid: sid, actionCharacters: actions.reduce(0) { $0 + $1.utf8.count }, count: actions.count)
            - (denies ? 1 : 0)  // "Deny" is one character shorter than "Allow"
    }

    /// `"Resource":"*"` or `"Resource":["…","…"]`, and the condition if any, without whitespace.
    var resourceAndConditionJSON: String {
        let list: String = resources.map(jsonQuoted).joined(separator: ",")
        let resource: String = resources.isEmpty ? "\"*\"" : "[\(list)]"
        guard !conditions.isEmpty else { return "\"Resource\":\(resource)" }
        let tests: [String] = conditions.map { condition in
            let values: String = condition.values.map(jsonQuoted).joined(separator: ",")
            return "\(jsonQuoted(condition.key)):[\(values)]"
        }
        return "\"Resource\":\(resource),\"Condition\":{\"StringEquals\":{\(tests.joined(separator: ","))}}"
    }

    var compactJSON: String {
        let list: String = actions.map { "\"\($0)\"" }.joined(separator: ",")
        return "{\"Sid\":\"\(sid)\",\"Effect\":\"\(effect)\",\"Action\":[\(list)],\(resourceAndConditionJSON)}"
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
        #"{"Version":"2012-10-17","Statement":["# + statements.map(\.compactJSON).joined(separator: ",") + "]}"
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
            if statement.resources.isEmpty {
                lines.append("      \"Resource\": \"*\"" + (statement.conditions.isEmpty ? "" : ","))
            } else {
                lines.append("      \"Resource\": [")
                lines += statement.resources.enumerated().map { offset, resource in
                    "        " + jsonQuoted(resource) + (offset < statement.resources.count - 1 ? "," : "")
                }
                lines.append("      ]" + (statement.conditions.isEmpty ? "" : ","))
            }
            if !statement.conditions.isEmpty {
                lines += ["      \"Condition\": {", "        \"StringEquals\": {"]
                lines += statement.conditions.enumerated().map { offset, condition in
                    "          " + jsonQuoted(condition.key) + ": ["
                        + condition.values.map(jsonQuoted).joined(separator: ", ") + "]"
                        + (offset < statement.conditions.count - 1 ? "," : "")
                }
                lines += ["        }", "      }"]
            }
            lines.append("    }" + (index < statements.count - 1 ? "," : ""))
        }
        lines += ["  ]", "}"]
        return lines.joined(separator: "\n") + "\n"
    }
}

/// A JSON string literal, ASCII only: quotes, backslashes and controls escaped, others as \u.
func jsonQuoted(_ text: String) -> String {
    var quoted = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": quoted += "\\\""
        case "\\": quoted += "\\\\"
        case _ where scalar.value < 0x20 || scalar.value > 0x7E:
            for unit in String(scalar).utf16 { quoted += String(format: "\\u%04x", unit) }
        default: quoted.unicodeScalars.append(scalar)
        }
    }
    return quoted + "\""
}
