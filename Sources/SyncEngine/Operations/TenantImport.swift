import Foundation
import TenantModel
import TenantStore

/// `tenantsync import-tenant`: seeds cloud-only users, their direct licences and the seat counts from Microsoft Graph
/// JSON. Importing the same files twice changes nothing.
public enum TenantImport {
    /// Reads the files, checks every SKU and plan id, and writes everything in one transaction.
    public static func run(context: SyncContext, usersFile: String, skusFile: String?) throws -> ImportSummary {
        let skus = try skusFile.map { file in try GraphImport.parseSubscribedSkus(try read(file), source: file) }
        let list = try GraphImport.parseUsers(try read(usersFile), source: usersFile)
        let catalog = context.catalog
        // The catalog first; the subscribedSkus body names SKUs the catalog lacks and may add plans (or list none,
        // when it was fetched with a $select that left servicePlans out).
        let assignments = try GraphImport.directAssignments(list.licenses, source: usersFile) { skuId in
            let listed = skus?.resolve(skuId: skuId)
            guard let sku = catalog.sku(id: skuId) else { return listed }
            let known = sku.servicePlans.map { ($0.servicePlanId.lowercased(), $0.servicePlanName) }
            let plans = Dictionary(known, uniquingKeysWith: { first, _ in first })
                .merging(listed?.planNameById ?? [:], uniquingKeysWith: { catalog, _ in catalog })
            return (sku.skuPartNumber, plans)
        }
        // Graph's assignedLicenses carry no time: an assignment is dated by the import that first stores it (the store
        // keeps that time when a later import brings the same assignment).
        let now = Date()
        let dated = assignments.map { assignment in
            var dated = assignment
            dated.lastUpdatedDateTime = now
            return dated
        }
        let store = try context.openStore()
        return try store.importCloudUsers(list.users, directAssignments: dated, subscriptions: skus?.subscriptions)
    }

    private static func read(_ path: String) throws -> Data {
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw GraphImportError(source: path, path: "$", message: "cannot read the file: \(error.localizedDescription)")
        }
    }
}
