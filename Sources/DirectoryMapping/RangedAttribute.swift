/// An attribute description with a range option, as Active Directory sends large multi-valued attributes:
/// `member;range=0-1499` means more values follow, `member;range=1500-*` is the last part.
public struct RangedAttribute: Sendable, Hashable {
    public var attribute: String
    public var start: Int
    /// `nil` for `*`: this was the last part.
    public var end: Int?

    public init(attribute: String, start: Int, end: Int?) {
        self.attribute = attribute
        self.start = start
        self.end = end
    }

    /// Parses `member;range=0-1499`; `nil` when the description carries no range option.
    public init?(description: String) {
        let parts = description.split(separator: ";")
        guard parts.count >= 2 else { return nil }
        for option in parts.dropFirst() where option.lowercased().hasPrefix("range=") {
            let bounds = option.dropFirst("range=".count).split(separator: "-", maxSplits: 1)
            guard bounds.count == 2, let start = Int(bounds[0]) else { return nil }
            let end: Int? = bounds[1] == "*" ? nil : Int(bounds[1])
            if bounds[1] != "*" && end == nil { return nil }
            self.init(attribute: String(parts[0]), start: start, end: end)
            return
        }
        return nil
    }

    /// The attribute description that asks for the next part: `member;range=1500-*`.
    public var nextRequest: String? {
        guard let end else { return nil }
        return "\(attribute);range=\(end + 1)-*"
    }
}
