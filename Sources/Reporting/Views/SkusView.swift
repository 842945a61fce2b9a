import TenantModel

/// `tenantsync skus`: subscribed SKUs with seats, consumed and free units, and service plans.
///
/// Sorted by part number. `consumedUnits` counts distinct live users who hold the SKU through any Active path.
public enum SkusView {
    /// The `skus --json` array in Graph's `subscribedSku` shape.
    public static func json(_ view: TenantView) -> String {
        let lookup = view.lookup
        return ViewJSON.array(sortedSubscriptions(view).map { sku in
            ViewJSON.object([
                "skuId": .string(lookup.skuId(forPartNumber: sku.skuPartNumber)),
                "skuPartNumber": .string(sku.skuPartNumber),
                "prepaidUnits": .object(["enabled": .int(sku.enabledUnits)]),
                "consumedUnits": .int(view.consumedUnits(ofSku: sku.skuPartNumber)),
                "servicePlans": .array(lookup.plans(ofSku: sku.skuPartNumber).map { plan in
                    ViewJSON.object(["servicePlanId": .string(plan.id), "servicePlanName": .string(plan.name)])
                }),
            ])
        }).rendered()
    }

    /// A table with one line per SKU (part number, seats, consumed, free, plan count), then a count line such as
    /// `skus: 3, seats: 120, consumed: 98, free: 22`.
    public static func text(_ view: TenantView, colour: Bool) -> String {
        let style = ViewStyle(colour: colour)
        let subscriptions = sortedSubscriptions(view)
        var table = ViewTable(
            header: ["SKU", "SEATS", "CONSUMED", "FREE", "PLANS"], alignments: [.left, .right, .right, .right, .right]
        )
        var seats = 0
        var consumed = 0
        for sku in subscriptions {
            let used = view.consumedUnits(ofSku: sku.skuPartNumber)
            let free = sku.enabledUnits - used
            seats += sku.enabledUnits
            consumed += used
            table.append([
                sku.skuPartNumber,
                String(sku.enabledUnits),
                String(used),
                free < 0 ? style.red(String(free)) : free == 0 ? style.yellow(String(free)) : String(free),
                String(view.lookup.plans(ofSku: sku.skuPartNumber).count),
            ])
        }
        let counts = "skus: \(subscriptions.count), seats: \(seats), consumed: \(consumed), free: \(seats - consumed)"
        return (table.lines(style: style) + [counts]).joined(separator: "\n")
    }

    private static func sortedSubscriptions(_ view: TenantView) -> [SubscribedSku] {
        view.state.subscriptions.sorted { $0.skuPartNumber < $1.skuPartNumber }
    }
}
