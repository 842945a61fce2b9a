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
    /// Lower-case hex, with the UUID's dashes when there are 16 bytes. Written out by hand: the first
    /// `String(format:)` of a process sets up Foundation's formatting, 1 ms of a delta that reports deletions.
    static func text(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2 + 4)
        for (index, byte) in bytes.enumerated() {
            if bytes.count == 16 && (index == 4 || index == 6 || index == 8 || index == 10) { text.append(UInt8(ascii: "-")) }
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
