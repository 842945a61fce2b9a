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

    /// Creates a request.
    public init(anchors: [String], lowercasedUPNs: [String], purgeBefore: Date, fingerprint: String) {
        self.anchors = anchors
        self.lowercasedUPNs = lowercasedUPNs
        self.purgeBefore = purgeBefore
        self.fingerprint = fingerprint
    }
}

/// The part of the tenant a narrow delta plans on.
public struct NarrowState: Sendable {
    /// The loaded users (sorted by id), every group with its member users restricted to the loaded ones (sorted by
    /// id) and all its member groups, the loaded users' direct assignments and group paths, and the subscriptions,
    /// position, next run id and generation as `TenantStore.loadState` gives them.
    public var state: TenantState
    /// The last applied run's evaluation and the tenant's totals after it, still valid for this state.
    public var basis: LicensingBasis

    /// Counts over the whole tenant (the basis's).
    public var totals: TenantTotals { basis.totals }

    /// Creates a narrow state.
    public init(state: TenantState, basis: LicensingBasis) {
        self.state = state
        self.basis = basis
    }
}

/// The tenant's groups with their member groups but no member users, read ahead of `TenantStore.loadNarrowState`
/// (while a delta waits for the directory), with the store generation they were read at.
public struct NarrowGroups: Sendable {
    /// The store generation the groups were read at.
    public let generation: Int64
    /// The groups, in id order.
    public let groups: [TenantGroup]
    /// The users a narrow state loads whatever the delta, with their paths and direct assignments, when read with
    /// the groups (`TenantStore.loadNarrowGroups(purgeBefore:)`).
    let standing: StandingUsers?
}

/// The users every narrow state of a store generation loads (`NarrowStateReader.standingKeys`), read ahead.
struct StandingUsers: Sendable {
    /// Users deleted before this are due to be purged, and loaded.
    var purgeBefore: Date
    var keys: Set<Int64>
    /// The keys of those with a direct assignment.
    var directKeys: Set<Int64>
    var users: [(key: Int64, user: TenantUser)]
    /// Their group paths by user key, each user's sorted (as `NarrowStateReader` sorts them).
    var paths: [Int64: [LicensePath]]
    var directAssignments: [DirectAssignment]
}
