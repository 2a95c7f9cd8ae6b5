/// 21788 -> "21,788": counts are read by people first.
public func groupedDigits(_ value: Int) -> String {
    let digits = String(value.magnitude)
    var grouped = ""
    for (offset, digit) in digits.enumerated() {
        if offset > 0 && (digits.count - offset) % 3 == 0 { grouped.append(",") }
        grouped.append(digit)
    }
    return value < 0 ? "-" + grouped : grouped
}

/// "1 call", "2 calls", "1 person", "3 people": a count with the noun that agrees with it.
public func counted(_ value: Int, _ singular: String, _ plural: String? = nil) -> String {
    "\(groupedDigits(value)) \(value == 1 ? singular : plural ?? singular + "s")"
}
