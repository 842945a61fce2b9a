import TenantStore
import LDAPClient

extension SyncContext {
    /// Binds to the directory and counts the users and groups in scope (`check-config --connect`).
    public func countDirectoryScope() async throws -> (users: Int, groups: Int) {
        let reader = DirectoryReader(directory: config.directory, password: password)
        return try await LDAPWorker.run { try reader.countScope() }
    }

    /// Opens the tenant store the configuration names.
    public func openStore() throws -> TenantStore {
        try TenantStore(path: config.tenant.store)
    }
}
