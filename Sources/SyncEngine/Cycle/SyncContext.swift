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
    public static func load(path: String, environment: [String: String]) throws(ConfigErrors) -> SyncContext {
        let config = try ConfigLoader.load(path: path, environment: environment)
        let catalog = Self.catalog(for: config)
        var errors = validateLicensingNames(
            config, knownSkus: Set(catalog.allPartNumbers), plansBySku: catalog.plansBySku, allPlans: Set(catalog.allPlanNames))
        var password: String?
        if let bind = config.directory.bind {
            do throws(ConfigErrors) {
                password = try bind.password.load(environment: environment)
            } catch {
                errors += error.errors
            }
        }
        guard errors.isEmpty else { throw ConfigErrors(errors) }
        return SyncContext(config: config, catalog: catalog, password: password)
    }

    /// The catalog the configuration sees: built-in SKUs plus `catalog.skus`, `requires` and `exclusive`.
    static func catalog(for config: TenantSyncConfig) -> SkuCatalog {
        let custom = config.catalog.skus.map { sku in
            SkuDefinition(
                skuId: sku.skuId.uuidString.lowercased(), skuPartNumber: sku.sku.value, displayName: sku.sku.value,
                servicePlans: sku.servicePlans.map { plan in
                    ServicePlan(
                        servicePlanId: plan.id?.uuidString.lowercased() ?? SkuCatalog.derivedId(kind: "plan", name: plan.name.value),
                        servicePlanName: plan.name.value, requires: plan.requires.map(\.value))
                })
        }
        return SkuCatalog.builtIn.merging(skus: custom, exclusive: config.catalog.exclusive.map { $0.map(\.value) })
    }

    /// Seats per SKU: the configuration's `subscriptions` win over seat counts imported from the cloud.
    func seats(stored: [SubscribedSku]) -> [SubscribedSku] {
        var seats = Dictionary(stored.map { ($0.skuPartNumber, $0.enabledUnits) }, uniquingKeysWith: { _, last in last })
        for subscription in config.subscriptions { seats[subscription.sku.value] = subscription.seats }
        return seats.keys.sorted().map { SubscribedSku(skuPartNumber: $0, enabledUnits: seats[$0]!) }
    }
}
