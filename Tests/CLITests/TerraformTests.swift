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
        let tiers = try exampleTiers(container: "managed", in: directory)
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
        try terraform.expectFormattedAndValid(out)
    }
}

extension TerraformTests {
    /// Identity-center tiers become permission sets (session length as ISO 8601, one inline policy,
    /// managed policy attachments) that pass fmt and validate.
    @Test func identityCenterTiersAreExportedAsPermissionSets() throws {
        let terraform = try #require(Terraform.available)
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let tiers = try exampleTiers(container: "identity-center", in: directory)
        let out = directory.appendingPathComponent("tf").path
        #expect(try IAMTiersBinary.run("export", tiers, "--out", out, "--format", "terraform").status == 0)
        let main = try String(contentsOfFile: out + "/main.tf", encoding: .utf8)
        #expect(!main.contains("resource \"aws_iam_role\""))
        #expect(main.contains("resource \"aws_ssoadmin_permission_set\" \"read\""))
        #expect(main.contains("session_duration = \"PT12H\""))
        #expect(main.contains("resource \"aws_ssoadmin_permission_set_inline_policy\" \"operator\""))
        #expect(main.contains("managed_policy_arn = \"arn:aws:iam::aws:policy/AdministratorAccess\""))
        try terraform.expectFormattedAndValid(out)
        // And as CloudFormation: AWS::SSO::PermissionSet, which cfn-lint checks against its schema.
        let template = directory.appendingPathComponent("cfn").path
        #expect(try IAMTiersBinary.run("export", tiers, "--out", template, "--format", "cloudformation").status == 0)
        let text = try String(contentsOfFile: template + "/template.yaml", encoding: .utf8)
        #expect(text.contains("Type: AWS::SSO::PermissionSet") && text.contains("SessionDuration: PT12H"))
        #expect(!text.contains("AWS::IAM::Role") && !text.contains("SamlProviderArn"))
        if (try? run("/usr/bin/env", ["cfn-lint", "--version"]).status) == 0 {
            let linted = try run("/usr/bin/env", ["cfn-lint", template + "/template.yaml", "--ignore-checks", "W3037"])
            #expect(linted.status == 0, "\(linted.stdout)\(linted.stderr)")
        }
    }

    /// A permission set bigger than its inline policy: the rest in customer managed policies it
    /// references by name, created in the member account (provider aws.member); fmt and validate.
    @Test func aPermissionSetBeyondItsInlinePolicyReferencesCustomerManagedPolicies() throws {
        let terraform = try #require(Terraform.available)
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let expanded = try IAMTiersBinary.run(
            "catalog", "expand", "ec2:Describe*", "iam:List*", "rds:Describe*", "glue:Get*", "sagemaker:List*")
        let actions = expanded.stdout.split(separator: "\n")
        #expect(actions.count > 400)
        let tiers = directory.appendingPathComponent("tiers.yaml").path
        try
            ("format: iamtiers.tiers/1\ntiers:\n  - name: Read\n    role: big-read\n    container: identity-center\n"
            + "    actions:\n" + actions.map { "      - {action: \($0)}\n" }.joined())
            .write(toFile: tiers, atomically: true, encoding: .utf8)
        let out = directory.appendingPathComponent("tf").path
        let exported = try IAMTiersBinary.run(
            "export", tiers, "--out", out, "--format", "terraform", "--format", "cloudformation")
        #expect(exported.status == 0, "\(exported.stderr)")
        let main = try String(contentsOfFile: out + "/main.tf", encoding: .utf8)
        #expect(main.contains("resource \"aws_ssoadmin_permission_set_inline_policy\" \"read\""))
        #expect(main.contains("resource \"aws_ssoadmin_customer_managed_policy_attachment\" \"big_read_2\""))
        #expect(main.contains("  provider = aws.member\n  name     = \"${var.name_prefix}big-read-2\""))
        #expect(!main.contains("precondition"))
        try terraform.expectFormattedAndValid(out)
        let member = try String(contentsOfFile: out + "/member-account-policies.yaml", encoding: .utf8)
        #expect(member.contains("ManagedPolicyName: !Sub \"${NamePrefix}big-read-2\""))
        if let lint = checkerPath("cfn-lint") {
            let linted = try run(
                lint, [out + "/template.yaml", out + "/member-account-policies.yaml", "--ignore-checks", "W3037"])
            #expect(linted.status == 0, "\(linted.stdout)\(linted.stderr)")
        }
    }

    /// replay's proposal as account assignments: each person's principal a variable (Terraform) or
    /// parameter (CloudFormation), the permission set from the proposal; fmt, validate, cfn-lint.
    @Test func replaysProposalBecomesAccountAssignments() throws {
        let terraform = try #require(Terraform.available)
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let replay = directory.appendingPathComponent("replay.json").path
        try """
        {"format": "iamtiers.replay/1", "people": [
          {"person": "alice@corp.example", "proposedTier": "Read"},
          {"person": "bob@corp.example", "proposedTier": "Operator"},
          {"person": "evil\\u001b[2J\\\"${x}", "proposedTier": "Read"},
          {"person": "nobody@corp.example", "proposedTier": null}]}
        """.write(toFile: replay, atomically: true, encoding: .utf8)
        let tiers = try exampleTiers(container: "identity-center", in: directory)
        let out = directory.appendingPathComponent("out").path
        let exported = try IAMTiersBinary.run(
            "export", tiers, "--out", out, "--format", "terraform", "--format", "cloudformation", "--assignments",
            replay)
        #expect(exported.status == 0, "\(exported.stderr)")
        let main = try String(contentsOfFile: out + "/main.tf", encoding: .utf8)
        #expect(main.contains("    \"alice@corp.example\" = \"read\"\n"), "\(main.suffix(1500))")
        #expect(main.contains("    \"bob@corp.example\"   = \"operator\"\n"))
        #expect(main.contains("$${x}") && !main.contains("\u{1B}"))  // log text cannot template or escape
        #expect(!main.contains("nobody@corp.example") && !main.contains("saml_provider_arn"))
        #expect(main.contains("resource \"aws_ssoadmin_account_assignment\" \"proposed\""))
        try terraform.expectFormattedAndValid(out)
        let template = try String(contentsOfFile: out + "/template.yaml", encoding: .utf8)
        #expect(template.components(separatedBy: "Type: AWS::SSO::Assignment").count - 1 == 3)
        #expect(template.contains("PermissionSetArn: !GetAtt OperatorPermissionSet.PermissionSetArn"))
        if let lint = checkerPath("cfn-lint") {
            let linted = try run(lint, [out + "/template.yaml", "--ignore-checks", "W3037"])
            #expect(linted.status == 0, "\(linted.stdout)\(linted.stderr)")
        }
        let wrong = directory.appendingPathComponent("wrong.json").path
        try "{\"format\": \"iamtiers.usage/2\", \"people\": []}".write(toFile: wrong, atomically: true, encoding: .utf8)
        let refused = try IAMTiersBinary.run("export", tiers, "--out", out, "--assignments", wrong)
        #expect(
            refused.status == 2 && refused.stderr.contains("wrong.json: format is iamtiers.usage/2"),
            "\(refused.stderr)")
    }

    static let hasMoto = (try? run("/usr/bin/env", ["python3", "-c", "import moto, boto3"]).status) == 0

    /// `terraform apply` against moto's IAM on 127.0.0.1, then the roles, policies and attachments
    /// read back with boto3 and compared with the tiers file and the exported documents.
    @Test(.enabled(if: hasMoto, "needs moto and boto3 (PyPI) for an AWS API emulator"))
    func theExportAppliesToAnAWSEmulatorAndReadsBackAsTheTiers() throws {
        let terraform = try #require(Terraform.available)
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let port = try run(
            "/usr/bin/env",
            [
                "python3", "-c",
                "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])",
            ]
        ).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let moto = Process()
        moto.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        moto.arguments = ["moto_server", "-H", "127.0.0.1", "-p", port]
        moto.environment = ProcessInfo.processInfo.environment.merging(["MOTO_IAM_LOAD_MANAGED_POLICIES": "true"]) {
            $1
        }
        moto.standardOutput = FileHandle.nullDevice
        moto.standardError = FileHandle.nullDevice
        try moto.run()
        // moto_server ignores SIGTERM: kill it, or it outlives the test run.
        defer {
            kill(moto.processIdentifier, SIGKILL)
            moto.waitUntilExit()
        }
        let endpoint = "http://127.0.0.1:\(port)"
        let waited = try run(
            "/usr/bin/env",
            [
                "python3", "-c",
                "import time, urllib.request\nfor _ in range(100):\n    try: urllib.request.urlopen('\(endpoint)'); break\n    except Exception: time.sleep(0.1)",
            ])
        #expect(waited.status == 0)

        let tiers = try exampleTiers(container: "managed", in: directory)
        let out = directory.appendingPathComponent("tf").path
        #expect(try IAMTiersBinary.run("export", tiers, "--out", out, "--format", "terraform").status == 0)
        // Test-only: the provider pointed at the emulator.
        try """
        provider "aws" {
          region                      = "us-east-1"
          access_key                  = "test"
          secret_key                  = "test"
          skip_credentials_validation = true
          skip_requesting_account_id  = true
          skip_metadata_api_check     = true
          endpoints {
            iam = "\(endpoint)"
            sts = "\(endpoint)"
          }
        }
        """.write(toFile: out + "/provider_test.tf", atomically: true, encoding: .utf8)
        #expect(try terraform.run(["-chdir=\(out)", "init", "-input=false", "-no-color"]).status == 0)
        let applied = try terraform.run([
            "-chdir=\(out)", "apply", "-auto-approve", "-input=false", "-no-color",
            "-var", "saml_provider_arn=arn:aws:iam::123456789012:saml-provider/corp", "-var", "name_prefix=t-",
        ])
        #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")

        let readBack = """
            import json, sys, boto3
            iam = boto3.client("iam", endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
            roles = {}
            for role in iam.list_roles()["Roles"]:
                attached = [p["PolicyArn"].split("/")[-1] for p in iam.list_attached_role_policies(RoleName=role["RoleName"])["AttachedPolicies"]]
                roles[role["RoleName"]] = {"hours": role["MaxSessionDuration"] // 3600, "attached": sorted(attached)}
            documents = {}
            for policy in iam.list_policies(Scope="Local")["Policies"]:
                version = iam.get_policy_version(PolicyArn=policy["Arn"], VersionId=policy["DefaultVersionId"])
                document = version["PolicyVersion"]["Document"]
                document = json.loads(document) if isinstance(document, str) else document
                documents[policy["PolicyName"]] = sorted(a for s in document["Statement"] for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"]))
            print(json.dumps({"roles": roles, "documents": documents}, sort_keys=True))
            """
        let result = try run("/usr/bin/env", ["python3", "-c", readBack, endpoint])
        #expect(result.status == 0, "\(result.stderr)")
        let deployed = try #require(
            try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: [String: Any]])
        let roles = try #require(deployed["roles"] as? [String: [String: Any]])
        let expected: [String: (hours: Int, attached: [String])] = [
            "t-iamtiers-read": (12, ["t-iamtiers-read-1", "t-iamtiers-read-2"]),
            "t-iamtiers-operator": (1, ["t-iamtiers-operator-1", "t-iamtiers-read-1", "t-iamtiers-read-2"]),
            "t-iamtiers-admin": (1, ["AdministratorAccess"]),
        ]
        #expect(Set(roles.keys) == Set(expected.keys))
        for (name, want) in expected {
            #expect(roles[name]?["hours"] as? Int == want.hours, "\(name)")
            #expect(roles[name]?["attached"] as? [String] == want.attached, "\(name)")
        }
        // Each deployed document grants exactly the actions of the exported one.
        let documents = try #require(deployed["documents"] as? [String: [String]])
        for file in try FileManager.default.contentsOfDirectory(atPath: out + "/policies") {
            let json = try #require(
                try JSONSerialization.jsonObject(
                    with: Data(contentsOf: URL(fileURLWithPath: out + "/policies/" + file)))
                    as? [String: Any])
            let statements = try #require(json["Statement"] as? [[String: Any]])
            let actions = statements.flatMap {
                ($0["Action"] as? [String]) ?? [$0["Action"] as? String].compactMap { $0 }
            }
            #expect(documents["t-" + file.replacingOccurrences(of: ".json", with: "")] == actions.sorted(), "\(file)")
        }
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

    /// `fmt -check`, `init` from the mirror and `validate` on an exported folder: each must pass.
    func expectFormattedAndValid(_ folder: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let fmt = try run(["fmt", "-check", "-diff", folder])
        #expect(
            fmt.status == 0, "terraform fmt would change the export:\n\(fmt.stdout)\(fmt.stderr)",
            sourceLocation: sourceLocation)
        let initialised = try run(["-chdir=\(folder)", "init", "-backend=false", "-input=false", "-no-color"])
        #expect(initialised.status == 0, "\(initialised.stdout)\(initialised.stderr)", sourceLocation: sourceLocation)
        let validated = try run(["-chdir=\(folder)", "validate", "-no-color"])
        #expect(validated.status == 0, "\(validated.stdout)\(validated.stderr)", sourceLocation: sourceLocation)
    }

    func run(_ arguments: [String]) throws -> ProcessResult {
        var environment = ProcessInfo.processInfo.environment
        environment["TF_CLI_CONFIG_FILE"] = configuration.path
        environment["TF_IN_AUTOMATION"] = "1"
        environment["CHECKPOINT_DISABLE"] = "1"
        return try TestSupport.run(executable, arguments, environment: environment)
    }
}
