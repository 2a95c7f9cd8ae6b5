extension Catalog {
    /// The known actions closest to a name the catalog does not know, best first, for "did you mean".
    ///
    /// Candidates come from the named service (or, when the prefix is unknown too, from services with a
    /// similar prefix and from any service that has an action of exactly that name).
    public func suggestions(for fullName: String, limit: Int = 5) -> [CatalogAction] {
        let parts = fullName.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let prefix = parts.count == 2 ? String(parts[0]) : ""
        let wanted = Array((parts.last ?? "").utf8).map(asciiLowercased)
        guard !wanted.isEmpty else { return [] }

        var candidateServices: [Int] = []
        if parts.count == 1 {
            candidateServices = []  // no prefix: only exact action names in any service, below
        } else if let service = serviceIndex(prefix: prefix[...]) {
            candidateServices = [service]
        } else {
            let loweredPrefix = Array(prefix.utf8).map(asciiLowercased)
            candidateServices = serviceRecords.indices.filter {
                editDistance(serviceRecords[$0].lowercasedPrefix, loweredPrefix) <= 2
            }
        }
        var scored: [(score: Int, index: Int)] = []
        for service in candidateServices {
            for index in serviceRecords[service].actions {
                let candidate = name(of: actionRecords[index]).map(asciiLowercased)
                let score = similarity(wanted, candidate)
                if score <= max(3, wanted.count / 2) { scored.append((score, index)) }
            }
        }
        if candidateServices.count != 1 {
            // A known action name under the wrong prefix ("s3:DescribeInstances") is worth showing.
            for index in actionRecords.indices where name(of: actionRecords[index]).map(asciiLowercased) == wanted {
                scored.append((0, index))
            }
        }
        var seen = Set<Int>()
        return scored.sorted { ($0.score, $0.index) < ($1.score, $1.index) }
            .filter { seen.insert($0.index).inserted }
            .prefix(limit)
            .map { action(at: $0.index) }
    }
}

/// Edit distance, lowered when one name is the other with words inserted (ListBuckets -> ListAllMyBuckets).
func similarity(_ wanted: [UInt8], _ candidate: [UInt8]) -> Int {
    let distance = editDistance(wanted, candidate)
    let (short, long) = wanted.count <= candidate.count ? (wanted, candidate) : (candidate, wanted)
    guard isSubsequence(short, of: long) else { return distance }
    return min(distance, (long.count - short.count + 1) / 2)
}

func isSubsequence(_ short: [UInt8], of long: [UInt8]) -> Bool {
    var iterator = short.makeIterator()
    var next = iterator.next()
    for byte in long where byte == next { next = iterator.next() }
    return next == nil
}

/// Levenshtein distance with two rolling rows.
func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
            current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}
