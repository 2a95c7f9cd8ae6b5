import Foundation
import Testing

@testable import IAMTiersCore

/// One rule for what a role gets from the tiers below it, followed by policies, quota and exports.
@Suite struct InheritanceTests {
    /// Read with many actions and an AWS managed policy, Operator inheriting it, Admin on top.
    func ladder(readActions: Int) -> TierSet {
        let reads: [CatalogAction] = bundledCatalog.services.flatMap { service in
            bundledCatalog.actions(inService: service.prefix, level: .list)
        }
        let actions: [Assignment] = reads.prefix(readActions).map { action in Assignment(action: action.fullName) }
        return TierSet(
            source: .init(usage: nil, catalogDate: "2026-08-21", generator: "test"),
            tiers: [
                Tier(
                    name: "Read", roleName: "read", attachedPolicies: ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
                    actions: Array(actions)),
                Tier(name: "Operator", roleName: "operator", actions: [Assignment(action: "s3:PutObject")]),
                Tier(name: "Admin", roleName: "admin", attachedPolicies: [Tier.administratorAccess]),
            ])
    }

    @Test func anAdministratorRoleGetsNothingFromTheTiersBelow() throws {
        let set = ladder(readActions: 1500)
        #expect(set.inheritedTiers(of: 1) == [0] && set.inheritedTiers(of: 2) == [])
        #expect(set.attachedPolicies(of: 2) == [Tier.administratorAccess])
        let policies = PolicySynthesizer(catalog: bundledCatalog).policies(for: set)
        #expect(policies[0].documents.count > 1)  // big enough to need several documents
        let exporter = Exporter(set: set, policies: policies, findings: [], catalog: bundledCatalog, accountID: nil)
        #expect(exporter.attachedDocuments(of: 2).isEmpty)
        let terraform = exporter.terraform()
        let adminAttachments = terraform.components(separatedBy: "role       = aws_iam_role.admin.name").count - 1
        #expect(adminAttachments == 1, "\(terraform)")
    }

    @Test func everyAttachmentARoleGetsCountsAgainstTheQuotaInheritedOnesToo() throws {
        let set = ladder(readActions: 1500)
        let documents = PolicySynthesizer(catalog: bundledCatalog).policies(for: set)[0].documents.count
        // Operator gets Read's documents and Read's ReadOnlyAccess, and its own document.
        let exact = PolicySynthesizer(managedPolicyQuota: documents + 2, catalog: bundledCatalog).policies(for: set)
        #expect(exact[1].meter.problems.isEmpty, "\(exact[1].meter.problems)")
        let short = PolicySynthesizer(managedPolicyQuota: documents + 1, catalog: bundledCatalog).policies(for: set)
        #expect(
            short[1].meter.problems.first?.contains("1 attached, \(documents) inherited") == true,
            "\(short[1].meter.problems)")
        // The export attaches what the quota counted: Read's ReadOnlyAccess goes with Read's actions.
        let terraform = Exporter(set: set, policies: exact, findings: [], catalog: bundledCatalog, accountID: nil)
            .terraform()
        #expect(terraform.contains("resource \"aws_iam_role_policy_attachment\" \"operator_attached_1\""))
    }

    @Test func aPermissionSetInheritingALargeTierCountsTheInheritedAttachmentAgainstTheQuota() throws {
        var set = ladder(readActions: 1500)
        for index in set.tiers.indices { set.tiers[index].container = .identityCenter }
        let policies = PolicySynthesizer(catalog: bundledCatalog).policies(for: set)
        // Operator gets Read's actions in its own documents and Read's ReadOnlyAccess attached.
        #expect(set.attachedPolicies(of: 1) == ["arn:aws:iam::aws:policy/ReadOnlyAccess"])
        #expect(policies[1].documents.count > 1 && policies[1].meter.fits, "\(policies[1].meter.problems)")
        #expect(policies[1].meter.documentLimit == 1 + AWSLimits.managedPoliciesPerRole - 1)
        let terraform = Exporter(set: set, policies: policies, findings: [], catalog: bundledCatalog, accountID: nil)
            .terraform()
        #expect(!terraform.contains("precondition"))
        #expect(terraform.contains("resource \"aws_ssoadmin_customer_managed_policy_attachment\" \"operator_2\""))
    }
}
