import Testing
@testable import SyncEngine

@Suite("SKU and service-plan names are checked against the catalog")
struct ConfigurationLicensingNameTests {
    private let knownSkus: Set<String> = ["SPE_E3", "SPE_E5", "INTUNE_A"]
    private let plansBySku: [String: Set<String>] = [
        "SPE_E3": ["EXCHANGE_S_ENTERPRISE", "YAMMER_ENTERPRISE", "TEAMS1"],
        "SPE_E5": ["EXCHANGE_S_ENTERPRISE", "YAMMER_ENTERPRISE", "TEAMS1", "THREAT_INTELLIGENCE"],
        "INTUNE_A": ["INTUNE_A"],
    ]
    private var allPlans: Set<String> { plansBySku.values.reduce(into: []) { $0.formUnion($1) } }

    private func problems(_ yaml: String) throws -> [String] {
        let config = try ConfigDecoder.decode(yaml: ConfigTestSupport.minimal + yaml, file: "t.yaml", environment: [:])
        return validateLicensingNames(config, knownSkus: knownSkus, plansBySku: plansBySku, allPlans: allPlans)
            .map(\.description)
    }

    @Test("known names pass")
    func knownNames() throws {
        #expect(try problems("""
            subscriptions: { SPE_E3: 10, INTUNE_A: 5 }
            licenses:
              - { group: staff, sku: SPE_E3, disabledPlans: [YAMMER_ENTERPRISE] }
              - { group: mobile, sku: INTUNE_A }
            catalog:
              exclusive: [ [EXCHANGE_S_ENTERPRISE, TEAMS1] ]

            """).isEmpty)
    }

    @Test("unknown SKUs and plans are errors with did-you-mean hints")
    func unknownNames() throws {
        #expect(try problems("""
            subscriptions: { SPE_E3: 10, spe_e5: 1 }
            licenses:
              - { group: staff, sku: SPE_E3, disabledPlans: [YAMMER_ENTERPRIZE, THREAT_INTELLIGENCE] }
              - { group: other, sku: INTUNE_B }
            catalog:
              exclusive: [ [EXCHANGE_S_ENTERPRISE, TEAMS2] ]

            """) == [
            "t.yaml:6:30: subscriptions.spe_e5: unknown SKU spe_e5 (did you mean SPE_E5?)",
            "t.yaml:8:50: licenses[0].disabledPlans[0]: YAMMER_ENTERPRIZE is not a service plan of SPE_E3 "
                + "(did you mean YAMMER_ENTERPRISE?)",
            "t.yaml:8:69: licenses[0].disabledPlans[1]: THREAT_INTELLIGENCE is not a service plan of SPE_E3 "
                + "(SPE_E3 has the plans EXCHANGE_S_ENTERPRISE, TEAMS1, YAMMER_ENTERPRISE)",
            "t.yaml:9:26: licenses[1].sku: unknown SKU INTUNE_B (did you mean INTUNE_A?)",
            "t.yaml:11:40: catalog.exclusive[0][1]: unknown service plan TEAMS2 (did you mean TEAMS1?)",
        ])
    }

    @Test("a rule for a SKU without subscription has no seats")
    func ruleWithoutSeats() throws {
        #expect(try problems("""
            subscriptions: { SPE_E3: 10 }
            licenses:
              - { group: staff, sku: SPE_E3 }
              - { group: mobile, sku: INTUNE_A }

            """) == [
            "t.yaml:9:27: licenses[1].sku: no seats: INTUNE_A is not listed under subscriptions "
                + "(add INTUNE_A under subscriptions with the number of seats bought)",
        ])
    }

    @Test("without a subscriptions section the seats come from the cloud import")
    func rulesWithoutSubscriptionsSection() throws {
        #expect(try problems("""
            licenses:
              - { group: mobile, sku: INTUNE_A }

            """) == [])
    }

    @Test("SKUs and plans of the config catalog count as known")
    func configCatalog() throws {
        #expect(try problems("""
            subscriptions: { CONTOSO_CAD: 3 }
            licenses:
              - { group: cad, sku: CONTOSO_CAD, disabledPlans: [CAD_RENDER] }
            catalog:
              skus:
                - sku: CONTOSO_CAD
                  skuId: 8d1f5a3c-3b7e-4a51-9b0c-2f6a7d9e0c11
                  servicePlans: [ { name: CAD_CORE }, { name: CAD_RENDER, requires: [CAD_COR, TEAMS1] } ]
              exclusive: [ [CAD_CORE, EXCHANGE_S_ENTERPRISE] ]

            """) == [
            "t.yaml:13:74: catalog.skus[0].servicePlans[1].requires[0]: unknown service plan CAD_COR "
                + "(did you mean CAD_CORE?)",
        ])
    }
}
