import Testing

@testable import IAMTiersCore

@Suite struct PseudonymTests {
    let pseudonyms = Pseudonyms(people: ["erin@corp.example", "Alice@corp.example", "bob"])

    @Test func sessionNamesWithSeparatorsAreReplacedWhole() {
        let pseudonyms = Pseudonyms(people: ["alice=ops", "alice"])
        #expect(pseudonyms.redact("used by: alice=ops, ALICE") == "used by: person 2, person 1")
    }

    @Test func peopleAreNumberedInSortedOrderWhateverTheirCase() {
        #expect(pseudonyms.redact("alice@corp.example, bob, ERIN@corp.example") == "person 1, person 2, person 3")
    }

    @Test func otherAddressesAndAccountIDsGetStableTags() {
        let text = "asked by mallory@evil.example for arn:aws:iam::123456789012:role/Admin"
        let redacted = pseudonyms.redact(text)
        #expect(!redacted.contains("mallory") && !redacted.contains("123456789012"))
        #expect(redacted.hasPrefix("asked by person-") && redacted.contains("arn:aws:iam::account-"))
        #expect(redacted.hasSuffix(":role/Admin"))
        #expect(pseudonyms.redact(text) == redacted)  // the same every time
        #expect(
            pseudonyms.redact("2026-10-14T19:13:49Z ec2:DescribeInstances 1234")
                == "2026-10-14T19:13:49Z ec2:DescribeInstances 1234")
    }
}

@Suite struct MinutesTests {
    @Test func decisionsAreListedWithTheirNotesInPseudonyms() {
        let source = TierSet.Source(usage: nil, catalogDate: "", generator: "test")
        let start = TierSet(
            source: source,
            tiers: [
                Tier(
                    name: "Read", roleName: "read", maxSessionHours: 12,
                    actions: [Assignment(action: "ec2:StartInstances")]),
                Tier(name: "Operator", roleName: "operator"),
            ])
        var now = start
        now.tiers[0].actions = []
        now.tiers[1].actions = [Assignment(action: "ec2:StartInstances", note: "on-call | asked by bob")]
        now.tiers[0].maxSessionHours = 8
        let minutes = Minutes.markdown(
            from: start, to: now, catalog: bundledCatalog, tiersPath: "tiers.yaml", date: "2026-11-29",
            pseudonyms: Pseudonyms(people: ["bob"]))
        #expect(
            minutes == """
                # Curation minutes: tiers.yaml

                2026-11-29 · 2 decisions

                ## Placements

                | Action | From | To | Note |
                |---|---|---|---|
                | `ec2:StartInstances` | Read | Operator | on-call \\| asked by person 1 |

                ## Settings

                - Read: sessions up to 12 h → 8 h

                """)
        #expect(
            Minutes.markdown(from: start, to: start, catalog: bundledCatalog, tiersPath: "t.yaml", date: "2026-11-29")
                .contains("No decisions: the tiers are as the session found them."))
    }
}
