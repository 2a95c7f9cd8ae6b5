import Foundation
import Testing

@testable import IAMTiersCore

/// A permission set holds one inline policy of 10,240 characters and, beyond it, customer managed
/// policies of 6,144 that it references by name, within the managed-policy quota: the meter, the
/// packing and the exports follow the same rule.
@Suite struct PermissionSetTests {
    func tier(_ count: Int, attached: [String] = []) -> TierSet {
        let reads = bundledCatalog.services.flatMap { bundledCatalog.actions(inService: $0.prefix, level: .list) }
        return TierSet(
            source: .init(usage: nil, catalogDate: "2026-08-21", generator: "test"),
            tiers: [
                Tier(
                    name: "Read", roleName: "read", container: .identityCenter, attachedPolicies: attached,
                    actions: reads.prefix(count).map { Assignment(action: $0.fullName) })
            ])
    }

    @Test func aSmallTierIsOneInlinePolicy() {
        let policies = PolicySynthesizer().policies(for: tier(100))[0]
        #expect(policies.documents.count == 1 && policies.meter.fits)
        #expect(policies.meter.capacity == 10_240 + 10 * 6_144)
    }

    @Test func whatTheInlinePolicyCannotHoldGoesIntoCustomerManagedPolicies() {
        let set = tier(1_200, attached: ["arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"])
        let policies = PolicySynthesizer().policies(for: set)[0]
        #expect(policies.documents.count > 2)
        #expect(policies.documents[0].size <= AWSLimits.permissionSetInlinePolicy)
        #expect(policies.documents[0].size > AWSLimits.managedPolicySize)  // the inline policy's room is used
        #expect(policies.documents.dropFirst().allSatisfy { $0.size <= AWSLimits.managedPolicySize })
        #expect(policies.meter.fits && policies.meter.documentLimit == 10)  // 1 inline + 10 - 1 attached
        let granted = policies.documents.flatMap { $0.statements.flatMap(\.actions) }
        #expect(Set(granted) == Set(set.tiers[0].actions.map(\.action)) && granted.count == set.tiers[0].actions.count)

        let exporter = Exporter(set: set, policies: [policies], findings: [], catalog: bundledCatalog, accountID: nil)
        let references = policies.documents.count - 1
        let terraform = exporter.terraform()
        #expect(terraform.components(separatedBy: "customer_managed_policy_reference {").count - 1 == references)
        #expect(terraform.contains("provider \"aws\" {\n  alias = \"member\"\n}"))
        let template = exporter.cloudFormation()
        #expect(
            template.contains("      CustomerManagedPolicyReferences:\n        - Name: !Sub \"${NamePrefix}read-2\""))
        #expect(!template.contains("Rules:"))
        let member = exporter.memberAccountPolicies()
        #expect(member.components(separatedBy: "Type: AWS::IAM::ManagedPolicy").count - 1 == references)
    }

    @Test func aTierBeyondTheQuotaDoesNotFitAndTheExportsRefuseIt() {
        let set = tier(3_000)
        let policies = PolicySynthesizer(managedPolicyQuota: 4).policies(for: set)[0]
        #expect(!policies.meter.fits && policies.meter.documentLimit == 5)
        #expect(policies.meter.problems.first?.contains("the permission set can reference 4 more") == true)
        let exporter = Exporter(set: set, policies: [policies], findings: [], catalog: bundledCatalog, accountID: nil)
        #expect(exporter.terraform().contains("precondition {"))
        #expect(exporter.cloudFormation().contains("Rules:\n  ReadFitsAPermissionSet:"))
    }
}
