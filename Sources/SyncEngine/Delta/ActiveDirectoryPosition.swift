import Foundation
import TenantModel

/// The Active Directory position, saved as the store's `SyncPosition` (kind `usn`): the domain controller's
/// `highestCommittedUSN` read before the searches of the last run, for the scopes they covered.
///
/// A USN only means something on the domain controller that assigned it, so the position's `server` names that
/// controller (`dsServiceName` and `invocationId`); another controller, or the same one restored from a backup
/// (a new `invocationId`), starts from a full read.
struct ActiveDirectoryPosition: Codable, Sendable, Hashable {
    /// Changes with a `uSNChanged` above this value are the next delta.
    var highestUSN: Int64
    /// When the last full read happened; `sync.fullSyncEvery` counts from here.
    var fullSyncAt: Date
    /// The scope keys (`SyncCookies.scopeKey`) the position covers; changed scopes need a full read.
    var scopes: [String]

    static let kind = "usn"

    init(highestUSN: Int64, fullSyncAt: Date, scopes: [String]) {
        self.highestUSN = highestUSN
        self.fullSyncAt = fullSyncAt
        self.scopes = scopes.sorted()
    }

    /// The saved position and the controller it belongs to, when it is a `usn` position.
    init?(_ position: SyncPosition?) {
        guard let position, position.kind == Self.kind,
            let decoded = try? JSONDecoder().decode(ActiveDirectoryPosition.self, from: Data(position.value.utf8))
        else { return nil }
        self = decoded
    }

    /// Whether the position covers exactly these scopes.
    func covers(_ scopes: [String]) -> Bool {
        Set(scopes) == Set(self.scopes)
    }

    /// The position to save, bound to `controller`.
    func position(controller: DomainController) -> SyncPosition {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let value = (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return SyncPosition(kind: Self.kind, value: value, server: controller.identity)
    }
}

/// What the root DSE and the NTDS Settings object of the domain controller say at the start of a read.
struct DomainController: Sendable, Hashable {
    /// The DN of the controller's NTDS Settings object (`dsServiceName`).
    var serviceName: String
    /// The controller's database `invocationId` (a binary GUID), Base64.
    var invocationId: String
    /// `highestCommittedUSN`: every change up to here is committed.
    var highestCommittedUSN: Int64
    /// `defaultNamingContext`: the domain root, where the domain-wide searches start.
    var namingContext: String
    /// Whether the bind account sees the Deleted Objects container: without it deletions are invisible to a delta.
    var seesDeletedObjects: Bool

    /// The `server` of a saved position: the controller and its database instance.
    var identity: String { "\(serviceName)#\(invocationId)" }
}
