import Foundation
import TenantModel
@testable import TenantStore

/// A store in its own temporary folder, removed by `remove()`.
struct TemporaryStore {
    let folder: URL
    let path: String
    let store: TenantStore

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("tenantstore-\(UUID().uuidString)")
        path = folder.appendingPathComponent("nested/tenant.sqlite").path
        store = try TenantStore(path: path)
    }

    /// Another store on the same file, as a second process would open it.
    func reopen() throws -> TenantStore { try TenantStore(path: path) }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}

enum Fixtures {
    static let t0 = Date(timeIntervalSince1970: 1_760_000_000)

    static func user(_ name: String, anchor: String? = nil, deleted: Date? = nil, enteredRun: Int64 = 1) -> TenantUser {
        TenantUser(
            id: "u-\(name)", userPrincipalName: "\(name)@example.org", displayName: name.capitalized,
            mail: "\(name)@example.org", usageLocation: "DE", accountEnabled: true, onPremisesImmutableId: anchor,
            onPremisesDistinguishedName: anchor.map { _ in "uid=\(name),ou=people,dc=example,dc=org" },
            deletedDateTime: deleted, enteredRun: enteredRun)
    }

    static func group(_ name: String, users: [String], groups: [String] = []) -> TenantGroup {
        TenantGroup(
            id: "g-\(name)", displayName: name, onPremisesImmutableId: "anchor-\(name)",
            onPremisesDistinguishedName: "cn=\(name),ou=groups,dc=example,dc=org",
            memberUserIds: users, memberGroupIds: groups)
    }

    static func path(_ userId: String, _ sku: String, group: String, error: LicenseError = .none) -> LicensePath {
        LicensePath(
            userId: userId, skuPartNumber: sku, assignedByGroup: group, ruleKey: "\(group)/\(sku)",
            disabledPlans: ["YAMMER_ENTERPRISE"], state: error == .none ? .active : .error, error: error,
            errorDetail: error == .none ? nil : "no seat left", lastUpdatedDateTime: t0)
    }

    static func report(_ runId: Int64, outcome: RunOutcome = .success, findings: [Finding] = []) -> RunReport {
        RunReport(
            runId: runId, startedAt: t0.addingTimeInterval(Double(runId) * 60),
            finishedAt: t0.addingTimeInterval(Double(runId) * 60 + 5), mode: .full, dryRun: false, outcome: outcome,
            users: ObjectCounts(added: 3), groups: ObjectCounts(added: 1), licenses: LicenseCounts(assigned: 2, errors: 1),
            findings: findings, userTotal: 3)
    }

    /// Three synced users, one group with two of them and a nested group, paths, subscriptions and a position.
    static func firstSync() -> TenantChangeSet {
        var changes = TenantChangeSet()
        changes.upsertUsers = [user("alice", anchor: "a1"), user("bob", anchor: "a2"), user("carol", anchor: "a3")]
        changes.upsertGroups = [
            group("staff", users: ["u-alice", "u-bob"], groups: ["g-admins"]),
            group("admins", users: ["u-carol"]),
        ]
        changes.upsertPaths = [
            path("u-alice", "SPE_E3", group: "g-staff"),
            path("u-bob", "SPE_E3", group: "g-staff", error: .countViolation),
        ]
        changes.subscriptions = [SubscribedSku(skuPartNumber: "SPE_E3", enabledUnits: 1)]
        changes.position = SyncPosition(kind: "syncrepl", value: "rid=001,csn=20251009", server: nil)
        return changes
    }
}
