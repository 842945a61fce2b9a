import Foundation
import TenantModel

/// The RFC 4533 position of every scope, saved as the store's `SyncPosition` (kind `syncrepl`).
struct SyncCookies: Codable, Sendable, Hashable {
    /// Cookie per scope (`ScopeKey`), Base64.
    var cookies: [String: String]
    /// When the last full read happened; `sync.fullSyncEvery` counts from here.
    var fullSyncAt: Date
    /// The member attributes the groups in scope had values in at the last full read, with those of the groups the
    /// deltas since brought: a delta asks the directory about newcomers in these only. `nil` when not known (a
    /// position saved without it), and then every member attribute is asked about.
    var memberAttributes: [String]?

    static let kind = "syncrepl"

    init(cookies: [String: [UInt8]], fullSyncAt: Date, memberAttributes: Set<String>?) {
        self.cookies = cookies.mapValues { Data($0).base64EncodedString() }
        self.fullSyncAt = fullSyncAt
        self.memberAttributes = memberAttributes?.sorted()
    }

    /// The cookies of a saved position, when it is a syncrepl position of this server.
    init?(_ position: SyncPosition?, server: String) {
        guard let position, position.kind == Self.kind, position.server == server,
            let decoded = try? JSONDecoder().decode(SyncCookies.self, from: Data(position.value.utf8))
        else { return nil }
        self = decoded
    }

    /// Whether there is a cookie for each of these scopes (a changed scope needs a full read).
    func covers(_ scopes: [String]) -> Bool {
        Set(scopes) == Set(cookies.keys)
    }

    func cookie(for scope: String) -> [UInt8]? {
        cookies[scope].flatMap { Data(base64Encoded: $0) }.map { [UInt8]($0) }
    }

    var decodedCookies: [String: [UInt8]] {
        cookies.compactMapValues { Data(base64Encoded: $0).map { [UInt8]($0) } }
    }

    func position(server: String) -> SyncPosition {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let value = (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return SyncPosition(kind: Self.kind, value: value, server: server)
    }

    /// The key of a scope: its kind, base and filter. A changed scope starts from a full read.
    static func scopeKey(kind: String, base: String, filter: String) -> String {
        "\(kind)|\(base)|\(filter)"
    }
}

/// The text form of an RFC 4533 entryUUID (16 raw bytes), as the `entryUUID` attribute shows it.
enum EntryUUID {
    static func text(_ bytes: [UInt8]) -> String {
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        guard hex.count == 32 else { return hex }
        let characters = Array(hex)
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(characters[$0]) }.joined(separator: "-")
    }
}
