import Foundation

/// AWS's Service Reference data: for each API operation, every action that may authorize it
/// (`Resources/operation-actions.tsv.gz`, written by `Scripts/update-operation-actions`). Only the
/// operations that list more than their own action are kept: those are the ones with companions.
public struct OperationActions: Sendable {
    public static let format = "iamtiers.operation-actions/1"

    public let source: String
    /// Lower-cased `service:Operation` -> the actions, canonical case, sorted.
    private let actions: [String: [String]]

    public var operationCount: Int { actions.count }

    public enum LoadError: Error, Equatable, CustomStringConvertible {
        case unreadable(String)
        case malformed(line: Int, reason: String)

        public var description: String {
            switch self {
            case .unreadable(let reason): return "cannot read operation-actions.tsv.gz: \(reason)"
            case .malformed(let line, let reason): return "operation-actions.tsv.gz line \(line): \(reason)"
            }
        }
    }

    /// The table shipped with iamtiers.
    public static func bundled() throws -> OperationActions {
        guard let path = Bundle.module.path(forResource: "operation-actions.tsv", ofType: "gz"),
            let data = FileManager.default.contents(atPath: path)
        else { throw LoadError.unreadable("not found in the iamtiers resources") }
        do {
            return try OperationActions(text: String(decoding: try Gzip.decompress([UInt8](data)), as: UTF8.self))
        } catch let error as GzipError {
            throw LoadError.unreadable(error.description)
        }
    }

    public init(text: String) throws {
        var header: [String: String] = [:]
        var table: [String: [String]] = [:]
        var inHeader = true
        // Split as bytes: splitting the text as Characters took 30 ms, at every editor start. Only the
        // strings kept are made.
        let lines = Array(text.utf8).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        table.reserveCapacity(lines.count)
        for (offset, line) in lines.enumerated() {
            let fields = line.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false)
            if inHeader {
                if line.isEmpty {
                    inHeader = false
                    guard header["format"] == Self.format else {
                        throw LoadError.malformed(line: offset + 1, reason: "format is not \(Self.format)")
                    }
                } else if fields.count == 2 {
                    header[String(decoding: fields[0], as: UTF8.self)] = String(decoding: fields[1], as: UTF8.self)
                } else {
                    throw LoadError.malformed(line: offset + 1, reason: "header line without a value")
                }
                continue
            }
            guard !line.isEmpty else { continue }
            guard fields.count == 2, fields[0].contains(UInt8(ascii: ":")) else {
                throw LoadError.malformed(line: offset + 1, reason: "expected service:Operation<TAB>actions")
            }
            table[String(decoding: fields[0], as: UTF8.self).lowercased()] = fields[1].split(
                separator: UInt8(ascii: ",")
            ).map {
                String(decoding: $0, as: UTF8.self)
            }
        }
        source = header["source"] ?? ""
        actions = table
    }

    /// Every action that may authorize `prefix:operation`, or nil when the operation lists only its own.
    public func actions(prefix: String, operation: String) -> [String]? {
        actions["\(prefix):\(operation)".lowercased()]
    }
}
