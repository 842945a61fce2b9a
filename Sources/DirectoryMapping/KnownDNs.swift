import TenantModel

/// The DNs of the users read so far, as written, with their normalised forms and where the users are in the read.
///
/// A group's member values mostly name users read just before, written the same way: looked up here by their bytes,
/// they are neither made into strings nor parsed, and they share the user's normalised string. A first sync of
/// 100,000 users looks up about 275,000 member values. The user's place in the read goes with the group
/// (`DirectoryGroup.memberUserIndexes`), so that the planner need not look the value up a second time.
public struct KnownDNs: Sendable {
    /// A user's DN as the table knows it.
    public struct Known: Sendable {
        /// The DN's normalised form.
        public let normalized: String
        /// The user's index among the users of the read (`DirectorySnapshot.users`).
        public let userIndex: Int
    }

    private var table = TextTable<Known>()

    public init() {}

    /// How many DNs the table holds.
    public var count: Int { table.count }

    /// Adds `dn` with its normalised form and the index of its user in the read; a DN added before keeps what it
    /// was added with first (a directory holds a DN once).
    public mutating func insert(_ dn: String, normalized form: String, userIndex: Int) {
        table.insertIfAbsent(Known(normalized: form, userIndex: userIndex), for: dn)
    }

    /// The DN whose UTF-8 bytes are `value`, when it was added.
    public func known(_ value: [UInt8]) -> Known? {
        table.value(forUTF8: value)
    }
}
