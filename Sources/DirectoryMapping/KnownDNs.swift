import TenantModel

/// The DNs of the users read so far, as written, with their normalised forms.
///
/// A group's member values mostly name users read just before, written the same way: looked up here by their bytes,
/// they are neither made into strings nor parsed, and they share the user's normalised string. A first sync of
/// 100,000 users looks up about 275,000 member values.
public struct KnownDNs: Sendable {
    private var table = TextTable<String>()

    public init() {}

    /// How many DNs the table holds.
    public var count: Int { table.count }

    /// Adds `dn` with its normalised form; a DN added before keeps its first normalised form (the same DN normalises
    /// the same way).
    public mutating func insert(_ dn: String, normalized form: String) {
        table.insertIfAbsent(form, for: dn)
    }

    /// The normalised form of the DN whose UTF-8 bytes are `value`, when it was added.
    public func normalized(of value: [UInt8]) -> String? {
        table.value(forUTF8: value)
    }
}
