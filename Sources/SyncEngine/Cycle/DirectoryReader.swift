import DirectoryMapping
import LDAPClient
import TenantModel

/// Reads every user and group scope of the configuration in one fresh connection and maps the entries as they
/// stream in, so only mapped values are kept. Blocking: call it through `LDAPWorker.run`.
struct DirectoryReader: Sendable {
    var options: LDAPConnectionOptions
    var directory: DirectoryConfig
    var mapper: EntryMapper
    /// The stored users once loaded (`nil` before): mapped users share the texts of the stored users they equal.
    var storedUsers: @Sendable () -> [TenantUser]?

    init(directory: DirectoryConfig, password: String?, storedUsers: @escaping @Sendable () -> [TenantUser]? = { nil }) {
        self.directory = directory
        self.storedUsers = storedUsers
        let bind: LDAPBind =
            if let bindConfig = directory.bind, let password {
                .simple(dn: bindConfig.dn, password: LDAPSecret(password))
            } else {
                .anonymous
            }
        options = LDAPConnectionOptions(
            url: directory.url.string, startTLS: directory.startTLS, caFile: directory.tls.caFile,
            verifyCertificate: directory.tls.verify, bind: bind, connectTimeout: directory.timeout,
            operationTimeout: directory.timeout)
        mapper = EntryMapper(map: AttributeMap(preset: directory.schema.preset, overrides: directory.attributes.dictionary)) { dn in
            try? DistinguishedName.normalize(dn)
        }
    }

    /// Reads the whole scope. Throws `LDAPError` for a failed or truncated read: the caller then changes nothing.
    func readAll(progress: @escaping @Sendable (Int) -> Void = { _ in }) throws -> DirectorySnapshot {
        let connection = try LDAPConnection.open(options)
        defer { connection.close() }
        var collector = EntryCollector(mapper: mapper, texts: StoredTexts(source: storedUsers), progress: progress)
        for scope in directory.users {
            _ = try connection.search(request(scope, attributes: mapper.map.userAttributes)) { collector.addUser($0) }
        }
        for scope in directory.groups {
            _ = try connection.search(request(scope, attributes: mapper.map.groupAttributes)) { entry in
                guard var group = collector.mapGroup(entry) else { return }
                if group.pendingRange != nil { try readRemainingMembers(of: &group, connection: connection) }
                collector.groups.append(group)
            }
        }
        return collector.snapshot
    }

    /// Counts the users and groups in scope (`check-config --connect`).
    func countScope() throws -> (users: Int, groups: Int) {
        let connection = try LDAPConnection.open(options)
        defer { connection.close() }
        var users = 0
        var groups = 0
        for scope in directory.users { users += try connection.search(request(scope, attributes: ["1.1"])) { _ in }.entryCount }
        for scope in directory.groups { groups += try connection.search(request(scope, attributes: ["1.1"])) { _ in }.entryCount }
        return (users, groups)
    }

    /// Active Directory hands out large member lists in ranges (`member;range=0-1499`); fetch the rest of them.
    func readRemainingMembers(of group: inout DirectoryGroup, connection: LDAPConnection) throws {
        while let range = group.pendingRange, let next = range.nextRequest {
            let request = LDAPSearchRequest(base: group.dn, scope: .base, filter: "(objectClass=*)", attributes: [next])
            var part: LDAPEntry?
            _ = try connection.search(request) { part = $0 }
            guard let part else { break }
            mapper.appendMembers(from: part, to: &group)
            if group.pendingRange == range { break }
        }
        group.pendingRange = nil
    }

    private func request(_ scope: SearchScopeConfig, attributes: [String]) -> LDAPSearchRequest {
        LDAPSearchRequest(
            base: scope.base, scope: .subtree, filter: scope.filter, attributes: attributes, pageSize: directory.pageSize)
    }
}

extension DirectorySchema {
    var preset: SchemaPreset {
        switch self {
        case .openldap: .openldap
        case .activedirectory: .activedirectory
        case .freeipa: .freeipa
        }
    }
}

extension AttributeOverrides {
    /// The overrides that are set, keyed as in the configuration.
    var dictionary: [String: String] {
        var result: [String: String] = [:]
        result["anchor"] = anchor
        result["userPrincipalName"] = userPrincipalName
        result["mail"] = mail
        result["displayName"] = displayName
        result["usageLocation"] = usageLocation
        result["accountEnabled"] = accountEnabled
        result["member"] = member
        return result
    }
}
