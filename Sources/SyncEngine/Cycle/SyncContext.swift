import Foundation
import Licensing
import TenantModel

/// Everything a cycle needs that comes from the configuration, composed and checked once per load.
public struct SyncContext: Sendable {
    public let config: TenantSyncConfig
    /// The built-in catalog with the configuration's `catalog` section merged in.
    public let catalog: SkuCatalog
    /// The bind password, read when the configuration was loaded; `nil` for an anonymous bind.
    let password: String?

    /// Loads, validates and composes the configuration at `path`. Every problem found is in the thrown `ConfigErrors`.
    public static func load(
        path: String, environment: [String: String], credentialOutsideServiceAllowed: Bool = false
    ) throws(ConfigErrors) -> SyncContext {
        let config: TenantSyncConfig
        do throws(ConfigErrors) {
            config = try ConfigLoader.load(
                path: path, environment: environment, credentialOutsideServiceAllowed: credentialOutsideServiceAllowed)
        } catch {
            // Every problem at once: the names of the sections that decoded are checked too, unless what failed
            // would make them look wrong (a custom SKU that did not decode; a subscription that did not, for the
            // "no seats" check).
            let failed = Set(error.errors.map { $0.keyPath.prefix { $0 != "." && $0 != "[" } })
            guard let sections = error.licensingSections, !failed.contains("catalog") else { throw error }
            var names = Self.nameErrors(sections, catalog: Self.catalog(for: sections.catalog))
            if failed.contains("subscriptions") { names.removeAll { $0.message.hasPrefix("no seats:") } }
            // A rule that did not decode is missing from the list, so the others' indexes in key paths would be off.
            if failed.contains("licenses") { names.removeAll { $0.keyPath.hasPrefix("licenses[") } }
            throw ConfigErrors(error.errors + names)
        }
        let catalog = Self.catalog(for: config.catalog)
        var errors = Self.nameErrors(config.licensingSections, catalog: catalog)
        var password: String?
        if let bind = config.directory.bind,
            !(credentialOutsideServiceAllowed && bind.password.isCredentialOutsideService(environment: environment))
        {
            do throws(ConfigErrors) {
                password = try bind.password.load(environment: environment)
            } catch {
                errors += error.errors
            }
        }
        guard errors.isEmpty else { throw ConfigErrors(errors) }
        return SyncContext(config: config, catalog: catalog, password: password)
    }

    private static func nameErrors(_ sections: LicensingSections, catalog: SkuCatalog) -> [ConfigError] {
        validateLicensingNames(
            sections, knownSkus: Set(catalog.allPartNumbers), plansBySku: catalog.plansBySku, allPlans: Set(catalog.allPlanNames))
    }

    /// Builds the built-in catalog on a thread of its own, so that it is ready (or nearly) when `load` needs it
    /// after reading the configuration: a short run, a delta, is a process start. Harmless to call more than once.
    public static func prepareBuiltInCatalog() {
        Thread { _ = SkuCatalog.builtIn }.start()
    }

    /// The catalog the configuration sees: built-in SKUs plus `catalog.skus`, `requires` and `exclusive`.
    static func catalog(for config: CatalogConfig) -> SkuCatalog {
        let custom = config.skus.map { sku in
            SkuDefinition(
                skuId: sku.skuId.uuidString.lowercased(), skuPartNumber: sku.sku.value, displayName: sku.sku.value,
                servicePlans: sku.servicePlans.map { plan in
                    ServicePlan(
                        servicePlanId: plan.id?.uuidString.lowercased() ?? SkuCatalog.derivedId(kind: "plan", name: plan.name.value),
                        servicePlanName: plan.name.value, requires: plan.requires.map(\.value))
                })
        }
        return SkuCatalog.builtIn.merging(skus: custom, exclusive: config.exclusive.map { $0.map(\.value) })
    }

    /// Seats per SKU: the configuration's `subscriptions` win over seat counts imported from the cloud.
    func seats(stored: [SubscribedSku]) -> [SubscribedSku] {
        var seats = Dictionary(stored.map { ($0.skuPartNumber, $0.enabledUnits) }, uniquingKeysWith: { _, last in last })
        for subscription in config.subscriptions { seats[subscription.sku.value] = subscription.seats }
        return seats.keys.sorted().map { SubscribedSku(skuPartNumber: $0, enabledUnits: seats[$0]!) }
    }
}
