import DirectoryMapping
import LDAPClient

extension DirectoryReader {
    /// Reads the entries at `dns` again, each from the scope that holds it, as a delta would bring them had they
    /// changed: users, groups, or quarantined again. An entry that is gone or outside every scope comes back in none
    /// of the lists. Blocking: call it through `LDAPWorker.run`.
    ///
    /// A delta sees only entries that changed, but a quarantined entry's verdict can change without it (the user
    /// holding its UPN took another one, say): the entries quarantined by the last run are read again.
    func readEntries(dns: [String]) throws -> SyncRead {
        var read = SyncRead()
        guard !dns.isEmpty else { return read }
        let connection = try LDAPConnection.open(options)
        defer { connection.close() }
        for dn in dns {
            guard let name = try? DistinguishedName(dn) else { continue }
            var found = false
            for scope in directory.users where Self.scope(scope, holds: name) {
                try lookUp(dn, filter: scope.filter, attributes: mapper.map.userAttributes, on: connection) { entry in
                    found = true
                    switch mapper.mapUser(entry) {
                    case .success(let user): read.users.append(user)
                    case .failure(let quarantined): read.quarantined.append(quarantined)
                    }
                }
                if found { break }
            }
            if found { continue }
            for scope in directory.groups where Self.scope(scope, holds: name) {
                try lookUp(dn, filter: scope.filter, attributes: mapper.map.groupAttributes, on: connection) { entry in
                    found = true
                    switch mapper.mapGroup(entry) {
                    case .success(var group):
                        if group.pendingRange != nil { try readRemainingMembers(of: &group, connection: connection) }
                        read.groups.append(group)
                    case .failure(let quarantined): read.quarantined.append(quarantined)
                    }
                }
                if found { break }
            }
        }
        return read
    }

    private static func scope(_ scope: SearchScopeConfig, holds name: DistinguishedName) -> Bool {
        guard let base = try? DistinguishedName(scope.base) else { return false }
        return name == base || name.isDescendant(of: base)
    }

    /// A base search at `dn` with the scope's filter; an entry that does not exist (noSuchObject) gives nothing.
    private func lookUp(
        _ dn: String, filter: String, attributes: [String], on connection: LDAPConnection, _ body: (LDAPEntry) throws -> Void
    ) throws {
        let request = LDAPSearchRequest(base: dn, scope: .base, filter: filter, attributes: attributes)
        do {
            _ = try connection.search(request, onEntry: body)
        } catch let error as LDAPError where error.resultCode == 32 {
            return
        }
    }
}
