import DirectoryMapping
import LDAPClient

/// What reading entries again by DN found.
struct RereadEntries: Sendable {
    /// The entries found, mapped as a delta maps them.
    var read = SyncRead()
    /// The DNs that were looked up in a scope that holds them, found or not (gone, or out of the scope's filter).
    /// The others could not be checked: a DN under no scope, or a search that failed.
    var lookedUp: Set<String> = []
}

extension DirectoryReader {
    /// Reads the entries at `dns` again, each from the scope that holds it, as a delta would bring them had they
    /// changed: users, groups, or quarantined again. Blocking: call it through `LDAPWorker.run`.
    ///
    /// A delta sees only entries that changed, but a quarantined entry's verdict can change without it (the user
    /// holding its UPN took another one, say): the entries quarantined by the last run are read again.
    func readEntries(dns: [String]) throws -> RereadEntries {
        var result = RereadEntries()
        guard !dns.isEmpty else { return result }
        let connection = try LDAPConnection.open(options)
        defer { connection.close() }
        for dn in dns {
            guard let name = try? DistinguishedName(dn) else { continue }
            let userScopes = directory.users.filter { Self.scope($0, holds: name) }
            let groupScopes = directory.groups.filter { Self.scope($0, holds: name) }
            do {
                var found = false
                for scope in userScopes where !found {
                    try lookUp(dn, filter: scope.filter, attributes: mapper.map.userAttributes, on: connection) { entry in
                        found = true
                        switch mapper.mapUser(entry) {
                        case .success(let user): result.read.users.append(user)
                        case .failure(let quarantined): result.read.quarantined.append(quarantined)
                        }
                    }
                }
                for scope in groupScopes where !found {
                    try lookUp(dn, filter: scope.filter, attributes: mapper.map.groupAttributes, on: connection) { entry in
                        found = true
                        switch mapper.mapGroup(entry) {
                        case .success(var group):
                            if group.pendingRange != nil { try readRemainingMembers(of: &group, connection: connection) }
                            result.read.groups.append(group)
                        case .failure(let quarantined): result.read.quarantined.append(quarantined)
                        }
                    }
                }
                if !userScopes.isEmpty || !groupScopes.isEmpty { result.lookedUp.insert(dn) }
            } catch let error as LDAPError where error.resultCode > 0 {
                continue  // the server refused this one (a referral, no access): its finding stands
            }
        }
        return result
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
