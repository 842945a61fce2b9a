import Foundation
import Yams

/// A key path into the configuration, rendered like `licenses[1].disabledPlans[0]`.
struct ConfigKeyPath: CustomStringConvertible {
    private enum Component { case key(String), index(Int) }
    private var components: [Component] = []

    static let root = ConfigKeyPath()

    func appending(key: String) -> ConfigKeyPath {
        var copy = self
        copy.components.append(.key(key))
        return copy
    }

    func appending(index: Int) -> ConfigKeyPath {
        var copy = self
        copy.components.append(.index(index))
        return copy
    }

    var description: String {
        var text = ""
        for component in components {
            switch component {
            case .key(let key): text += text.isEmpty ? key : ".\(key)"
            case .index(let index): text += "[\(index)]"
            }
        }
        return text
    }
}

/// Collects every problem found while decoding one file, instead of stopping at the first.
final class ConfigDiagnostics {
    let file: String
    private(set) var errors: [ConfigError] = []
    /// When set, password sources are checked with this environment while decoding.
    var secretsEnvironment: [String: String]?
    /// Whether a credential outside its service (no `$CREDENTIALS_DIRECTORY`) is left unchecked rather than an
    /// error: for an offline `check-config` run from a shell.
    var credentialOutsideServiceAllowed = false

    init(file: String) { self.file = file }

    func location(of mark: Mark?) -> SourceLocation {
        SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    /// Records `error`, unless the same problem (place, key path and message) is already recorded: a
    /// node read twice must not be reported twice.
    func report(_ error: ConfigError) {
        let isRepeat = errors.contains {
            $0.location == error.location && $0.keyPath == error.keyPath && $0.message == error.message
        }
        if !isRepeat { errors.append(error) }
    }

    func report(at location: SourceLocation, path: ConfigKeyPath, _ message: String, hint: String? = nil) {
        report(ConfigError(at: location, keyPath: path.description, message: message, hint: hint))
    }
}

/// A YAML node at a key path, with typed readers that report a problem and return nil when the node
/// does not hold what is expected.
struct ConfigNode {
    let node: Node
    let path: ConfigKeyPath
    let diagnostics: ConfigDiagnostics

    var location: SourceLocation { diagnostics.location(of: node.mark) }

    /// A plain `~`, `null` or empty scalar: an explicitly empty value.
    var isNull: Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// A list with no elements, as written (`[]`); false for anything that is not a list.
    var isEmptySequence: Bool {
        guard case .sequence(let sequence) = node else { return false }
        return sequence.isEmpty
    }

    /// How the node looks, for "expected X, got Y" messages.
    var shapeDescription: String {
        switch node {
        case .scalar(let scalar): isNull ? "nothing" : "\"\(scalar.string)\""
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    func report(_ message: String, hint: String? = nil) {
        diagnostics.report(at: location, path: path, message, hint: hint)
    }

    func reportTypeMismatch(expected: String, hint: String? = nil) {
        report("expected \(expected), got \(shapeDescription)", hint: hint)
    }

    /// The node as a mapping whose keys are checked against `allowedKeys` (unknown keys are reported
    /// with a did-you-mean hint).
    func mapping(allowedKeys: [String]) -> ConfigMapping? {
        guard case .mapping(let mapping) = node else {
            reportTypeMismatch(expected: "a mapping")
            return nil
        }
        return ConfigMapping(parent: self, mapping: mapping, allowedKeys: allowedKeys)
    }

    /// The node as a list of elements with indexed key paths.
    func sequence() -> [ConfigNode]? {
        guard case .sequence(let sequence) = node else {
            reportTypeMismatch(expected: "a list")
            return nil
        }
        return sequence.enumerated().map { index, element in
            ConfigNode(node: element, path: path.appending(index: index), diagnostics: diagnostics)
        }
    }

    /// Any non-empty scalar, as text.
    func string() -> String? {
        guard case .scalar(let scalar) = node, !isNull else {
            reportTypeMismatch(expected: "a string")
            return nil
        }
        return scalar.string
    }

    /// A non-empty string with where it was written.
    func nonEmptyLocatedString() -> Located<String>? {
        guard let text = string() else { return nil }
        guard !text.trimmingWhitespace().isEmpty else {
            report("must not be empty")
            return nil
        }
        return Located(text, at: location)
    }

    /// A non-empty absolute path: the service runs from `/`, so a relative path would mean something else there
    /// than in the shell where the file was checked.
    func absolutePath() -> Located<String>? {
        guard let path = nonEmptyLocatedString() else { return nil }
        guard path.value.hasPrefix("/") else {
            report("\"\(path.value)\" is not an absolute path", hint: "write the full path, starting with /")
            return nil
        }
        return path
    }

    /// A list of non-empty strings, each with where it was written.
    func locatedStrings() -> [Located<String>]? {
        sequence()?.compactMap { $0.nonEmptyLocatedString() }
    }

    /// `true` or `false` (YAML 1.2 spellings).
    func bool() -> Bool? {
        if case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any {
            switch scalar.string {
            case "true", "True", "TRUE": return true
            case "false", "False", "FALSE": return false
            default: break
            }
        }
        reportTypeMismatch(expected: "a boolean", hint: "true or false")
        return nil
    }

    /// A whole number, unquoted.
    func int() -> Int? {
        if case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any,
           let value = Int(scalar.string) {
            return value
        }
        reportTypeMismatch(expected: "an integer")
        return nil
    }

    /// A string read by `parser`, whose failure is reported here.
    func parse<Value>(_ parser: (String) -> Result<Value, ConfigValueError>) -> Value? {
        guard let text = string() else { return nil }
        switch parser(text) {
        case .success(let value): return value
        case .failure(let problem):
            report(problem.message, hint: problem.hint)
            return nil
        }
    }

    /// A duration such as `30s`, `30m`, `24h`, `1h30m`, `500ms` or a number of seconds.
    func duration() -> Duration? { parse(DurationParser.parse) }

    /// A UUID such as `8d1f5a3c-3b7e-4a51-9b0c-2f6a7d9e0c11`.
    func uuid() -> UUID? {
        parse { text in
            UUID(uuidString: text).map { .success($0) } ?? .failure(ConfigValueError(
                message: "invalid UUID \"\(text)\"", hint: "use the form 8d1f5a3c-3b7e-4a51-9b0c-2f6a7d9e0c11"
            ))
        }
    }

    /// One of the raw values of `Choice`, with a did-you-mean hint otherwise.
    func choice<Choice: RawRepresentable & CaseIterable>(_: Choice.Type, named what: String) -> Choice?
    where Choice.RawValue == String {
        guard let text = string() else { return nil }
        if let value = Choice(rawValue: text) { return value }
        let names = Choice.allCases.map(\.rawValue)
        report(
            "unknown \(what) \"\(text)\"",
            hint: DidYouMean.hint(for: text, among: names) ?? "expected one of \(names.joined(separator: ", "))"
        )
        return nil
    }
}
