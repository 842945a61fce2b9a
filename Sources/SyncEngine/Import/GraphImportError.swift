/// A Graph JSON body that cannot be imported, naming the file and the JSON path of the offending value.
public struct GraphImportError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file (or other source) the body came from, e.g. `users.json`.
    public var source: String
    /// A JSONPath to the value, e.g. `$.value[3].assignedLicenses[0].skuId`; `$` for the whole body.
    public var path: String
    public var message: String

    public init(source: String, path: String, message: String) {
        self.source = source
        self.path = path
        self.message = message
    }

    public var description: String { "\(source): \(path): \(message)" }
}
