// swift-tools-version:6.0
import Foundation
import PackageDescription

// Dependency rule: IAMTiersCore has no terminal code; TUIKit is a pure cell grid; only
// NCursesBackend touches ncurses; the iamtiers executable wires them together. SafeText, the rule
// for untrusted text, is shared by the core (where log text enters) and TUIKit (what is drawn).
let package = Package(
    name: "iamtiers",
    products: [.executable(name: "iamtiers", targets: ["iamtiers"])],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .systemLibrary(name: "CNCursesW", path: "Sources/CNCursesW"),
        .systemLibrary(name: "CLibDeflate", path: "Sources/CLibDeflate"),
        .target(name: "SafeText"),
        .target(
            name: "IAMTiersCore",
            dependencies: ["CZlib", "CLibDeflate", "SafeText", .product(name: "Yams", package: "Yams")],
            resources: [
                .copy("Resources/catalog.tsv.gz"), .copy("Resources/cloudtrail-mapping.tsv"),
                .copy("Resources/operation-actions.tsv.gz"), .copy("Resources/policy-sentry-gaps.txt"),
                .copy("Resources/LICENSES"),
            ]
        ),
        .target(name: "TUIKit", dependencies: ["SafeText"]),
        .target(name: "IAMTiersUI", dependencies: ["IAMTiersCore", "TUIKit"]),
        .target(name: "NCursesBackend", dependencies: ["TUIKit", "CNCursesW"]),
        .executableTarget(
            name: "iamtiers",
            dependencies: [
                "IAMTiersCore", "IAMTiersUI", "TUIKit", "NCursesBackend",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // The demo's example and the themes (copies by Scripts/bundle-resources, checked by a test).
            resources: [.copy("Resources/example-cloudtrail.json.gz"), .copy("Resources/Themes")]
        ),
        .executableTarget(
            name: "iamtiers-bench", dependencies: ["IAMTiersCore", "IAMTiersUI", "TUIKit"],
            path: "Benchmarks/Sources/iamtiers-bench"),
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(
            name: "IAMTiersCoreTests",
            dependencies: ["IAMTiersCore", "SafeText", "TestSupport", .product(name: "Yams", package: "Yams")],
            exclude: ["Fixtures"]),
        .testTarget(name: "TUIKitTests", dependencies: ["TUIKit"]),
        .testTarget(
            name: "IAMTiersUITests", dependencies: ["IAMTiersUI", "TUIKit", "IAMTiersCore", "TestSupport"],
            exclude: ["__Snapshots__"]),
        .testTarget(name: "CLITests", dependencies: ["iamtiers", "TestSupport"], exclude: ["__Golden__", "Fixtures"]),
    ]
)

// libFuzzer targets (Tests/Fuzz), only for Scripts/fuzz: the normal build needs no fuzzer runtime.
if ProcessInfo.processInfo.environment["IAMTIERS_FUZZ"] != nil {
    package.targets.append(
        .executableTarget(name: "iamtiers-fuzz", dependencies: ["IAMTiersCore", "TUIKit"], path: "Tests/Fuzz"))
}
