import Yams

/// A YAML mapping whose keys have been checked: lookups by key, with problems reported at the key.
struct ConfigMapping {
    let parent: ConfigNode
    private(set) var entries: [(key: String, keyLocation: SourceLocation, value: ConfigNode)] = []

    init(parent: ConfigNode, mapping: Node.Mapping, allowedKeys: [String]) {
        self.parent = parent
        let diagnostics = parent.diagnostics
        for (keyNode, valueNode) in mapping {
            let keyLocation = diagnostics.location(of: keyNode.mark)
            guard case .scalar(let keyScalar) = keyNode else {
                diagnostics.report(at: keyLocation, path: parent.path, "keys must be plain names")
                continue
            }
            let key = keyScalar.string
            let path = parent.path.appending(key: key)
            guard allowedKeys.contains(key) else {
                let hint = DidYouMean.hint(for: key, among: allowedKeys)
                    ?? "expected one of: \(allowedKeys.joined(separator: ", "))"
                diagnostics.report(at: keyLocation, path: path, "unknown key", hint: hint)
                continue
            }
            entries.append((key, keyLocation, ConfigNode(node: valueNode, path: path, diagnostics: diagnostics)))
        }
    }

    /// Every entry, for mappings whose keys are data (subscriptions); unchecked keys.
    static func entries(of parent: ConfigNode) -> ConfigMapping? {
        guard case .mapping(let mapping) = parent.node else {
            parent.reportTypeMismatch(expected: "a mapping")
            return nil
        }
        let keys = mapping.compactMap { $0.key.scalar?.string }
        return ConfigMapping(parent: parent, mapping: mapping, allowedKeys: keys)
    }

    /// Whether `key` is written, even with an empty value.
    func contains(_ key: String) -> Bool { entries.contains { $0.key == key } }

    /// Where `key` is written.
    func keyLocation(_ key: String) -> SourceLocation? { entries.first { $0.key == key }?.keyLocation }

    /// The value of `key`; nil only when the key is absent. A key written without a value (`key:` or
    /// `key: null`) yields its null node, so the typed reader reports "expected …, got nothing" instead of
    /// the default being taken silently.
    func value(_ key: String) -> ConfigNode? {
        entries.first { $0.key == key }?.value
    }

    /// The value of a required key; reports `missing required key` (at this mapping) or `missing value`
    /// (at the key) when there is none.
    func required(_ key: String) -> ConfigNode? {
        if let value = value(key), !value.isNull { return value }
        if let location = keyLocation(key) {
            parent.diagnostics.report(at: location, path: parent.path.appending(key: key), "missing value")
        } else {
            parent.diagnostics.report(
                at: parent.location, path: parent.path.appending(key: key), "missing required key"
            )
        }
        return nil
    }

    /// Reports a problem about `key` at the key itself (or at the mapping when it is absent).
    func report(key: String, _ message: String, hint: String? = nil) {
        parent.diagnostics.report(
            at: keyLocation(key) ?? parent.location, path: parent.path.appending(key: key), message, hint: hint
        )
    }

    /// An optional string.
    func string(_ key: String) -> String? { value(key)?.string() }

    /// An optional boolean, `fallback` when absent or invalid.
    func bool(_ key: String, default fallback: Bool) -> Bool { value(key)?.bool() ?? fallback }

    /// An optional duration, `fallback` when absent or invalid.
    func duration(_ key: String, default fallback: Duration) -> Duration { value(key)?.duration() ?? fallback }
}
