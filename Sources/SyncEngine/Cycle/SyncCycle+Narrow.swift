import DirectoryMapping
import Foundation
import LDAPClient
import Licensing
import TenantModel
import TenantStore

/// The store's groups read while a delta is read (`TenantStore.loadNarrowGroups`), with the rules resolved against
/// them meanwhile.
struct GroupsAhead: Sendable {
    var groups: NarrowGroups
    var rules: [ResolvedLicenseRule]
}

/// A delta planned on the part of the tenant it touches (`TenantStore.loadNarrowState`) instead of the whole state.
struct NarrowDelta: Sendable {
    var loaded: NarrowState
    /// Users outside the loaded ones holding each SKU (`LicensingInput.heldElsewhere`).
    var heldElsewhere: [String: Int]
    /// The rules resolved against the loaded groups, which a narrow delta does not change.
    var rules: [ResolvedLicenseRule]
}

extension SyncCycle {
    /// The narrow state for a delta of user changes, or `nil` when the delta must be planned on the whole state.
    ///
    /// A narrow delta evaluates licences only for the users it loads: those the delta changed or deleted, and every
    /// user whose licences could change because of them — users waiting for a seat or refused by a check (any path
    /// not `Active`) and users with direct assignments. Every other user keeps exactly the paths the last applied
    /// run gave them: their memberships and attributes did not change, all their paths are `Active`, and an active
    /// path keeps its seat. That holds only while the last run's evaluation (`LicensingBasis`) is the store's
    /// latest write and was made under the same rules, so the store hands out a narrow state only then. Deltas
    /// that change groups, quarantine entries, delete groups or need the groups read again are planned on the whole
    /// state. A delta's earlier quarantines are judged before (`recheckQuarantines`): those whose verdict stands are
    /// carried, the others come in as changes.
    ///
    /// When users came, came back or moved while groups count member values that named nobody, `reader` asks the
    /// directory whether any group names them (without it, such a delta is planned on the whole state), in
    /// `memberAttributes` when they are known (`SyncCookies.memberAttributes`).
    ///
    /// `groupsAhead` are the store's groups and the rules resolved against them, read while the delta was.
    func narrowDelta(
        for read: SyncRead, now: Date, reader: DirectoryReader? = nil, memberAttributes: Set<String>? = nil,
        groupsAhead: GroupsAhead? = nil
    ) async throws -> NarrowDelta? {
        guard read.groups.isEmpty, read.quarantined.isEmpty else { return nil }
        // Loading users one by one pays only for a few of them.
        guard read.users.count + read.deletedAnchors.count <= Self.narrowLimit else { return nil }
        // The store folds UPNs with SQLite's lower(), which knows ASCII only.
        let upns = read.users.map(\.userPrincipalName)
        guard upns.allSatisfy({ $0.utf8.allSatisfy { $0 < 0x80 } }) else { return nil }
        let request = NarrowStateRequest(
            anchors: read.users.map(\.anchor) + read.deletedAnchors.sorted(), lowercasedUPNs: upns.map { $0.lowercased() },
            purgeBefore: Self.narrowPurgeBefore(now: now), fingerprint: context.licensingFingerprint)
        let store = self.store
        let loaded: NarrowState
        do {
            let found = try await LDAPWorker.run { try store.loadNarrowState(request, groups: groupsAhead?.groups) }
            guard let found else { return nil }
            loaded = found
        } catch {
            throw StateLoadFailure(underlying: error)
        }
        let state = loaded.state
        // A deleted group needs the groups planned whole. (By index: a loop over the groups themselves copies each.)
        guard read.deletedAnchors.isEmpty
            || !state.groups.indices.contains(where: { read.deletedAnchors.contains(state.groups[$0].onPremisesImmutableId) }),
            DirectoryPlanner.canPlanDelta(read, state: state)
        else { return nil }
        switch DeltaSnapshot.groupReading(read, state: state) {
        case nil:
            break
        case .movedUserListed:
            return nil
        case .newcomersMayBeNamed(let newcomers):
            // No group naming them, no group resolves differently: the delta stays narrow. Any doubt (too many to
            // ask about, an error) plans it on the whole state, which reads the groups.
            guard let reader, newcomers.count <= Self.newcomerLookupLimit,
                (try? await LDAPWorker.run { try reader.groupsName(newcomers, attributes: memberAttributes) }) == false
            else { return nil }
        }
        // The groups read ahead are the state's while the store is at their generation: so are their rules.
        let rules = groupsAhead.flatMap { $0.groups.generation == state.generation ? $0.rules : nil }
            ?? RuleResolution(rules: context.config.licenses).resolve(against: state.groups)
        guard rules.allSatisfy({ if case .resolved = $0.group { true } else { false } }) else { return nil }
        guard let held = heldElsewhere(loaded) else { return nil }
        return NarrowDelta(loaded: loaded, heldElsewhere: held, rules: rules)
    }

    /// A narrow state loads the users deleted before this, due to be purged.
    static func narrowPurgeBefore(now: Date) -> Date {
        now.addingTimeInterval(-DirectoryPlanner.restoreWindow)
    }

    /// The most changed and deleted entries a narrow delta loads.
    static let narrowLimit = 10_000
    /// The most newcomers one directory search asks about (each is a term of its filter).
    static let newcomerLookupLimit = 200

    /// The last run's holders of each SKU less the loaded users among them; `nil` if the numbers do not add up
    /// (the whole evaluation then decides).
    private func heldElsewhere(_ loaded: NarrowState) -> [String: Int]? {
        let catalog = context.catalog
        func canonical(_ partNumber: String) -> String { catalog.sku(partNumber: partNumber)?.skuPartNumber ?? partNumber }
        var held: [String: Set<String>] = [:]
        let live = Set(loaded.state.users.lazy.filter { !$0.isDeleted }.map(\.id))
        for path in loaded.state.groupPaths where path.state == .active && live.contains(path.userId) {
            held[canonical(path.skuPartNumber), default: []].insert(path.userId)
        }
        for assignment in loaded.state.directAssignments where live.contains(assignment.userId) {
            held[canonical(assignment.skuPartNumber), default: []].insert(assignment.userId)
        }
        var elsewhere: [String: Int] = [:]
        for (sku, consumed) in loaded.basis.consumedUnits { elsewhere[canonical(sku), default: 0] += consumed }
        for (sku, users) in held {
            let rest = elsewhere[sku, default: 0] - users.count
            guard rest >= 0 else { return nil }
            elsewhere[sku] = rest
        }
        return elsewhere
    }
}
