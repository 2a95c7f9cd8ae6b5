import ArgumentParser
import Foundation
import IAMTiersCore
import IAMTiersUI

struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "Look up IAM actions in the bundled catalog.",
        subcommands: [Show.self, Expand.self, Stats.self, Browse.self]
    )

    struct Browse: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Browse the catalog full-screen: services, their actions, each action's facts.",
            discussion:
                "Arrows or j/k move, Tab switches panes, q quits. Without a terminal the first screen is printed."
        )

        @OptionGroup var display: DisplayOptions

        func run() throws {
            var state = CatalogBrowserState(catalog: try loadCatalog())
            let themes = display.themes()
            state.theme = themes.selected
            state.themeCount = themes.themes.count
            guard isatty(0) == 1 && isatty(1) == 1 else {
                print(view(state, width: 100, height: 24).textLines.joined(separator: "\n"))
                return
            }
            let result = try runFullScreen(
                state, noColor: display.colorsDisabled, themes: themes.themes,
                view: { view($0, width: $1, height: $2, options: $3) },
                handle: { state, key in if let action = CatalogBrowserAction(key: key) { reduce(&state, action) } },
                theme: \.theme, shouldQuit: \.shouldQuit)
            if result.status != 0 { throw ExitCode(result.status) }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Show an action: access level, read verdict, risk flags, resource types, condition keys, dependent actions."
        )

        @Argument(help: "An action, e.g. s3:GetObject (any case).")
        var action: String

        @Flag(help: "Print JSON for scripts.")
        var json = false

        func run() throws {
            let catalog = try loadCatalog()
            guard let found = catalog.action(named: action) else {
                reportUnknown(action, in: catalog)
                throw ExitCode(1)
            }
            let details = catalog.details(of: found)
            let serviceName = catalog.service(prefix: found.service)?.name ?? found.service
            if json {
                try printJSON(ActionJSON(found, details, serviceName: serviceName))
                return
            }
            print(found.fullName)
            let rows: [(String, [String])] = [
                ("service", ["\(serviceName) (\(found.service))"]),
                ("access level", [found.accessLevel.rawValue]),
                ("description", [details.description]),
                ("risk", riskLines(found.risk)),
                ("read verdict", verdictLine(found, details).map { [$0] } ?? []),
                (
                    "resource types",
                    details.resourceTypes.isEmpty
                        ? ["* (no resource type: the action applies to all resources)"]
                        : details.resourceTypes.map {
                            "\($0.name)\($0.required ? " (required)" : "")  \($0.arnTemplate)"
                        }
                ),
                ("condition keys", details.conditionKeys.isEmpty ? ["none"] : details.conditionKeys),
                ("dependent actions", details.dependentActions.isEmpty ? ["none"] : details.dependentActions),
            ]
            for (label, lines) in rows {
                for (offset, line) in lines.enumerated() {
                    print("  " + padded(offset == 0 ? label : "", 19) + line)
                }
            }
        }
    }

    struct Expand: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the actions that IAM action patterns grant (one a line; the count goes to stderr).",
            discussion: "Wildcards follow IAM: * matches any run of characters, ? exactly one, case-insensitively."
        )

        @Argument(help: "Patterns such as 'ec2:Describe*', 's3:*Object' or 'iam:?etRole'. Quote them for the shell.")
        var patterns: [String]

        func run() throws {
            let catalog = try loadCatalog()
            var indices = Set<Int>()
            var matched: [CatalogAction] = []
            var failed = false
            for text in patterns {
                let pattern: ActionPattern
                do { pattern = try ActionPattern(text) } catch {
                    printError("iamtiers: \(error)")
                    failed = true
                    continue
                }
                let actions = catalog.expand(pattern)
                if actions.isEmpty {
                    if pattern.hasWildcard {
                        printError("iamtiers: no action in the catalog (\(catalog.info.date)) matches '\(text)'")
                    } else {
                        reportUnknown(text, in: catalog)
                    }
                    failed = true
                }
                for action in actions where indices.insert(action.index).inserted { matched.append(action) }
            }
            for action in matched.sorted(by: { $0.index < $1.index }) { print(action.fullName) }
            printError("\(groupedDigits(matched.count)) action\(matched.count == 1 ? "" : "s")")
            if failed { throw ExitCode(1) }
        }
    }

    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Counts of services and actions per access level, risk facts, dependent actions and read verdicts, with provenance."
        )

        @Flag(help: "Print JSON for scripts.")
        var json = false

        @Flag(help: "Also print how long loading the catalog took (to stderr).")
        var timing = false

        func run() throws {
            let clock = ContinuousClock()
            let start = clock.now
            let catalog = try loadCatalog()
            let elapsed = clock.now - start
            let stats = StatsJSON(catalog)
            if json {
                try printJSON(stats)
            } else {
                print("IAM action catalog of \(stats.date)")
                print("  " + padded("source", 26) + stats.source)
                print("  " + padded("licence", 26) + stats.licence)
                print("  " + padded("services", 26) + groupedDigits(stats.services))
                print("  " + padded("actions", 26) + groupedDigits(stats.actions))
                for level in AccessLevel.allCases {
                    print(
                        "    " + padded(level.rawValue, 24)
                            + groupedDigits(stats.actionsByAccessLevel[level.rawValue] ?? 0))
                }
                print("  risk facts")
                print("    " + padded("source", 24) + stats.riskSource)
                print("    " + padded("supplement", 24) + stats.riskSupplement)
                print("    " + padded("assessed actions", 24) + groupedDigits(stats.riskAssessedActions))
                for entry in RiskFlags.named {
                    print("    " + padded(entry.name, 24) + groupedDigits(stats.actionsByRisk[entry.name] ?? 0))
                }
                print("  dependent actions")
                print("    " + padded("source", 24) + stats.dependentsSource)
                print("    " + padded("actions with some", 24) + groupedDigits(stats.actionsWithDependents))
                print("  read verdicts (List and Read actions)")
                print("    " + padded("sources", 24) + stats.verdictSources)
                for verdict in ReadVerdict.allCases {
                    print(
                        "    " + padded(verdict.rawValue, 24)
                            + groupedDigits(stats.readsByVerdict[verdict.rawValue] ?? 0))
                }
            }
            if timing {
                let milliseconds =
                    Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
                printError(String(format: "catalog loaded in %.1f ms", milliseconds))
            }
        }
    }
}

/// The clear message for an action the catalog does not know, with the closest names.
func reportUnknown(_ name: String, in catalog: Catalog) {
    var message = "iamtiers: unknown action '\(name)' (IAM catalog of \(catalog.info.date))"
    if !name.contains(":") {
        message += "; write it as service:Action, e.g. s3:GetObject"
    }
    let suggestions = catalog.suggestions(for: name)
    if !suggestions.isEmpty {
        message += "\ndid you mean: " + suggestions.map(\.fullName).joined(separator: ", ") + "?"
    }
    printError(message)
}

/// `data (iam-dataset): not for a configuration-read tier`, `configuration (ViewOnlyAccess)`; nil
/// for actions that are not reads.
func verdictLine(_ action: CatalogAction, _ details: ActionDetails) -> String? {
    guard let verdict = action.verdict else { return nil }
    let source = details.verdictSource.isEmpty ? "" : " (\(details.verdictSource))"
    let meaning = action.isConfigurationRead ? "" : ": not for a configuration-read tier"
    return verdict.rawValue + source + meaning
}

func riskLines(_ risk: RiskAssessment) -> [String] {
    var lines = risk.datasetFlags.names.map { "\($0) (iam-dataset)" }
    lines += risk.supplementFlags.subtracting(risk.datasetFlags).names.map { "\($0) (iamtiers supplement)" }
    if !risk.assessed {
        lines.append(
            lines.isEmpty
                ? "not assessed: the action is in none of the policies iam-dataset analyses"
                : "(not assessed by iam-dataset)")
    } else if lines.isEmpty {
        lines.append("none flagged by iam-dataset")
    }
    return lines
}

struct ActionJSON: Encodable {
    struct Resource: Encodable {
        let name: String
        let required: Bool
        let arn: String
    }
    struct Risk: Encodable {
        let assessed: Bool
        let flags: [String]
        let supplementFlags: [String]
    }
    let action: String
    let service: String
    let serviceName: String
    let accessLevel: String
    let description: String
    let resourceTypes: [Resource]
    let conditionKeys: [String]
    let dependentActions: [String]
    let risk: Risk
    /// nil for actions that are not List or Read.
    let verdict: String?
    let verdictSource: String?

    init(_ action: CatalogAction, _ details: ActionDetails, serviceName: String) {
        self.action = action.fullName
        service = action.service
        self.serviceName = serviceName
        accessLevel = action.accessLevel.rawValue
        description = details.description
        resourceTypes = details.resourceTypes.map {
            Resource(name: $0.name, required: $0.required, arn: $0.arnTemplate)
        }
        conditionKeys = details.conditionKeys
        dependentActions = details.dependentActions
        verdict = action.verdict?.rawValue
        verdictSource = action.verdict == nil ? nil : details.verdictSource
        risk = Risk(
            assessed: action.risk.assessed, flags: action.risk.datasetFlags.names,
            supplementFlags: action.risk.supplementFlags.names)
    }
}

struct StatsJSON: Encodable {
    let date: String
    let source: String
    let version: String
    let licence: String
    let riskSource: String
    let riskSupplement: String
    let services: Int
    let actions: Int
    let actionsByAccessLevel: [String: Int]
    let riskAssessedActions: Int
    let actionsByRisk: [String: Int]
    let dependentsSource: String
    let actionsWithDependents: Int
    let verdictSources: String
    /// List and Read actions by what they return.
    let readsByVerdict: [String: Int]

    init(_ catalog: Catalog) {
        date = catalog.info.date
        source = catalog.info.source
        version = catalog.info.version
        licence = catalog.info.licence
        riskSource = catalog.info.riskSource
        riskSupplement = catalog.info.riskSupplement
        services = catalog.serviceCount
        actions = catalog.actionCount
        actionsByAccessLevel = Dictionary(
            uniqueKeysWithValues: catalog.countsByLevel().map { ($0.key.rawValue, $0.value) })
        let all = catalog.allActions
        dependentsSource = catalog.info.dependentsSource
        actionsWithDependents = all.count { !catalog.dependentActions(of: $0).isEmpty }
        verdictSources = catalog.info.verdictSources
        readsByVerdict = Dictionary(
            uniqueKeysWithValues: ReadVerdict.allCases.map { verdict in
                (verdict.rawValue, all.count { $0.verdict == verdict })
            })
        riskAssessedActions = all.filter(\.risk.assessed).count
        actionsByRisk = Dictionary(
            uniqueKeysWithValues: RiskFlags.named.map { entry in
                (entry.name, all.filter { $0.risk.flags.contains(entry.flag) }.count)
            }
        )
    }
}
