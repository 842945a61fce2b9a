import Foundation
import TenantModel

/// The enabled plans of one licence (a SKU minus its disabled plans), prepared for the exclusivity and dependency
/// checks: only the few plans that take part in an exclusive set or need another plan are kept aside, so a check
/// costs little even for SKUs with dozens of plans.
final class PlanSet: Sendable {
    /// The SKU's part number in the catalog's spelling (as given when the catalog does not know it).
    let skuPartNumber: String
    let names: Set<String>
    /// Enabled plans that are in an exclusive set, with the plans they exclude, sorted by plan name.
    let exclusive: [(plan: String, partners: [String])]
    /// Enabled plans that need others, sorted by plan name.
    let requiring: [(plan: String, required: [String])]
    /// Bits (`SkuCatalog.exclusiveBits`) of the enabled plans that are in an exclusive set.
    let exclusiveMask: [UInt64]
    /// Bits of the plans that some enabled plan excludes and this licence does not enable itself.
    let conflictMask: [UInt64]

    init(skuPartNumber: String, disabledPlans: [String], catalog: SkuCatalog) {
        let sku = catalog.sku(partNumber: skuPartNumber)
        self.skuPartNumber = sku?.skuPartNumber ?? skuPartNumber
        let disabled = Set(disabledPlans.map { $0.uppercased() })
        let enabled = (sku?.planNames ?? []).filter { !disabled.contains($0.uppercased()) }.sorted()
        self.names = Set(enabled)
        self.exclusive = enabled.compactMap { plan in catalog.exclusivePartners[plan].map { (plan, $0) } }
        self.requiring = enabled.compactMap { plan in catalog.requirements[plan].map { (plan, $0) } }
        let words = (catalog.exclusiveBits.count + 63) / 64
        var own = [UInt64](repeating: 0, count: words)
        var conflicts = [UInt64](repeating: 0, count: words)
        for (plan, partners) in exclusive {
            Self.set(catalog.exclusiveBits[plan], in: &own)
            for partner in partners { Self.set(catalog.exclusiveBits[partner], in: &conflicts) }
        }
        self.exclusiveMask = own
        self.conflictMask = zip(conflicts, own).map { $0 & ~$1 }
    }

    private static func set(_ bit: Int?, in mask: inout [UInt64]) {
        guard let bit else { return }
        mask[bit / 64] |= 1 << UInt64(bit % 64)
    }

    /// Whether `other` enables a plan this licence excludes.
    func mayConflict(with other: PlanSet) -> Bool {
        zip(conflictMask, other.exclusiveMask).contains { $0 & $1 != 0 }
    }
}

/// A licence a user holds (or is about to hold), as the checks see it.
struct Holding: Sendable {
    let plans: PlanSet
    /// The group's display name for a group path, `nil` for a direct assignment.
    let groupName: String?

    /// How the licence is held, for messages.
    var origin: String { PlanRules.origin(groupName: groupName) }
}

/// Caches `PlanSet`s by SKU and disabled plans, so each distinct licence is prepared once per evaluation.
struct PlanSetCache {
    let catalog: SkuCatalog
    private var sets: [String: PlanSet] = [:]

    init(catalog: SkuCatalog) { self.catalog = catalog }

    mutating func planSet(sku: String, disabledPlans: [String]) -> PlanSet {
        let key = sku.uppercased() + "|" + disabledPlans.map { $0.uppercased() }.sorted().joined(separator: ",")
        if let cached = sets[key] { return cached }
        let set = PlanSet(skuPartNumber: sku, disabledPlans: disabledPlans, catalog: catalog)
        sets[key] = set
        return set
    }
}

/// A conflict between a licence and one the user holds.
struct ExclusiveConflict: Sendable {
    /// The position in `PlanSet.exclusive` of the plan that conflicts; the lowest position is reported.
    let planOrdinal: Int
    let message: String
}

/// The service-plan checks of DESIGN 5.3, shared by the evaluation and the direct-assignment check.
enum PlanRules {
    /// A sentence naming the first conflict between `plans` and what the user holds, `nil` when there is none.
    ///
    /// "First" goes by `plans.exclusive` order, then by holding order.
    static func exclusiveConflict(_ plans: PlanSet, against holdings: [Holding]) -> String? {
        guard !plans.exclusive.isEmpty else { return nil }
        var first: ExclusiveConflict?
        for holding in holdings where plans.mayConflict(with: holding.plans) {
            guard let conflict = exclusiveConflict(plans, with: holding) else { continue }
            if first.map({ conflict.planOrdinal < $0.planOrdinal }) ?? true { first = conflict }
        }
        return first?.message
    }

    /// The first conflict, in `plans.exclusive` order, between `plans` and one licence the user holds.
    static func exclusiveConflict(_ plans: PlanSet, with holding: Holding) -> ExclusiveConflict? {
        for (ordinal, (plan, partners)) in plans.exclusive.enumerated() {
            for partner in partners where holding.plans.names.contains(partner) && !plans.names.contains(partner) {
                return ExclusiveConflict(planOrdinal: ordinal, message:
                    "Plan \(plan) of \(plans.skuPartNumber) cannot be enabled together with \(partner) of "
                    + "\(holding.plans.skuPartNumber), \(holding.origin).")
            }
        }
        return nil
    }

    /// A sentence naming the required plans that neither `plans` nor any holding enables, `nil` when all are there.
    static func missingRequirement(_ plans: PlanSet, available holdings: [Holding]) -> String? {
        var missing: [String] = []
        for (plan, required) in plans.requiring {
            let absent = required.filter { name in
                !plans.names.contains(name) && !holdings.contains { $0.plans.names.contains(name) }
            }
            if !absent.isEmpty { missing.append("\(plan) requires \(absent.joined(separator: ", "))") }
        }
        guard !missing.isEmpty else { return nil }
        return "Plan \(missing.joined(separator: "; ")), which the user does not have enabled."
    }

    /// Whether the user has a usage location of its own.
    ///
    /// A location of only white space (what `CharacterSet.whitespaces` holds: tab and Unicode category Zs) is none;
    /// checked scalar by scalar because this runs once per licensed user.
    static func hasUsageLocation(_ user: TenantUser) -> Bool {
        guard let location = user.usageLocation else { return false }
        return location.unicodeScalars.contains { scalar in
            scalar != "\t" && scalar.properties.generalCategory != .spaceSeparator
        }
    }

    static func origin(groupName: String?) -> String {
        groupName.map { "from group '\($0)'" } ?? "assigned directly (pre-existing)"
    }
}
