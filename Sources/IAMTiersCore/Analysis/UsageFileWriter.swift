/// Writes the usage file: the bytes JSONEncoder writes for `Usage` (a test holds the two equal on a
/// usage with every field set), in a small part of its time, which matters because writing
/// happens after every worker has finished. Keys go in UTF-8 byte order; nil fields are left out;
/// the file ends with a newline.
enum UsageFileWriter {
    static func encode(_ usage: Usage) -> [UInt8] {
        var json = PrettyJSONWriter(capacity: 1 << 20)
        json.beginObject()
        json.member("actions", usage.actions, write)
        json.key("catalog")
        json.beginObject()
        json.member("date", usage.catalog.date)
        json.member("version", usage.catalog.version)
        json.endObject()
        json.member("companions", usage.companions, write)
        json.member("format", usage.format)
        json.member("generator", usage.generator)
        json.member("hints", usage.hints, write)
        json.member("noPermission", usage.noPermission, write)
        json.member("people", usage.people, write)
        json.member("principals", usage.principals, write)
        json.key("provenance")
        write(&json, usage.provenance)
        json.member("signIns", usage.signIns, write)
        json.member("unmapped", usage.unmapped, write)
        json.endObject()
        json.newline()
        return json.bytes
    }

    private static func write(_ json: inout PrettyJSONWriter, _ provenance: Usage.Provenance) {
        json.beginObject()
        json.key("events")
        write(&json, provenance.events)
        json.key("files")
        json.beginObject()
        json.member("bytes", provenance.files.bytes)
        json.member("read", provenance.files.read)
        json.member("skipped", provenance.files.skipped)
        json.member("unreadable", provenance.files.unreadable)
        json.endObject()
        json.key("filters")
        write(&json, provenance.filters)
        json.member("inputs", provenance.inputs)
        json.member("problems", provenance.problems) { json, problem in
            json.beginObject()
            json.member("message", problem.message)
            json.member("path", problem.path)
            if let record = problem.record { json.member("record", record) }
            json.endObject()
        }
        json.member("shapes", provenance.shapes)
        if let window = provenance.window {
            json.key("window")
            json.beginObject()
            json.member("first", window.first.description)
            json.member("last", window.last.description)
            json.endObject()
        }
        json.endObject()
    }

    private static func write(_ json: inout PrettyJSONWriter, _ events: Usage.Events) {
        json.beginObject()
        json.member("console", events.console)
        json.member("dataEvents", events.dataEvents)
        json.member("dataEventsOfAnyone", events.dataEventsOfAnyone)
        json.member("denied", events.denied)
        json.member("kept", events.kept)
        json.member("malformed", events.malformed)
        json.member("noPermission", events.noPermission)
        json.member("onBehalf", events.onBehalf)
        json.member("otherAccounts", events.otherAccounts)
        json.member("otherPrincipals", events.otherPrincipals)
        json.member("outsideWindow", events.outsideWindow)
        json.member("read", events.read)
        json.member("serviceEvents", events.serviceEvents)
        json.member("unmapped", events.unmapped)
        json.endObject()
    }

    private static func write(_ json: inout PrettyJSONWriter, _ filters: Usage.Filters) {
        json.beginObject()
        json.member("account", ifPresent: filters.account)
        json.member("includeConsole", filters.includeConsole)
        json.member("includeDenied", filters.includeDenied)
        json.member("selection", filters.selection)
        json.member("since", ifPresent: filters.since?.description)
        json.member("until", ifPresent: filters.until?.description)
        json.endObject()
    }

    private static func write(_ json: inout PrettyJSONWriter, _ principal: Usage.PrincipalSummary) {
        json.beginObject()
        json.member("arn", principal.arn)
        json.member("events", principal.events)
        json.member("sessions", principal.sessions)
        json.member("type", principal.type)
        json.endObject()
    }

    private static func write(_ json: inout PrettyJSONWriter, _ action: Usage.ActionUsage) {
        json.beginObject()
        json.member("accessLevel", action.accessLevel.rawValue)
        json.member("action", action.action)
        json.member("console", action.console)
        json.member("count", action.count)
        json.member("denied", action.denied)
        json.member("firstSeen", ifPresent: action.firstSeen?.description)
        json.member("lastSeen", ifPresent: action.lastSeen?.description)
        json.member("onBehalf", action.onBehalf)
        json.member("people", action.people)
        json.member("risk", action.risk)
        json.member("sources", action.sources) { json, source in
            json.beginObject()
            json.member("console", source.console)
            json.member("count", source.count)
            json.member("denied", source.denied)
            json.member("eventName", source.eventName)
            json.member("eventSource", source.eventSource)
            json.member("onBehalf", source.onBehalf)
            json.member("rule", source.rule)
            json.endObject()
        }
        json.endObject()
    }

    private static func write(_ json: inout PrettyJSONWriter, _ person: Usage.PersonUsage) {
        json.beginObject()
        json.member("actions", person.actions) { json, action in
            json.beginObject()
            json.member("action", action.action)
            json.member("count", action.count)
            json.member("denied", action.denied)
            json.endObject()
        }
        json.member("calls", person.calls)
        json.member("denied", person.denied)
        json.member("firstSeen", ifPresent: person.firstSeen?.description)
        json.member("lastSeen", ifPresent: person.lastSeen?.description)
        json.member("name", person.name)
        json.endObject()
    }

    private static func write(_ json: inout PrettyJSONWriter, _ pair: Usage.UnmappedPair) {
        json.beginObject()
        json.member("console", pair.console)
        json.member("count", pair.count)
        json.member("denied", pair.denied)
        json.member("eventName", pair.eventName)
        json.member("eventSource", pair.eventSource)
        json.member("people", pair.people)
        json.member("reason", pair.reason)
        json.endObject()
    }

    private static func write(_ json: inout PrettyJSONWriter, _ pair: Usage.RawPair) {
        json.beginObject()
        json.member("count", pair.count)
        json.member("eventName", pair.eventName)
        json.member("eventSource", pair.eventSource)
        json.member("rule", pair.rule)
        json.endObject()
    }

    private static func write(_ json: inout PrettyJSONWriter, _ signIn: Usage.SignIn) {
        json.beginObject()
        json.member("count", signIn.count)
        json.member("firstSeen", ifPresent: signIn.firstSeen?.description)
        json.member("lastSeen", ifPresent: signIn.lastSeen?.description)
        json.member("roleArn", signIn.roleArn)
        json.member("sourceAddresses", signIn.sourceAddresses)
        json.member("user", signIn.user)
        json.endObject()
    }

    private static func write(_ json: inout PrettyJSONWriter, _ companion: Usage.Companion) {
        json.beginObject()
        json.member("action", companion.action)
        json.member("calls", companion.calls)
        json.member("neededBy", companion.neededBy)
        json.member("passedTo", companion.passedTo)
        json.member("people", companion.people)
        json.member("reason", companion.reason)
        json.member("resources", companion.resources)
        json.member("rule", companion.rule)
        json.member("sources", companion.sources)
        json.endObject()
    }

    private static func write(_ json: inout PrettyJSONWriter, _ hint: Usage.Hint) {
        json.beginObject()
        json.member("actions", hint.actions)
        json.member("because", hint.because)
        json.member("kind", hint.kind.rawValue)
        json.member("message", hint.message)
        json.endObject()
    }
}
