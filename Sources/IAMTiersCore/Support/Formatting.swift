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

/// 67108864 -> "64 MiB": sizes in the binary units limits are set in.
public func formatBytes(_ value: Int64) -> String {
    let units: [(Int64, String)] = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")]
    for (size, unit) in units where value >= size {
        let whole = value / size
        let tenths = (value % size) * 10 / size
        return tenths == 0 || whole >= 100 ? "\(whole) \(unit)" : "\(whole).\(tenths) \(unit)"
    }
    return counted(Int(value), "byte")
}
