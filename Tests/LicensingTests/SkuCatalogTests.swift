import Foundation
import Licensing
import TenantModel
import Testing

@Suite struct SkuCatalogTests {
    let catalog = SkuCatalog.builtIn

    @Test func builtInHasMicrosoftSkusWithTheirIds() throws {
        let e5 = try #require(catalog.sku(partNumber: "SPE_E5"))
        #expect(e5.skuId == "06ebc4ee-1bb5-47dd-8120-11324bc54e06")
        #expect(e5.displayName == "Microsoft 365 E5")
        #expect(e5.planNames.contains("EXCHANGE_S_ENTERPRISE"))
        let intune = try #require(catalog.sku(partNumber: "INTUNE_A"))
        #expect(intune.skuId == "061f9ace-7d42-4136-88ac-31dc755f143f")
        #expect(catalog.plansBySku["INTUNE_A"] == ["INTUNE_A"])
        #expect(catalog.allPartNumbers.count == 568)
    }

    @Test func lookupsAreCaseInsensitive() {
        #expect(catalog.sku(partNumber: "spe_e5")?.skuPartNumber == "SPE_E5")
        #expect(catalog.sku(id: "061F9ACE-7D42-4136-88AC-31DC755F143F")?.skuPartNumber == "INTUNE_A")
        #expect(catalog.planId(name: "intune_a") == "c1ec4a95-1f05-45b3-a911-aa3fa01094f5")
        #expect(catalog.sku(partNumber: "NO_SUCH_SKU") == nil)
    }

    @Test func fieldsAreTrimmed() {
        #expect(catalog.allPartNumbers.allSatisfy { $0 == $0.trimmingCharacters(in: .whitespacesAndNewlines) })
        #expect(catalog.allPlanNames.allSatisfy { !$0.contains("\t") && $0 == $0.trimmingCharacters(in: .whitespaces) })
    }

    @Test func exchangePairAndDocumentedSetsAreExclusive() {
        #expect(catalog.exclusiveSets.contains(["EXCHANGE_S_STANDARD", "EXCHANGE_S_ENTERPRISE"]))
        #expect(catalog.exclusiveSets.contains(["INTUNE_A", "INTUNE_A_VL", "INTUNE_B"]))
        #expect(catalog.exclusiveSets.count == 9)
        #expect(catalog.requirements.isEmpty)
    }

    @Test func customSkuMergesWithDerivedIdsAndRequirements() throws {
        let merged = catalog.merging(
            skus: [SkuDefinition(skuId: "8d1f5a3c-3b7e-4a51-9b0c-2f6a7d9e0c11", skuPartNumber: "CONTOSO_CAD", servicePlans: [
                ServicePlan(servicePlanId: "", servicePlanName: "CAD_CORE"),
                ServicePlan(servicePlanId: "", servicePlanName: "CAD_RENDER", requires: ["CAD_CORE"]),
                ServicePlan(servicePlanId: "", servicePlanName: "INTUNE_A"),
            ])],
            exclusive: [["CAD_CORE", "EXCHANGE_S_STANDARD"]])
        let cad = try #require(merged.sku(partNumber: "contoso_cad"))
        #expect(merged.sku(id: "8d1f5a3c-3b7e-4a51-9b0c-2f6a7d9e0c11")?.skuPartNumber == "CONTOSO_CAD")
        #expect(merged.plansBySku["CONTOSO_CAD"] == ["CAD_CORE", "CAD_RENDER", "INTUNE_A"])
        #expect(merged.requirements["CAD_RENDER"] == ["CAD_CORE"])
        #expect(merged.exclusiveSets.contains(["CAD_CORE", "EXCHANGE_S_STANDARD"]))
        let coreId = try #require(merged.planId(name: "CAD_CORE"))
        #expect(UUID(uuidString: coreId) != nil)
        #expect(coreId == SkuCatalog.derivedId(kind: "plan", name: "cad_core"))
        #expect(coreId != merged.planId(name: "CAD_RENDER"))
        // A plan the catalog knows keeps Microsoft's id.
        #expect(cad.servicePlans.last?.servicePlanId == "c1ec4a95-1f05-45b3-a911-aa3fa01094f5")
        // The built-in catalog itself is unchanged.
        #expect(catalog.sku(partNumber: "CONTOSO_CAD") == nil)
    }

    @Test func derivedIdsAreStableAndDistinct() {
        #expect(SkuCatalog.derivedId(kind: "plan", name: "X") == SkuCatalog.derivedId(kind: "plan", name: "x"))
        #expect(SkuCatalog.derivedId(kind: "plan", name: "X") != SkuCatalog.derivedId(kind: "sku", name: "X"))
        // Version 8 (custom) UUID: the 13th hex digit is 8.
        #expect(Array(SkuCatalog.derivedId(kind: "plan", name: "X"))[14] == "8")
    }

    @Test func configCanDropTheExchangePair() {
        let merged = catalog.merging(skus: [], removingExclusive: [["EXCHANGE_S_ENTERPRISE", "EXCHANGE_S_STANDARD"]])
        #expect(!merged.exclusiveSets.contains(["EXCHANGE_S_STANDARD", "EXCHANGE_S_ENTERPRISE"]))
        #expect(merged.exclusiveSets.count == 8)
    }
}
