/// Seconds since 1970-01-01T00:00:00Z, parsed from the timestamps CloudTrail data carries:
/// `2026-10-01T08:00:00Z`, `2023-01-22 16:53:53.000` (Lake), `2021-11-18T09:41:02-08:00`.
public struct EventTime: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let secondsSinceEpoch: Int64

    public init(secondsSinceEpoch: Int64) { self.secondsSinceEpoch = secondsSinceEpoch }

    public init?(_ text: String) {
        guard let parsed = Array(text.utf8).withUnsafeBufferPointer({ EventTime.parse($0) }) else { return nil }
        self = parsed
    }

    /// A date (`2026-10-01`) or timestamp as users write them on the command line.
    public init?(commandLine text: String) {
        self.init(text.count == 10 ? text + "T00:00:00Z" : text)
    }

    public static func < (lhs: EventTime, rhs: EventTime) -> Bool { lhs.secondsSinceEpoch < rhs.secondsSinceEpoch }

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> EventTime? {
        guard bytes.count >= 19 else { return nil }
        func number(_ start: Int, _ length: Int) -> Int64? {
            var value: Int64 = 0
            for index in start..<(start + length) {
                let digit = bytes[index] &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                value = value * 10 + Int64(digit)
            }
            return value
        }
        guard bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " "),
            bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
            let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
            let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var seconds = daysFromCivil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second
        // Skip fractional seconds, then apply a numeric UTC offset if there is one.
        var index = 19
        if index < bytes.count && bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < bytes.count && bytes[index] &- UInt8(ascii: "0") < 10 { index += 1 }
        }
        // Then `Z`, nothing, or a UTC offset: ±HH, ±HHMM or ±HH:MM. Anything else is not a time.
        let rest = bytes.count - index
        if rest == 1 && bytes[index] == UInt8(ascii: "Z") {
            return EventTime(checked: seconds)
        }
        if rest > 0 {
            let sign = bytes[index]
            guard rest >= 3, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-"), let hours = number(index + 1, 2)
            else {
                return nil
            }
            var minutes: Int64 = 0
            switch rest {
            case 3: break
            case 5:
                guard let parsed = number(index + 3, 2) else { return nil }
                minutes = parsed
            case 6:
                guard bytes[index + 3] == UInt8(ascii: ":"), let parsed = number(index + 4, 2) else { return nil }
                minutes = parsed
            default: return nil
            }
            guard hours < 24, minutes < 60 else { return nil }
            let offset = hours * 3600 + minutes * 60
            seconds += sign == UInt8(ascii: "+") ? -offset : offset
        }
        return EventTime(checked: seconds)
    }

    /// Times that are written back as they are read: years 0001 to 9999 in UTC (an offset can move
    /// 9999-12-31 into a five-digit year, which no reader would take back).
    private init?(checked seconds: Int64) {
        guard (Self.earliest...Self.latest).contains(seconds) else { return nil }
        self.init(secondsSinceEpoch: seconds)
    }

    private static let earliest = daysFromCivil(1, 1, 1) * 86_400
    private static let latest = daysFromCivil(9999, 12, 31) * 86_400 + 86_399

    /// Howard Hinnant's days-from-civil: days since 1970-01-01 of a proleptic Gregorian date.
    static func daysFromCivil(_ year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The day in UTC, `2026-10-01`: how reports and names show a time.
    public var day: String { String(description.prefix(10)) }

    /// Midnight UTC of the same day.
    public var startOfDay: EventTime {
        EventTime(secondsSinceEpoch: secondsSinceEpoch - ((secondsSinceEpoch % 86_400) + 86_400) % 86_400)
    }

    /// ISO 8601 in UTC, `2026-10-01T08:00:00Z`.
    public var description: String {
        let days = secondsSinceEpoch >= 0 ? secondsSinceEpoch / 86_400 : (secondsSinceEpoch - 86_399) / 86_400
        let secondsOfDay = secondsSinceEpoch - days * 86_400
        // civil-from-days, the inverse of the above.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let fourDigitYear = String(repeating: "0", count: max(0, 4 - String(year).count)) + String(year)
        return "\(fourDigitYear)-\(two(month))-\(two(day))T\(two(secondsOfDay / 3600)):\(two(secondsOfDay / 60 % 60)):"
            + "\(two(secondsOfDay % 60))Z"
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let parsed = EventTime(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "bad time \(text)"))
        }
        self = parsed
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
