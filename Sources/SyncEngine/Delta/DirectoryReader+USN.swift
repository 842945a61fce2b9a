import DirectoryMapping
import Foundation
import LDAPClient

/// An object of the domain whose `uSNChanged` moved past the saved position, in or out of scope, live or deleted.
struct ChangedObject: Sendable, Hashable {
    /// The anchors the object may be known by: its user anchor (the consistency GUID when set) and its `objectGUID`.
    var anchors: Set<String>
    /// A tombstone (`isDeleted: TRUE`) or deleted object; `false` for a live object.
    var isDeleted = false
    /// A deleted object's DN before its deletion (its name and `lastKnownParent`), when the tombstone shows it.
    var lastDN: String?
}

/// What a `uSNChanged` read brought: the changed entries of every scope and every changed object of the domain.
struct USNChanges: Sendable {
    /// The changed entries in scope; `deletedAnchors` is filled later from `changed` and the tenant state.
    var read = SyncRead()
    var changed: [ChangedObject] = []
}

extension DirectoryReader {
    /// The show-deleted control: tombstones come back with `isDeleted: TRUE`.
    static let showDeletedControl = LDAPControlValue(oid: "1.2.840.113556.1.4.417", isCritical: true)

    /// Reads the controller's identity and `highestCommittedUSN`. Called before any other search of a run, so a
    /// change committed while the run reads is above the saved mark and comes again in the next delta.
    func readDomainController() throws -> DomainController {
        let connection = try LDAPConnection.open(options)
        defer { connection.close() }
        let attributes = ["highestCommittedUSN", "dsServiceName", "defaultNamingContext"]
        var root: LDAPEntry?
        _ = try connection.search(LDAPSearchRequest(base: "", scope: .base, attributes: attributes)) { root = $0 }
        guard let root, let usn = root.string("highestCommittedUSN").flatMap({ Int64($0) }),
            let serviceName = root.string("dsServiceName"), let namingContext = root.string("defaultNamingContext")
        else { throw DomainControllerError(message: "the root DSE has no highestCommittedUSN, dsServiceName or defaultNamingContext") }
        var settings: LDAPEntry?
        _ = try connection.search(LDAPSearchRequest(base: serviceName, scope: .base, attributes: ["invocationId"])) { settings = $0 }
        guard let invocationId = settings?.values("invocationId").first, !invocationId.isEmpty else {
            throw DomainControllerError(message: "\(serviceName) has no invocationId")
        }
        var seesDeleted = false
        let deletedObjects = LDAPSearchRequest(
            base: "CN=Deleted Objects,\(namingContext)", scope: .base, filter: "(isDeleted=TRUE)", attributes: ["1.1"],
            controls: [Self.showDeletedControl])
        do {
            seesDeleted = try connection.search(deletedObjects) { _ in }.entryCount == 1
        } catch let error as LDAPError where error.resultCode > 0 {
            seesDeleted = false
        }
        return DomainController(
            serviceName: serviceName, invocationId: Data(invocationId).base64EncodedString(), highestCommittedUSN: usn,
            namingContext: namingContext, seesDeletedObjects: seesDeleted)
    }

    /// Reads what changed above `usn`: each scope with `(uSNChanged>=usn+1)` added to its filter, then every
    /// changed object of the domain up to `highest`, tombstones included, to learn which known objects were deleted
    /// or left the scopes. Blocking: call it through `LDAPWorker.run`.
    ///
    /// The domain-wide search stops at `highest` (the mark read before the scopes): an object that changed while the
    /// scopes were read may be missing from them without having left them; the next delta reads it again.
    func readUSNChanges(
        since usn: Int64, upTo highest: Int64, namingContext: String, progress: @Sendable (Int) -> Void = { _ in }
    ) throws -> USNChanges {
        let connection = try LDAPConnection.open(options)
        defer { connection.close() }
        let changedFilter = "(uSNChanged>=\(usn + 1))"
        var changes = USNChanges()
        var count = 0
        func counted() {
            count += 1
            if count % 10_000 == 0 { progress(count) }
        }
        for scope in directory.users {
            _ = try connection.search(changedRequest(scope, changedFilter, attributes: mapper.map.userAttributes)) { entry in
                switch mapper.mapUser(entry) {
                case .success(let user): changes.read.users.append(user)
                case .failure(let quarantined): changes.read.quarantined.append(quarantined)
                }
                counted()
            }
        }
        for scope in directory.groups {
            _ = try connection.search(changedRequest(scope, changedFilter, attributes: mapper.map.groupAttributes)) { entry in
                switch mapper.mapGroup(entry) {
                case .success(var group):
                    if group.pendingRange != nil { try readRemainingMembers(of: &group, connection: connection) }
                    changes.read.groups.append(group)
                case .failure(let quarantined): changes.read.quarantined.append(quarantined)
                }
                counted()
            }
        }
        let anchorAttributes = mapper.map.anchor + [mapper.map.groupAnchor]
        let domainWide = LDAPSearchRequest(
            base: namingContext, scope: .subtree, filter: "(&\(changedFilter)(uSNChanged<=\(highest)))",
            attributes: anchorAttributes + ["isDeleted", "lastKnownParent"], pageSize: directory.pageSize,
            controls: [Self.showDeletedControl])
        _ = try connection.search(domainWide) { entry in
            changes.changed.append(changedObject(entry))
            counted()
        }
        return changes
    }

    /// Which of these anchors (anchor → DN) a live object still carries at that DN.
    func anchorsStillPresent(_ candidates: [String: String]) throws -> Set<String> {
        let connection = try LDAPConnection.open(options)
        defer { connection.close() }
        var present = Set<String>()
        for (anchor, dn) in candidates {
            let request = LDAPSearchRequest(base: dn, scope: .base, attributes: mapper.map.anchor)
            do {
                _ = try connection.search(request) { entry in
                    if anchorValue(entry, attributes: mapper.map.anchor) == anchor { present.insert(anchor) }
                }
            } catch let error as LDAPError where error.resultCode == 32 {
                continue  // noSuchObject: gone
            }
        }
        return present
    }

    private func changedRequest(_ scope: SearchScopeConfig, _ changedFilter: String, attributes: [String]) -> LDAPSearchRequest {
        let scopeFilter = scope.filter.hasPrefix("(") ? scope.filter : "(\(scope.filter))"
        return LDAPSearchRequest(
            base: scope.base, scope: .subtree, filter: "(&\(scopeFilter)\(changedFilter))", attributes: attributes,
            pageSize: directory.pageSize)
    }

    private func changedObject(_ entry: LDAPEntry) -> ChangedObject {
        var anchors = Set<String>()
        if let anchor = anchorValue(entry, attributes: mapper.map.anchor) { anchors.insert(anchor) }
        if let anchor = anchorValue(entry, attributes: [mapper.map.groupAnchor]) { anchors.insert(anchor) }
        let isDeleted = entry.string("isDeleted")?.uppercased() == "TRUE"
        var lastDN: String?
        if isDeleted, let parent = entry.string("lastKnownParent"),
            let rdn = (try? DistinguishedName(entry.dn))?.rdns.first?.first
        {
            // A tombstone is named `CN=<name>\0ADEL:<objectGUID>`: the name is what comes before the line feed.
            let name = rdn.value.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? rdn.value
            lastDN = "\(rdn.type)=\(DistinguishedName.escape(name)),\(parent)"
        }
        return ChangedObject(anchors: anchors, isDeleted: isDeleted, lastDN: lastDN)
    }

    /// The anchor as `EntryMapper` computes it: the first present attribute, encoded as the preset says.
    private func anchorValue(_ entry: LDAPEntry, attributes: [String]) -> String? {
        for attribute in attributes {
            guard let raw = entry.values(attribute).first, !raw.isEmpty else { continue }
            switch mapper.map.anchorEncoding {
            case .base64: return Data(raw).base64EncodedString()
            case .text: return String(validating: raw, as: UTF8.self)
            }
        }
        return nil
    }
}

/// The server does not look like an Active Directory domain controller: no delta position can be kept.
struct DomainControllerError: Error, Sendable, CustomStringConvertible {
    var message: String
    var description: String { message }
}
