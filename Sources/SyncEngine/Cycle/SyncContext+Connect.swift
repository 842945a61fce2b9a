import Foundation
import TenantStore
import LDAPClient

extension SyncContext {
    /// Binds to the directory and counts the users and groups in scope (`check-config --connect`).
    public func countDirectoryScope() async throws -> (users: Int, groups: Int) {
        let reader = DirectoryReader(directory: config.directory, password: password)
        return try await LDAPWorker.run { try reader.countScope() }
    }

    /// Opens the tenant store the configuration names, creating it when it does not exist.
    public func openStore() throws -> TenantStore {
        try TenantStore(path: config.tenant.store)
    }

    /// Opens the tenant store for a command that only looks (a query, a dry run): the configured store when it
    /// exists, else an empty scratch store, so looking never creates the file.
    public func openStoreForLooking() throws -> TenantStore {
        FileManager.default.fileExists(atPath: config.tenant.store) ? try openStore() : try TenantStore.scratch()
    }
}
