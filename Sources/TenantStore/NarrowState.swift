import Foundation
import TenantModel

/// The users a narrow delta asks the store for (besides those it always includes; see `TenantStore.loadNarrowState`).
public struct NarrowStateRequest: Sendable {
    /// Anchors of the entries the delta changed or deleted.
    public var anchors: [String]
    /// The changed entries' UPNs, lower-cased (ASCII only): their live holders are loaded too.
    public var lowercasedUPNs: [String]
    /// Users soft-deleted before this time are loaded (they are due to be purged).
    public var purgeBefore: Date
    /// The fingerprint the stored `LicensingBasis` must have.
    public var fingerprint: String

    public init(anchors: [String], lowercasedUPNs: [String], purgeBefore: Date, fingerprint: String) {
        self.anchors = anchors
        self.lowercasedUPNs = lowercasedUPNs
        self.purgeBefore = purgeBefore
        self.fingerprint = fingerprint
    }
}

/// Counts over the whole tenant, for the parts of a report and the guard that a narrow state cannot count itself.
public struct TenantTotals: Sendable, Hashable {
    /// Synced users that are not soft-deleted, and those of them with a DN.
    public var liveSyncedUsers = 0
    public var liveSyncedUsersWithDN = 0
    public var groups = 0
    /// Group paths in state `Active`.
    public var activePaths = 0

    public init(liveSyncedUsers: Int = 0, liveSyncedUsersWithDN: Int = 0, groups: Int = 0, activePaths: Int = 0) {
        self.liveSyncedUsers = liveSyncedUsers
        self.liveSyncedUsersWithDN = liveSyncedUsersWithDN
        self.groups = groups
        self.activePaths = activePaths
    }
}

/// The part of the tenant a narrow delta plans on.
public struct NarrowState: Sendable {
    /// The loaded users (sorted by id), every group with its member users restricted to the loaded ones (sorted by
    /// id) and all its member groups, the loaded users' direct assignments and group paths, and the subscriptions,
    /// position, next run id and generation as `TenantStore.loadState` gives them.
    public var state: TenantState
    /// The last applied run's evaluation, still valid for this state.
    public var basis: LicensingBasis
    public var totals: TenantTotals

    public init(state: TenantState, basis: LicensingBasis, totals: TenantTotals) {
        self.state = state
        self.basis = basis
        self.totals = totals
    }
}
