import GRDB

/// The store's schema, built by numbered migrations.
///
/// A migration that has shipped is never edited: a file created by an older release must end in the same schema as a
/// new one. Change the schema by adding `v2`, `v3`, ... at the end.
enum StoreSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1", migrate: v1)
        migrator.registerMigration("v2", migrate: v2)
        migrator.registerMigration("v3", migrate: v3)
        return migrator
    }

    /// The users' secondary indexes: their names and `CREATE` statements. A first sync into an empty table drops
    /// them and builds them after the rows are in (see `ChangeWriter`).
    static let userIndexes: [(name: String, create: String)] = [
        // A soft-deleted user keeps its UPN until purged, yet a new user may take it: unique among live users only.
        ("users_live_upn", "CREATE UNIQUE INDEX users_live_upn ON users(lower(upn)) WHERE deletedDateTime IS NULL;"),
        // A soft-deleted user keeps its anchor so that the same directory object returning restores it.
        ("users_anchor", "CREATE UNIQUE INDEX users_anchor ON users(anchor) WHERE anchor IS NOT NULL;"),
    ]

    // Dates are REAL seconds since 1970 (readable with `datetime(col, 'unixepoch')`); plan lists are comma-joined
    // text (see `ColumnCoding.planText`). Users have an integer `userKey` besides their id: the large tables (member
    // lists, licence paths) refer to users by it, which keeps the file and its pages small.
    private static func v1(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE users (
                userKey INTEGER PRIMARY KEY,
                id TEXT NOT NULL UNIQUE,
                upn TEXT NOT NULL,
                displayName TEXT,
                mail TEXT,
                usageLocation TEXT,
                accountEnabled INTEGER NOT NULL,
                anchor TEXT,
                dn TEXT,
                deletedDateTime REAL,
                enteredRun INTEGER NOT NULL
            );
            \(userIndexes.map(\.create).joined(separator: "\n"))

            CREATE TABLE groups (
                id TEXT PRIMARY KEY NOT NULL,
                anchor TEXT NOT NULL UNIQUE,
                displayName TEXT NOT NULL,
                dn TEXT NOT NULL,
                outOfScopeMemberCount INTEGER NOT NULL DEFAULT 0
            );

            -- One row per group: its member users' keys, packed (see `MemberKeys`). A member list is only ever
            -- replaced whole, and purging a user removes its key from the lists that hold it.
            CREATE TABLE group_member_users (
                groupId TEXT PRIMARY KEY NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
                userKeys BLOB
            ) WITHOUT ROWID;

            CREATE TABLE group_member_groups (
                groupId TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
                memberGroupId TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
                PRIMARY KEY (groupId, memberGroupId)
            ) WITHOUT ROWID;
            CREATE INDEX group_member_groups_member ON group_member_groups(memberGroupId);

            CREATE TABLE direct_assignments (
                userId TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                sku TEXT NOT NULL,
                disabledPlans TEXT NOT NULL DEFAULT '',
                lastUpdated REAL NOT NULL,
                PRIMARY KEY (userId, sku)
            ) WITHOUT ROWID;

            -- Group paths only; direct paths are derived from direct_assignments. A path may outlive its group (a
            -- group that vanished keeps its assignments until the guard allows their removal), so no FK on it.
            CREATE TABLE license_paths (
                userKey INTEGER NOT NULL REFERENCES users(userKey) ON DELETE CASCADE,
                sku TEXT NOT NULL,
                ruleKey TEXT NOT NULL,
                assignedByGroup TEXT,
                disabledPlans TEXT NOT NULL DEFAULT '',
                state TEXT NOT NULL,
                error TEXT NOT NULL,
                errorDetail TEXT,
                lastUpdated REAL NOT NULL,
                PRIMARY KEY (userKey, sku, ruleKey)
            ) WITHOUT ROWID;

            CREATE TABLE subscriptions (
                sku TEXT PRIMARY KEY NOT NULL,
                seats INTEGER NOT NULL
            );

            -- Raised by every write that changes the tenant (a run's apply, a direct licence, an import), so a run
            -- can refuse to apply a plan made on a state that changed meanwhile.
            CREATE TABLE store_generation (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                value INTEGER NOT NULL
            );
            INSERT INTO store_generation (id, value) VALUES (1, 0);

            CREATE TABLE sync_position (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                kind TEXT NOT NULL,
                value TEXT NOT NULL,
                server TEXT
            );

            CREATE TABLE runs (
                id INTEGER PRIMARY KEY,
                startedAt REAL NOT NULL,
                finishedAt REAL NOT NULL,
                mode TEXT NOT NULL,
                dryRun INTEGER NOT NULL,
                outcome TEXT NOT NULL,
                usersAdded INTEGER NOT NULL,
                usersUpdated INTEGER NOT NULL,
                usersDeleted INTEGER NOT NULL,
                usersQuarantined INTEGER NOT NULL,
                groupsAdded INTEGER NOT NULL,
                groupsUpdated INTEGER NOT NULL,
                groupsDeleted INTEGER NOT NULL,
                licensesAssigned INTEGER NOT NULL,
                licensesRemoved INTEGER NOT NULL,
                licenseErrors INTEGER NOT NULL,
                findingCount INTEGER NOT NULL,
                userTotal INTEGER NOT NULL,
                report TEXT NOT NULL
            );
            """)
    }

    /// What a narrow delta looks up instead of loading the whole tenant: the last evaluation's basis, and partial
    /// indexes (they stay as small as the rows they name) for the users it must always include; and the content
    /// digests a full read compares entries with.
    private static func v2(_ db: Database) throws {
        try db.execute(sql: """
            -- Written with every run that applies (see `LicensingBasis`); valid while the store is still at the
            -- generation it was written at.
            CREATE TABLE licensing_basis (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                fingerprint TEXT NOT NULL,
                generation INTEGER NOT NULL,
                consumedUnits TEXT NOT NULL,
                totals TEXT NOT NULL
            );
            -- The digest of the directory entry the row was last mapped from (see `ContentHasher`): a full read
            -- maps only entries whose digest changed.
            ALTER TABLE users ADD COLUMN contentHash INTEGER;
            ALTER TABLE groups ADD COLUMN contentHash INTEGER;
            CREATE INDEX license_paths_unsettled ON license_paths(userKey) WHERE state <> 'Active';
            CREATE INDEX users_cloud_only ON users(userKey) WHERE anchor IS NULL;
            -- UPNs SQLite's lower() may fold otherwise than Swift: their holders are always loaded.
            CREATE INDEX users_unusual_upn ON users(userKey) WHERE upn GLOB '*[^ -~]*';
            CREATE INDEX users_deleted ON users(deletedDateTime) WHERE deletedDateTime IS NOT NULL;
            """)
    }

    /// The users whose UPN SQLite's lower() may fold otherwise than Swift are those whose UPN is not ASCII: tested by
    /// comparing its characters with its bytes, which SQLite does in a third of the time of the GLOB of v2 (at
    /// 100,000 users, 13 against 45 ms of a first sync's user writes). Control characters, which the GLOB also
    /// named, fold alike in both.
    private static func v3(_ db: Database) throws {
        try db.execute(sql: """
            DROP INDEX users_unusual_upn;
            CREATE INDEX users_non_ascii_upn ON users(userKey) WHERE \(nonASCIIUPN);
            """)
    }

    /// The condition of `users_non_ascii_upn`; a query must repeat it to use the index.
    static let nonASCIIUPN = "length(upn) <> length(CAST(upn AS BLOB))"
}
