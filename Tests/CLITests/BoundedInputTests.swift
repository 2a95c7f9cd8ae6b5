import Foundation
import TestSupport
import Testing

/// The real binary on inputs that used to exhaust memory or vanish without a word.
@Suite struct BoundedInputTests {
    static let record = """
        {"userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/Admin/alice",\
        "sessionContext":{"sessionIssuer":{"arn":"arn:aws:iam::1:role/Admin"}}},"eventTime":"2026-10-01T08:00:00Z",\
        "eventSource":"s3.amazonaws.com","eventName":"ListBuckets","requestParameters":{"pad":"\(String(repeating: "x", count: 900))"}}
        """

    /// Streams one `{"Records":[…]}` of `bytes` through a named pipe into `analyze` and returns its
    /// exit status, its peak resident memory in KiB, and stderr.
    func analyzeThroughAPipe(bytes: Int) throws -> (status: Int32, peakKiB: Int, stderr: String) {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let script = """
            import os, resource, subprocess, sys, threading
            binary, fifo, out, record, total = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4].encode(), int(sys.argv[5])
            os.mkfifo(fifo)
            def write():
                with open(fifo, 'wb') as pipe:
                    pipe.write(b'{"Records":[')
                    block, written = (record + b',') * 1000, 0
                    while written < total:
                        pipe.write(block)
                        written += len(block)
                    pipe.write(record + b']}')
            threading.Thread(target=write, daemon=True).start()
            result = subprocess.run([binary, 'analyze', '--role', 'Admin', fifo, '-o', out], capture_output=True, timeout=600)
            sys.stderr.write(result.stderr.decode(errors='replace'))
            print(result.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
            """
        let result = try run(
            "/usr/bin/env",
            [
                "python3", "-c", script, IAMTiersBinary.path, directory.appendingPathComponent("events").path,
                directory.appendingPathComponent("usage.json").path, Self.record, String(bytes),
            ])
        let fields = result.stdout.split(separator: " ").compactMap {
            Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        try #require(fields.count == 2, "\(result.stdout) \(result.stderr)")
        return (Int32(fields[0]), fields[1], result.stderr)
    }

    @Test func oneHugeRecordsArrayIsReadInBoundedMemory() throws {
        // Held whole, as before, 256 MiB of JSON needed more than 512 MiB.
        let (status, peakKiB, stderr) = try analyzeThroughAPipe(bytes: 256 << 20)
        #expect(status == 0, "\(stderr)")
        #expect(peakKiB < 200 << 10, "peak \(peakKiB) KiB")
    }

    @Test func aGzipBombBesideGoodFilesIsOneErrorLineAndTheRunGoesOn() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try "{\"Records\":[\(Self.record)]}".write(
            to: directory.appendingPathComponent("good.json"), atomically: true, encoding: .utf8)
        // 256 MiB of spaces in a JSON array: not caught as binary, so only the ratio guard stops it.
        let bomb = directory.appendingPathComponent("bomb.json.gz").path
        let make =
            "import gzip, sys\nwith gzip.open(sys.argv[1], 'wb') as f:\n    f.write(b'[')\n"
            + "    for _ in range(256): f.write(b' ' * (1 << 20))\n    f.write(b']')"
        #expect(try run("/usr/bin/env", ["python3", "-c", make, bomb]).status == 0)
        let usage = directory.appendingPathComponent("usage.json").path
        let result = try IAMTiersBinary.run("analyze", "--role", "Admin", directory.path, "-o", usage)
        #expect(result.status == 0, "\(result.stderr)")
        let errors = result.stderr.split(separator: "\n").filter { $0.contains("bomb.json.gz") }
        #expect(errors.count == 1)
        #expect(errors.first?.contains("a decompression bomb") == true, "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: usage))
    }

    /// A tree deeper than PATH_MAX: no one, root included, can open its depths by path, so the walk
    /// must name what it cannot read rather than leave it out in silence.
    @Test func aFolderThatCannotBeReadIsNamed() throws {
        let directory = try temporaryDirectory()
        defer { _ = try? run("/bin/rm", ["-rf", directory.path]) }
        try "{\"Records\":[\(Self.record)]}".write(
            to: directory.appendingPathComponent("good.json"), atomically: true, encoding: .utf8)
        let make =
            "import os, sys\nos.chdir(sys.argv[1])\nfor _ in range(20):\n    os.mkdir('d' * 250)\n    os.chdir('d' * 250)\n"
            + "open('deep.json', 'w').write('{}')"
        #expect(try run("/usr/bin/env", ["python3", "-c", make, directory.path]).status == 0)
        let result = try IAMTiersBinary.run(
            "analyze", "--role", "Admin", directory.path, "-o", directory.appendingPathComponent("u.json").path)
        #expect(result.stderr.contains("File name too long"), "\(result.stderr)")
        #expect(
            result.status == 0
                && FileManager.default.fileExists(atPath: directory.appendingPathComponent("u.json").path))
    }
}
