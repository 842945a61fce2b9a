import Foundation
import GRDB
import TenantModel

/// What a delta or a full read that skips unchanged entries looks up instead of loading the whole tenant.
extension TenantStore {
    /// The part of the tenant a delta that changed few users needs, or `nil` when the last applied run's licence
    /// evaluation (`LicensingBasis`) is missing, has another fingerprint, or another command wrote since it.
    ///
    /// Loads the users named by `request` (by anchor, and the live holders of its UPNs) and those a narrow delta
    /// always plans with: live users whose UPN is not ASCII (SQLite and Swift may fold it differently),
    /// cloud-only users (a new entry may match one), users due to be purged, users with a group
    /// path that is not `Active` and users with a direct assignment. Groups come whole but list only loaded users.
    ///
    /// `groups`, read ahead by `loadNarrowGroups`, are used while the store is still at the generation they were
    /// read at; otherwise the groups are read again.
    public func loadNarrowState(_ request: NarrowStateRequest, groups: NarrowGroups? = nil) throws -> NarrowState? {
        try StoreError.wrapping("load narrow state") {
            try pool.read { db in try NarrowStateReader.state(request, db, groups: groups) }
        }
    }

    /// The groups `loadNarrowState` needs whatever the delta, read while the delta itself is read; given the
    /// request's `purgeBefore`, also the users it loads whatever the delta.
    public func loadNarrowGroups(purgeBefore: Date? = nil) throws -> NarrowGroups {
        try StoreError.wrapping("load groups") {
            try pool.read { db in
                NarrowGroups(
                    generation: try StoreGeneration.current(db), groups: try NarrowStateReader.groupRows(db),
                    standing: try purgeBefore.map { try NarrowStateReader.standingUsers(purgeBefore: $0, db) })
            }
        }
    }

    /// The anchors of the live synced users holding these UPNs, by UPN. UPNs are compared lower-cased by SQLite,
    /// which knows ASCII only: a UPN with other characters finds no holder.
    public func liveHolders(ofUPNs upns: Set<String>) throws -> [String: String] {
        let ascii = upns.filter { $0.utf8.allSatisfy { $0 < 0x80 } }.sorted()
        guard !ascii.isEmpty else { return [:] }
        return try StoreError.wrapping("look up UPN holders") {
            try pool.read { db in
                var holders: [String: String] = [:]
                for start in stride(from: 0, to: ascii.count, by: 500) {
                    let part = Array(ascii[start..<min(start + 500, ascii.count)])
                    let marks = Array(repeating: "?", count: part.count).joined(separator: ", ")
                    let rows = try Row.fetchCursor(db, sql: """
                        SELECT lower(upn), anchor FROM users
                        WHERE lower(upn) IN (\(marks)) AND deletedDateTime IS NULL AND anchor IS NOT NULL
                        """, arguments: StatementArguments(part))
                    while let row = try rows.next() { holders[row[0]] = row[1] }
                }
                return holders
            }
        }
    }

    /// The content digests of the stored users and groups, by anchor (see `StoredContentHashes`).
    public func loadContentHashes() throws -> StoredContentHashes {
        try StoreError.wrapping("load content digests") {
            try pool.read(StoredContentHashes.load)
        }
    }
}
