import Foundation

/// The files a command or an editing session writes, behind a protocol so that a test can make any
/// write fail or any file change under the writer.
public protocol FileSystem: Sendable {
    /// Replaces the file whole (a reader sees the old file or the new one), creating its folder.
    func write(_ data: Data, to path: String) throws
    func removeItem(atPath path: String)
    func modificationDate(ofItemAtPath path: String) -> Date?
}

/// The machine's files, written by `AtomicFile`.
public struct LocalFileSystem: FileSystem {
    public init() {}

    public func write(_ data: Data, to path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty && !FileManager.default.fileExists(atPath: folder) {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        try AtomicFile.write(data, to: path)
    }

    public func removeItem(atPath path: String) { try? FileManager.default.removeItem(atPath: path) }

    public func modificationDate(ofItemAtPath path: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    }
}

extension Exporter {
    /// Writes every file of the formats into `folder`; returns how many.
    public func write(_ formats: [ExportFormat], to folder: String, on files: any FileSystem) throws -> Int {
        var written = 0
        for format in formats {
            for file in try self.files(format) {
                try files.write(Data(file.contents.utf8), to: (folder as NSString).appendingPathComponent(file.path))
                written += 1
            }
        }
        return written
    }
}
