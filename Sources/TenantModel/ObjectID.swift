import Foundation

/// Makes tenant object ids.
public enum ObjectID {
    /// A new random object id in Graph's form (a lower-case UUID).
    public static func make() -> String {
        UUID().uuidString.lowercased()
    }
}
