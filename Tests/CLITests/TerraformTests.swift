import Foundation
import TestSupport
import Testing

/// The exported Terraform through terraform itself: fmt, init from a local provider mirror, validate.
/// Nothing is downloaded: without terraform or a mirror the suite is skipped with the reason.
@Suite(.enabled(if: Terraform.available != nil, "\(Terraform.missing)"))
struct TerraformTests {
    @Test func theExportPassesFmtInitAndValidate() throws {
        let terraform = try #require(Terraform.available)
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let tiers = Repository.root.appendingPathComponent("Tests/CLITests/__Golden__/example-tiers.yaml").path
        let out = directory.appendingPathComponent("tf").path
        let exported = try IAMTiersBinary.run("export", tiers, "--out", out, "--format", "terraform")
        #expect(exported.status == 0, "\(exported.stderr)")

        // The documents are in main.tf itself, where scanners look, and are the same as policies/*.json.
        let main = try String(contentsOfFile: out + "/main.tf", encoding: .utf8)
        #expect(!main.contains("file("))
        for file in try FileManager.default.contentsOfDirectory(atPath: out + "/policies") {
            let json = try String(contentsOfFile: out + "/policies/" + file, encoding: .utf8)
            let indented = json.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")
            #expect(main.contains("policy = <<-EOT\n" + indented + "\n  EOT"), "\(file)")
        }
        #expect(main.contains("output \"role_arns\""))
        let fmt = try terraform.run(["fmt", "-check", "-diff", out])
        #expect(fmt.status == 0, "terraform fmt would change the export:\n\(fmt.stdout)\(fmt.stderr)")
        let initialised = try terraform.run(["-chdir=\(out)", "init", "-backend=false", "-input=false", "-no-color"])
        #expect(initialised.status == 0, "\(initialised.stdout)\(initialised.stderr)")
        let validated = try terraform.run(["-chdir=\(out)", "validate", "-no-color"])
        #expect(validated.status == 0, "\(validated.stdout)\(validated.stderr)")
    }
}

/// terraform with a CLI configuration that installs providers only from the machine's mirror.
struct Terraform {
    let executable: String
    let configuration: URL

    static let missing =
        "needs terraform and a local provider mirror (a folder holding registry.terraform.io/hashicorp/aws)"

    static let available: Terraform? = {
        guard
            let executable = ["/usr/local/bin/terraform", "/usr/bin/terraform"].first(where: {
                FileManager.default.isExecutableFile(atPath: $0)
            })
        else { return nil }
        // Where such a mirror is kept: looked for the way the brief says, at most four levels down.
        let found = try? TestSupport.run(
            "/usr/bin/env", ["find", "/", "-maxdepth", "4", "-name", "registry.terraform.io", "-type", "d"])
        guard
            let mirror = found?.stdout.split(separator: "\n").map(String.init).first(where: {
                FileManager.default.fileExists(atPath: $0 + "/hashicorp/aws")
            })
        else { return nil }
        let configuration = FileManager.default.temporaryDirectory.appendingPathComponent("iamtiers-terraform.rc")
        let text = """
            provider_installation {
              filesystem_mirror {
                path    = "\((mirror as NSString).deletingLastPathComponent)"
                include = ["registry.terraform.io/*/*"]
              }
              direct {
                exclude = ["registry.terraform.io/*/*"]
              }
            }
            """
        guard (try? text.write(to: configuration, atomically: true, encoding: .utf8)) != nil else { return nil }
        return Terraform(executable: executable, configuration: configuration)
    }()

    func run(_ arguments: [String]) throws -> ProcessResult {
        var environment = ProcessInfo.processInfo.environment
        environment["TF_CLI_CONFIG_FILE"] = configuration.path
        environment["TF_IN_AUTOMATION"] = "1"
        environment["CHECKPOINT_DISABLE"] = "1"
        return try TestSupport.run(executable, arguments, environment: environment)
    }
}
