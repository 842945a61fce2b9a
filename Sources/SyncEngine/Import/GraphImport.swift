import Foundation
import TenantModel

/// Parses Microsoft Graph JSON response bodies for `tenantsync import-tenant`. Pure: no I/O.
///
/// Errors name the file and the JSON path: `users.json: $.value[3].assignedLicenses[0].skuId: expected a string`.
public enum GraphImport {
    /// Parses a `GET /users?$select=id,userPrincipalName,displayName,mail,usageLocation,accountEnabled,
    /// onPremisesImmutableId,assignedLicenses` body (`{"value": [...]}`).
    ///
    /// `id` and `userPrincipalName` are required; the rest may be absent or null (`accountEnabled` then counts as
    /// true). Ids and UPNs (ignoring case) must be unique, and a user lists a SKU at most once.
    public static func parseUsers(_ data: Data, source: String) throws -> GraphUserList {
        let body = try JSONNode.parse(data, source: source).object()
        var users: [TenantUser] = []
        var licenses: [GraphLicense] = []
        var pathById: [String: String] = [:]
        var pathByUPN: [String: String] = [:]
        for node in try body["value"].array() {
            let user = try parseUser(try node.object())
            if let earlier = pathById.updateValue(node.path, forKey: user.id) {
                throw node["id"].failure("duplicate id \(user.id), also at \(earlier)")
            }
            if let earlier = pathByUPN.updateValue(node.path, forKey: user.userPrincipalName.lowercased()) {
                throw node["userPrincipalName"].failure("duplicate userPrincipalName \(user.userPrincipalName), also at \(earlier)")
            }
            users.append(user)
            licenses += try parseLicenses(node["assignedLicenses"], userId: user.id)
        }
        return GraphUserList(users: users, licenses: licenses, nextLink: try body["@odata.nextLink"].optionalString())
    }

    /// Names the SKUs and disabled plans of `licenses` with `resolve`; an unknown SKU or plan id is an error at its
    /// path in `source`.
    public static func directAssignments(
        _ licenses: [GraphLicense], source: String, resolve: GraphSkuResolver
    ) throws -> [DirectAssignment] {
        try licenses.map { license in
            guard let sku = resolve(license.skuId) else {
                throw GraphImportError(
                    source: source, path: "\(license.path).skuId",
                    message: "unknown skuId \(license.skuId) (not in the SKU catalog nor the subscribed SKUs)")
            }
            let plans = try license.disabledPlanIds.enumerated().map { index, planId in
                // Graph writes ids in lower case; resolvers may not.
                let name = sku.planNameById[planId]
                    ?? sku.planNameById.first { $0.key.caseInsensitiveCompare(planId) == .orderedSame }?.value
                guard let name else {
                    throw GraphImportError(
                        source: source, path: "\(license.path).disabledPlans[\(index)]",
                        message: "service plan \(planId) is not a plan of \(sku.partNumber)")
                }
                return name
            }
            return DirectAssignment(userId: license.userId, skuPartNumber: sku.partNumber, disabledPlans: plans)
        }
    }

    /// Parses a `GET /subscribedSkus` body: `skuId`, `skuPartNumber` and `prepaidUnits.enabled` are required,
    /// `servicePlans` may be absent. A part number may appear once.
    public static func parseSubscribedSkus(_ data: Data, source: String) throws -> GraphSubscribedSkus {
        let body = try JSONNode.parse(data, source: source).object()
        var subscriptions: [SubscribedSku] = []
        var definitions: [SkuDefinition] = []
        var pathByPartNumber: [String: String] = [:]
        for node in try body["value"].array() {
            _ = try node.object()
            let skuId = try node["skuId"].string()
            let partNumber = try node["skuPartNumber"].string()
            if let earlier = pathByPartNumber.updateValue(node.path, forKey: partNumber) {
                throw node["skuPartNumber"].failure("duplicate skuPartNumber \(partNumber), also at \(earlier)")
            }
            let seats = try node["prepaidUnits"].object()["enabled"].int()
            let plans = try node["servicePlans"].optionalArray().map { plan in
                ServicePlan(
                    servicePlanId: try plan.object()["servicePlanId"].string(),
                    servicePlanName: try plan["servicePlanName"].string())
            }
            subscriptions.append(SubscribedSku(skuPartNumber: partNumber, enabledUnits: seats))
            definitions.append(SkuDefinition(skuId: skuId, skuPartNumber: partNumber, servicePlans: plans))
        }
        return GraphSubscribedSkus(subscriptions: subscriptions, definitions: definitions)
    }

    private static func parseUser(_ node: JSONNode) throws -> TenantUser {
        TenantUser(
            id: try node["id"].string(),
            userPrincipalName: try node["userPrincipalName"].string(),
            displayName: try node["displayName"].optionalString(),
            mail: try node["mail"].optionalString(),
            usageLocation: try node["usageLocation"].optionalString(),
            accountEnabled: try node["accountEnabled"].optionalBool() ?? true,
            onPremisesImmutableId: try node["onPremisesImmutableId"].optionalString(),
            onPremisesDistinguishedName: try node["onPremisesDistinguishedName"].optionalString(),
            enteredRun: 0)
    }

    private static func parseLicenses(_ node: JSONNode, userId: String) throws -> [GraphLicense] {
        var pathBySku: [String: String] = [:]
        return try node.optionalArray().map { item in
            let skuId = try item.object()["skuId"].string()
            if let earlier = pathBySku.updateValue(item.path, forKey: skuId.lowercased()) {
                throw item["skuId"].failure("duplicate skuId \(skuId), also at \(earlier)")
            }
            let plans = try item["disabledPlans"].optionalArray().map { try $0.string() }
            return GraphLicense(userId: userId, skuId: skuId, disabledPlanIds: plans, path: item.path)
        }
    }
}
