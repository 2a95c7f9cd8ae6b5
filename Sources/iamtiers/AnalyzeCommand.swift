import ArgumentParser
import Foundation
import IAMTiersCore
import Synchronization
import TUIKit

struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Find out what a role is used for: read CloudTrail (or an Athena rollup CSV) into a usage file.",
        discussion: """
            Inputs are recognised by content: S3 delivery files ({"Records":[…]}, .json or .json.gz, whole \
            AWSLogs/ trees), aws cloudtrail lookup-events output, JSON arrays, NDJSON, EventBridge envelopes, \
            CloudTrail Lake query results, .zip archives of these, and the CSV of an Athena rollup query \
            (see athena-sql). Without --role, --user or --principal the principals found (roles, IAM users, \
            the root user, federated users) are listed. Exit status: 0 when some input was usable, 2 when \
            none was.
            """
    )

    @Argument(help: "Files or folders to read (folders recursively).")
    var paths: [String]

    @OptionGroup var principals: PrincipalSelectionOptions

    @OptionGroup var selection: EventSelectionOptions

    @Flag(help: "Count calls made by console page views as usage (left out by default).")
    var includeConsole = false

    @Flag(help: "Count calls IAM refused as usage (left out by default; always counted as denied).")
    var includeDenied = false

    @Option(name: .shortAndLong, help: "Write the usage file here (JSON, format iamtiers.usage/2).")
    var output: String?

    @Option(help: "Threads that read and decompress files (default: one per core).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    func run() throws {
        let filter = try selection.filter(selection: principals.selection)
        // The catalog, the mapping and the companion rules load while the logs are read.
        let builder = BackgroundValue {
            let catalog = try loadCatalog()
            return try UsageBuilder(
                catalog: catalog, mapping: try CloudTrailMapping.bundled(catalog: catalog),
                generator: "iamtiers \(IAMTiers.version)")
        }
        let reporter = ProgressReporter()
        let (totals, summary) = EventReader.read(
            paths: paths, filter: filter, workers: max(1, threads), progress: reporter.report)
        reporter.finish()
        for problem in summary.problems { printError("iamtiers: \(TerminalText.sanitized(problem.description))") }
        guard summary.filesRead > 0 || totals.eventsRead > 0 else {
            printError("iamtiers: no usable input in \(paths.joined(separator: " "))")
            throw ExitCode(2)
        }

        let options = AnalysisOptions(filter: filter, includeConsole: includeConsole, includeDenied: includeDenied)
        let usage: Usage
        do {
            usage = try builder.value().build(totals, summary, options)
        } catch let error as AnalysisError {
            switch error {
            case .choosePrincipal(let seen), .noMatchingPrincipal(_, let seen):
                if case .noMatchingPrincipal = error { printError("iamtiers: \(TerminalText.sanitized("\(error)"))") }
                printPrincipals(seen, totals)
                if output != nil || principals.selection != nil { throw ExitCode(2) }
                return
            }
        }
        if let output {
            try AtomicFile.write(usage.jsonData(), to: output)
            print(
                "wrote \(output): \(groupedDigits(usage.actions.count)) actions, "
                    + "\(groupedDigits(usage.provenance.events.kept)) calls, \(groupedDigits(usage.people.count)) people"
            )
        } else {
            printSummary(usage)
        }
    }

    /// Every principal with its type, events and sessions, then where the other events went.
    private func printPrincipals(_ seen: [PrincipalSeen], _ totals: EventTotals) {
        var byService = 0
        var unidentified = 0
        totals.forEachCall { key, tally in
            if key.principalKind == .service { byService += tally.count }
            if key.principalKind == .unknown { unidentified += tally.count }
        }
        if seen.isEmpty {
            print("no calls by roles, IAM users or the root user in the input")
        } else {
            print("principals in the input (pick with --role NAME, --user NAME or --principal ARN):")
            print("  " + padded("type", 16) + padded("events", 10) + padded("sessions", 10) + "principal")
            for principal in seen {
                print(
                    "  " + padded(principal.kind.label, 16) + padded(groupedDigits(principal.events), 10)
                        + padded(groupedDigits(principal.sessions), 10) + TerminalText.sanitized(principal.arn))
            }
        }
        let byPrincipals = seen.reduce(0) { $0 + $1.events }
        print(
            "events    \(groupedDigits(totals.eventsRead)) read: \(groupedDigits(byPrincipals)) by these principals, "
                + "\(groupedDigits(byService)) by AWS services, \(groupedDigits(totals.serviceEvents)) service events, "
                + "\(groupedDigits(unidentified)) unidentified, \(groupedDigits(totals.incomplete)) incomplete, "
                + "\(groupedDigits(totals.outsideWindow)) outside the window, \(groupedDigits(totals.otherAccounts)) "
                + "other accounts")
    }
}

/// A progress line on stderr for reads that take more than a second, only when stderr is a terminal.
final class ProgressReporter: Sendable {
    private struct State {
        var lastPrint: ContinuousClock.Instant?
        var printed = false
    }

    private let start = ContinuousClock.now
    private let state = Mutex(State())
    private let enabled = isatty(2) == 1

    var report: @Sendable (ReadProgress) -> Void {
        { [self] progress in self.update(progress) }
    }

    private func update(_ progress: ReadProgress) {
        guard enabled else { return }
        let now = ContinuousClock.now
        let elapsed = now - start
        guard elapsed > .seconds(1) else { return }
        state.withLock { state in
            if let last = state.lastPrint, now - last < .milliseconds(200) { return }
            state.lastPrint = now
            state.printed = true
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let megabytes = Double(progress.bytesDone) / 1_048_576
            let rate = megabytes / max(seconds, 0.001)
            let remaining =
                progress.byteCount > progress.bytesDone && rate > 0
                ? Double(progress.byteCount - progress.bytesDone) / 1_048_576 / rate : 0
            let line = String(
                format: "\r%d/%d files, %@ events, %.1f MB/s, ETA %.0f s   ", progress.filesDone, progress.fileCount,
                groupedDigits(progress.events), rate, remaining)
            FileHandle.standardError.write(Data(line.utf8))
        }
    }

    func finish() {
        if state.withLock({ $0.printed }) { FileHandle.standardError.write(Data("\r\u{1b}[K".utf8)) }
    }
}
