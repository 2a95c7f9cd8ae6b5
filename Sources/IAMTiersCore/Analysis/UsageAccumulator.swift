import Foundation
import SafeText

/// Who made a call, as far as the event says.
public enum PrincipalKind: UInt8, Sendable, Hashable, Codable, Comparable, CaseIterable {
    /// A role session: the principal is the role that issued it (`sessionContext.sessionIssuer.arn`).
    case role
    /// An IAM user (`userIdentity.type` IAMUser): the principal is the user's ARN, the person its name.
    case user
    /// The account's root user.
    case root
    /// A federated user (`GetFederationToken`): the principal is the `federated-user/` ARN, not the
    /// IAM user that asked for the token.
    case federatedUser
    /// Another identity with an ARN or a user name (a SAML or web identity user, an assumed role
    /// without its session context).
    case otherIdentity
    /// An AWS service acting on its own (`invokedBy`, type AWSService): counted as a service event.
    case service
    /// Nothing identifies the caller (e.g. a CloudTrail Lake row without userIdentity).
    case unknown

    public static func < (lhs: PrincipalKind, rhs: PrincipalKind) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Principals people sign in as, and so can be analysed: every kind but services and unknown callers.
    public var isPerson: Bool { self != .service && self != .unknown }

    /// How the usage file and the listing name the kind.
    public var label: String {
        switch self {
        case .role: "role"
        case .user: "IAM user"
        case .root: "root"
        case .federatedUser: "federated user"
        case .otherIdentity: "other identity"
        case .service: "AWS service"
        case .unknown: "unknown"
        }
    }
}

/// Filters applied while reading events, before anything is counted as usage.
public struct EventFilter: Sendable {
    public var since: EventTime?
    public var until: EventTime?
    public var account: String?
    /// Whose calls are the usage. Calls of other principals are counted without their session
    /// names, which keeps memory flat when thousands of machine sessions share the logs.
    public var selection: PrincipalSelection?

    public init(
        since: EventTime? = nil, until: EventTime? = nil, account: String? = nil, selection: PrincipalSelection? = nil
    ) {
        self.since = since
        self.until = until
        self.account = account
        self.selection = selection
    }
}

/// One group of identical calls: same principal, session, call and outcome.
public struct CallKey: Sendable, Hashable {
    public var principalKind: PrincipalKind
    public var principal: String
    public var session: String
    public var eventSource: String
    public var eventName: String
    public var console: Bool
    public var denied: Bool
    public var dataEvent: Bool
    /// A service made the call for the caller (`userIdentity.invokedBy`): usage, counted apart.
    public var onBehalf: Bool
}

public struct CallTally: Sendable, Hashable {
    public var count: Int
    public var first: EventTime?
    public var last: EventTime?

    mutating func add(count more: Int, first newFirst: EventTime?, last newLast: EventTime?) {
        count += more
        if let newFirst, first.map({ newFirst < $0 }) ?? true { first = newFirst }
        if let newLast, last.map({ newLast > $0 }) ?? true { last = newLast }
    }
}

/// Someone signing in to a role (AssumeRole, AssumeRoleWithSAML, AssumeRoleWithWebIdentity).
public struct SignInKey: Sendable, Hashable {
    public var roleArn: String
    public var user: String
}

public struct SignInTally: Sendable, Hashable {
    public var tally = CallTally(count: 0)
    public var sourceAddresses = Set<String>()
}

/// Counts events as they stream out of the extractor, keeping byte strings interned so the hot path
/// allocates nothing for strings it has seen before. One accumulator per worker thread.
struct UsageAccumulator {
    private struct SignIn: Hashable {
        var role: Int32
        var user: Int32
    }

    let filter: EventFilter
    private var strings = ByteStringTable()
    private var tallies = TallyTable<EventTotals.CallIDs>()
    private var facts = TallyTable<EventTotals.FactIDs>()
    private var signIns: [SignIn: (tally: EventTotals.Tally, addresses: Set<Int32>)] = [:]
    private var sessionsByPrincipal: [Int32: Set<Int32>] = [:]
    /// Whether each principal (by interned ARN) is one asked for, decided once per principal.
    private var selected: [Int32: Bool] = [:]
    private var totals = EventTotals()
    private let empty: Int32
    /// The root user's one "person".
    private let rootSession: Int32

    init(filter: EventFilter) {
        self.filter = filter
        var table = ByteStringTable()
        empty = table.id(of: UnsafeBufferPointer(start: nil, count: 0))
        rootSession = Array("root".utf8).withUnsafeBufferPointer { table.id(of: $0) }
        strings = table
    }

    mutating func add(_ fields: inout EventFields, in buffer: UnsafeBufferPointer<UInt8>, count: Int = 1) {
        totals.eventsRead += count
        guard let sourceRange = fields.eventSource, let nameRange = fields.eventName,
            !sourceRange.isEmpty, !nameRange.isEmpty
        else {
            totals.incomplete += count
            return
        }
        func bytes(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: buffer[range]) }
        func equals(_ range: Range<Int>?, _ text: StaticString) -> Bool { bytesMatch(buffer, range, text) }
        if equals(fields.eventType, "AwsServiceEvent") {
            totals.serviceEvents += count
            return
        }
        let time = (fields.eventTime ?? fields.exportTimestamp).flatMap { EventTime.parse(bytes($0)) }
        if let time, let since = filter.since, time < since {
            totals.outsideWindow += count
            return
        }
        if let time, let until = filter.until, time >= until {
            totals.outsideWindow += count
            return
        }
        if let account = filter.account {
            let recipient = (fields.recipientAccountId ?? fields.identityAccountId).map {
                String(decoding: bytes($0), as: UTF8.self)
            }
            if recipient != account {
                totals.otherAccounts += count
                return
            }
        }
        if let hive = fields.hiveUserIdentity { Self.locateHiveIdentity(hive, in: buffer, into: &fields) }

        var kind = PrincipalKind.unknown
        var principal = empty
        var session = empty
        func afterLast(_ byte: UInt8, in range: Range<Int>?) -> Int32? {
            guard let range, let slash = lastIndex(of: byte, in: range, buffer) else { return nil }
            return strings.id(of: bytes((slash + 1)..<range.upperBound))
        }
        if let arn = fields.identityArn, bytesMatch(buffer, fields.identityType, "FederatedUser") {
            // Issued to an IAM user (the session issuer), but a principal of its own.
            kind = .federatedUser
            principal = strings.id(of: bytes(arn))
            session = afterLast(UInt8(ascii: "/"), in: arn) ?? empty
        } else if let issuer = fields.issuerArn, !issuer.isEmpty {
            kind = .role
            principal = strings.id(of: bytes(issuer))
            if let name = fields.sessionName {
                session = strings.id(of: bytes(name))
            } else {
                session =
                    afterLast(UInt8(ascii: "/"), in: fields.identityArn)
                    ?? afterLast(UInt8(ascii: ":"), in: fields.principalId) ?? empty
            }
        } else if let arn = fields.identityArn, !arn.isEmpty {
            principal = strings.id(of: bytes(arn))
            if bytesMatch(buffer, fields.identityType, "Root") || bytesMatch(buffer, arn, ":root", suffix: true) {
                kind = .root
                session = rootSession
            } else if bytesMatch(buffer, fields.identityType, "IAMUser")
                || (fields.identityType == nil && Self.contains(":user/", in: arn, buffer))
            {
                kind = .user
                session =
                    fields.identityUserName.map { strings.id(of: bytes($0)) }
                    ?? afterLast(UInt8(ascii: "/"), in: arn) ?? empty
            } else {
                kind = .otherIdentity
            }
        } else if let invokedBy = fields.invokedBy
            ?? (equals(fields.identityType, "AWSService") ? fields.sourceIPAddress : nil)
        {
            kind = .service
            principal = strings.id(of: bytes(invokedBy))
        } else if let type = fields.identityType, let userName = fields.identityUserName {
            kind = .otherIdentity  // SAMLUser and WebIdentityUser carry no ARN, only a user name
            principal = strings.id(of: bytes(type))
            session = strings.id(of: bytes(userName))
        }
        if kind != .role, let name = fields.sessionName { session = strings.id(of: bytes(name)) }
        if kind.isPerson {
            sessionsByPrincipal[principal, default: []].insert(session)
            if let selection = filter.selection, !matches(selection, kind, principal) { session = empty }
        }

        var flags: UInt8 = 0
        let onBehalf = kind.isPerson && Self.isServiceOnBehalf(fields, buffer)
        if onBehalf {
            // S3 decrypting an SSE-KMS object for the reader is the reader's kms:Decrypt at work.
            flags |= EventTotals.onBehalfFlag
        } else if fields.consoleCredential == true || Self.isConsoleAgent(fields.userAgent, buffer) {
            flags |= EventTotals.consoleFlag
        }
        if let code = fields.errorCode, Self.isAuthorizationError(bytes(code)) { flags |= EventTotals.deniedFlag }
        if equals(fields.eventCategory, "Data") || fields.managementEvent == false { flags |= EventTotals.dataFlag }

        let key = EventTotals.CallIDs(
            principalKind: kind, principal: principal, session: session,
            eventSource: strings.id(of: bytes(sourceRange)), eventName: strings.id(of: bytes(nameRange)), flags: flags)
        let seconds = time?.secondsSinceEpoch ?? Int64.min
        let lastSeconds = fields.lastEventTime.flatMap { EventTime.parse(bytes($0)) }?.secondsSinceEpoch ?? seconds
        tallies.add(key, count: count, first: seconds, last: lastSeconds)
        if kind.isPerson { addFacts(of: fields, key, buffer, count: count, first: seconds, last: lastSeconds) }

        // A refused AssumeRole is an attempt, not a sign-in.
        if let roleArn = fields.requestRoleArn, fields.errorCode == nil,
            bytesMatch(buffer, nameRange, "AssumeRole", prefix: true)
        {
            let user =
                fields.identityUserName ?? fields.requestRoleSessionName ?? fields.identityArn ?? fields.principalId
            let signIn = SignIn(
                role: strings.id(of: bytes(roleArn)), user: user.map { strings.id(of: bytes($0)) } ?? empty)
            let address = fields.sourceIPAddress.map { strings.id(of: bytes($0)) }
            var entry = signIns[signIn] ?? (EventTotals.Tally(), [])
            entry.tally.add(count: count, first: seconds, last: lastSeconds)
            if let address { entry.addresses.insert(address) }
            signIns[signIn] = entry
        }
    }

    /// What the request showed about the call's companions, counted with its call group.
    private mutating func addFacts(
        of fields: EventFields, _ call: EventTotals.CallIDs, _ buffer: UnsafeBufferPointer<UInt8>, count: Int,
        first: Int64, last: Int64
    ) {
        func add(_ kind: RequestFact.Kind, _ value: Int32) {
            facts.add(EventTotals.FactIDs(call: call, kind: kind, value: value), count: count, first: first, last: last)
        }
        func bytes(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: buffer[range]) }
        for role in fields.passedRoles { add(.passedRole, strings.id(of: bytes(role))) }
        if !fields.passedRoleNames.isEmpty {
            // A role name is a role of the account the call was made in.
            let account = fields.recipientAccountId ?? fields.identityAccountId
            for name in fields.passedRoleNames {
                var arn = Array("arn:aws:iam::".utf8)
                arn += account.map { Array(bytes($0)) } ?? Array("*".utf8)
                arn += Array(":role/".utf8) + Array(bytes(name))
                add(.passedRole, arn.withUnsafeBufferPointer { strings.id(of: $0) })
            }
        }
        if fields.carriesTags { add(.tags, empty) }
        var keys = fields.requestKeys
        while keys != 0 {
            let bit = keys.trailingZeroBitCount
            add(.requestKey, Int32(bit))
            keys &= keys - 1
        }
        guard call.flags & EventTotals.onBehalfFlag != 0 else { return }
        for service in fields.encryptionContextServices { add(.onBehalfOf, strings.id(of: bytes(service))) }
        if fields.encryptionContextServices.isEmpty, let host = fields.invokedBy,
            let dot = buffer[host].firstIndex(of: UInt8(ascii: "."))
        {
            add(.onBehalfOf, strings.id(of: bytes(host.lowerBound..<dot)))
        }
    }

    private mutating func matches(_ selection: PrincipalSelection, _ kind: PrincipalKind, _ principal: Int32) -> Bool {
        if let known = selected[principal] { return known }
        let arn = strings.bytes(of: principal).withUnsafeBufferPointer(decodeJSONString)
        let result = selection.matches(kind, arn)
        selected[principal] = result
        return result
    }

    /// The counts with the interned byte strings turned into text (two spellings of one string, such
    /// as an escaped and a plain one, become one). This is where log text enters: it is made safe here.
    func finish() -> EventTotals {
        var result = totals
        let text = strings.values.map { bytes in SafeText.cleaned(bytes.withUnsafeBufferPointer(decodeJSONString)) }
        let ids = text.map { result.intern($0) }
        for (principal, sessions) in sessionsByPrincipal {
            result.sessionNames[text[Int(principal)], default: []].formUnion(sessions.map { text[Int($0)] })
        }
        result.addTallies(tallies.entries, facts: facts.entries, remapping: ids)
        for (key, entry) in signIns {
            let signIn = SignInKey(roleArn: text[Int(key.role)], user: text[Int(key.user)])
            result.signIns[signIn, default: SignInTally()].tally.add(
                count: entry.tally.count, first: entry.tally.firstSeen, last: entry.tally.lastSeen)
            result.signIns[signIn, default: SignInTally()].sourceAddresses.formUnion(
                entry.addresses.map { text[Int($0)] })
        }
        return result
    }

    /// Whether `text` occurs in the bytes of `range` (ARNs are short: a plain scan).
    static func contains(_ text: StaticString, in range: Range<Int>, _ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        let length = text.utf8CodeUnitCount
        guard range.count >= length else { return false }
        return (range.lowerBound...(range.upperBound - length)).contains { start in
            bytesMatch(buffer, start..<(start + length), text)
        }
    }

    /// AccessDenied, AccessDeniedException, UnauthorizedOperation, Client.UnauthorizedOperation, …:
    /// the call was refused. Other errors (NoSuchBucketPolicy, throttling) mean IAM allowed it.
    static func isAuthorizationError(_ code: UnsafeBufferPointer<UInt8>) -> Bool {
        let text = String(decoding: code, as: UTF8.self)
        return text.contains("AccessDenied") || text.contains("Unauthorized") || text == "Forbidden"
    }

    /// A service acting with the caller's credentials: `invokedBy` (`AWS Internal`, `s3.amazonaws.com`)
    /// on a user's or role's call, or a service host as the user agent (CloudFormation's calls).
    static func isServiceOnBehalf(_ fields: EventFields, _ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        if let invokedBy = fields.invokedBy, !invokedBy.isEmpty { return true }
        guard let agent = fields.userAgent, agent.count < 64,
            bytesMatch(buffer, agent, ".amazonaws.com", suffix: true)
        else { return false }
        return !isConsoleAgent(agent, buffer) && !bytesMatch(buffer, agent, "signin.", prefix: true)
    }

    /// Console page views: `AWS Internal`, or a console host as the user agent.
    static func isConsoleAgent(_ range: Range<Int>?, _ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let range, range.count < 64 else { return false }
        let agent = String(decoding: UnsafeBufferPointer(rebasing: buffer[range]), as: UTF8.self)
        return agent == "AWS Internal" || (agent.hasPrefix("console.") && agent.hasSuffix(".amazonaws.com"))
    }

    private func lastIndex(of byte: UInt8, in range: Range<Int>, _ buffer: UnsafeBufferPointer<UInt8>) -> Int? {
        var index = range.upperBound - 1
        while index >= range.lowerBound {
            if buffer[index] == byte { return index }
            index -= 1
        }
        return nil
    }

    /// Athena renders `useridentity` as Hive struct text: `{type=AssumedRole, …, arn=…, …,
    /// sessioncontext={…, sessionissuer={type=Role, …, arn=…, …}}}`. Find the two ARNs in it.
    static func locateHiveIdentity(
        _ range: Range<Int>, in buffer: UnsafeBufferPointer<UInt8>, into fields: inout EventFields
    ) {
        let text = Array(buffer[range])
        func value(after marker: [UInt8], from start: Int) -> Range<Int>? {
            guard marker.count <= text.count else { return nil }
            var index = start
            while index + marker.count <= text.count {
                if text[index..<(index + marker.count)].elementsEqual(marker) {
                    let valueStart = index + marker.count
                    var end = valueStart
                    while end < text.count && text[end] != UInt8(ascii: ",") && text[end] != UInt8(ascii: "}") {
                        end += 1
                    }
                    return (range.lowerBound + valueStart)..<(range.lowerBound + end)
                }
                index += 1
            }
            return nil
        }
        let arnMarker = Array(", arn=".utf8)
        if fields.identityArn == nil { fields.identityArn = value(after: arnMarker, from: 0) }
        if fields.issuerArn == nil, let issuer = value(after: Array("sessionissuer={".utf8), from: 0) {
            fields.issuerArn = value(after: arnMarker, from: issuer.lowerBound - range.lowerBound)
        }
        if let arn = fields.identityArn, buffer[arn].elementsEqual("null".utf8) { fields.identityArn = nil }
        if let arn = fields.issuerArn, buffer[arn].elementsEqual("null".utf8) { fields.issuerArn = nil }
    }
}
