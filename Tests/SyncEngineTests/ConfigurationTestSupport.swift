import Foundation
@testable import SyncEngine

/// Shared fixtures of the configuration tests.
enum ConfigTestSupport {
    /// The smallest valid configuration; tests append to or edit it.
    static let minimal = """
        directory:
          url: ldap://127.0.0.1:3890
          schema: openldap
          users:
            - { base: "ou=people,dc=example,dc=org", filter: "(objectClass=inetOrgPerson)" }

        """

    /// The rendered errors of decoding `yaml` as `tenantsync.yaml`, empty when it decodes.
    static func errors(_ yaml: String, environment: [String: String] = [:]) -> [String] {
        do {
            _ = try ConfigDecoder.decode(yaml: yaml, file: "tenantsync.yaml", environment: environment)
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    /// A fresh private directory, removed by the returned cleanup.
    static func temporaryDirectory() throws -> (URL, () -> Void) {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("tenantsync-config-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return (url, { try? FileManager.default.removeItem(at: url) })
    }

    /// Writes `contents` to `url` with POSIX `mode`.
    static func write(_ contents: String, to url: URL, mode: Int) throws {
        try Data(contents.utf8).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: url.path)
    }

    /// The example configuration shipped in `config/`.
    static var examplePath: String {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("config/tenantsync.example.yaml").path
    }
}
