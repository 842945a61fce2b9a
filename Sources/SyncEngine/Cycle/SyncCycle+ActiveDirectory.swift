import DirectoryMapping
import Foundation
import LDAPClient
import TenantModel

extension SyncCycle {
    /// The saved `usn` position when it may serve a delta: no `--full`, the same scopes, the last full read younger
    /// than `sync.fullSyncEvery`. Whether it belongs to the controller is checked once connected.
    func savedUSNPosition(_ position: SyncPosition?, options: RunOptions, now: Date) -> ActiveDirectoryPosition? {
        guard !options.full, let saved = ActiveDirectoryPosition(position), saved.covers(scopeKeys) else { return nil }
        let age = now.timeIntervalSince(saved.fullSyncAt)
        return age < Double(context.config.sync.fullSyncEvery.components.seconds) ? saved : nil
    }

    /// Reads an Active Directory domain: the changes above the saved `uSNChanged` mark when the position belongs
    /// to this controller (a delta), else everything. Either way the controller's `highestCommittedUSN` is read
    /// first and saved as the next position.
    ///
    /// A server that is no domain controller, or a bind account that cannot see deleted objects, is read in full
    /// every time and no position is kept: a delta could not see deletions.
    func readActiveDirectory(
        position: SyncPosition?, state: StateSource, options: RunOptions, now: Date, reader: DirectoryReader,
        report: @escaping @Sendable (Int) -> Void
    ) async throws -> DirectoryRead {
        let controller: DomainController
        do {
            controller = try await LDAPWorker.run { try reader.readDomainController() }
        } catch let error as DomainControllerError {
            progress("no delta position: \(error.message); reading everything")
            return DirectoryRead(snapshot: try await LDAPWorker.run { try reader.readAll(progress: report) }, mode: .full, clearPosition: true)
        }
        guard controller.seesDeletedObjects else {
            progress("the bind account cannot see deleted objects, so no delta is possible; reading everything")
            return DirectoryRead(snapshot: try await LDAPWorker.run { try reader.readAll(progress: report) }, mode: .full, clearPosition: true)
        }
        guard scopesLie(in: controller.namingContext) else {
            progress("a scope lies outside the domain \(controller.namingContext), so no delta is possible; reading everything")
            return DirectoryRead(snapshot: try await LDAPWorker.run { try reader.readAll(progress: report) }, mode: .full, clearPosition: true)
        }
        let next = ActiveDirectoryPosition(highestUSN: controller.highestCommittedUSN, fullSyncAt: now, scopes: scopeKeys)
        if let saved = savedUSNPosition(position, options: options, now: now) {
            if position?.server != controller.identity {
                progress("the saved position belongs to another domain controller or database; reading everything")
            } else if saved.highestUSN > controller.highestCommittedUSN {
                progress("the saved position is ahead of the domain controller; reading everything")
            } else {
                do {
                    var delta = try await readUSNDelta(
                        since: saved, controller: controller, state: try await state.wait(), reader: reader, report: report)
                    delta.position = ActiveDirectoryPosition(
                        highestUSN: controller.highestCommittedUSN, fullSyncAt: saved.fullSyncAt, scopes: scopeKeys
                    ).position(controller: controller)
                    return delta
                } catch let error as LDAPError where error.resultCode > 0 {
                    progress("the changes could not be read (\(error.resultName)); reading everything")
                }
            }
        }
        let snapshot = try await LDAPWorker.run { try reader.readAll(progress: report) }
        return DirectoryRead(snapshot: snapshot, mode: .full, position: next.position(controller: controller))
    }

    /// Whether every scope base is the domain root or below it: the domain-wide search sees removals only there.
    private func scopesLie(in namingContext: String) -> Bool {
        guard let root = try? DistinguishedName(namingContext) else { return false }
        let directory = context.config.directory
        return (directory.users.map(\.base) + directory.groups.map(\.base)).allSatisfy { base in
            guard let dn = try? DistinguishedName(base) else { return false }
            return dn == root || dn.isDescendant(of: root)
        }
    }

    /// The delta: changed entries in scope plus the known objects that were deleted or left the scopes, merged
    /// with the tenant state into a whole snapshot.
    private func readUSNDelta(
        since saved: ActiveDirectoryPosition, controller: DomainController, state: TenantState, reader: DirectoryReader,
        report: @escaping @Sendable (Int) -> Void
    ) async throws -> DirectoryRead {
        var changes = try await LDAPWorker.run {
            try reader.readUSNChanges(
                since: saved.highestUSN, upTo: controller.highestCommittedUSN, namingContext: controller.namingContext, progress: report)
        }
        let (earlier, rechecked) = try await recheckQuarantines(&changes.read, reader: reader) { wanted in
            Self.holders(of: wanted, in: state)
        }
        var (removed, candidates) = ActiveDirectoryDelta.removedAnchors(changes.changed, inScope: changes.read, state: state)
        if !candidates.isEmpty {
            let present = try await LDAPWorker.run { [candidates] in try reader.anchorsStillPresent(candidates) }
            removed.formUnion(Set(candidates.keys).subtracting(present))
        }
        changes.read.deletedAnchors = removed
        var snapshot = DeltaSnapshot.merge(changes.read, into: state)
        if DeltaSnapshot.groupsNeedReading(changes.read, state: state)
            || ActiveDirectoryDelta.removedObjectsWereMembers(removed, state: state)
        {
            // Member values that named no user before may name one now, and the directory drops the member values
            // of deleted objects without touching the groups: read the groups whole.
            changes.read.groups = try await LDAPWorker.run { try reader.readGroups() }
            snapshot.groups = changes.read.groups
        }
        let read = changes.read
        let changed = Set(read.users.map(\.dn) + read.groups.map(\.dn) + read.quarantined.map(\.dn)).union(rechecked)
        return DirectoryRead(snapshot: snapshot, mode: .delta, changedDNs: changed, earlierQuarantines: earlier)
    }
}
