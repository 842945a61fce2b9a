import Foundation

/// A JSON value with the path that leads to it, so every type error names where it is.
struct JSONNode {
    let value: JSONValue?
    let path: String
    let source: String

    /// Parses a whole body; a syntax error is reported at `$`.
    static func parse(_ data: Data, source: String) throws -> JSONNode {
        do {
            return JSONNode(value: try JSONDecoder().decode(JSONValue.self, from: data), path: "$", source: source)
        } catch DecodingError.dataCorrupted {
            throw GraphImportError(source: source, path: "$", message: "invalid JSON: \(syntaxError(in: data))")
        } catch {
            throw GraphImportError(source: source, path: "$", message: "invalid JSON: \(error)")
        }
    }

    /// JSONDecoder does not say where the syntax error is; JSONSerialization does ("around character 22").
    private static func syntaxError(in data: Data) -> String {
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            return "not a JSON document"
        } catch {
            return (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
        }
    }

    func failure(_ message: String) -> GraphImportError {
        GraphImportError(source: source, path: path, message: message)
    }

    private func expected(_ what: String) -> GraphImportError {
        failure("expected \(what), found \(value?.kindName ?? "nothing")")
    }

    subscript(key: String) -> JSONNode {
        let isIdentifier = key.first.map { $0.isLetter || $0 == "_" } == true
            && key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
        let childPath = isIdentifier ? "\(path).\(key)" : "\(path)[\"\(key)\"]"
        guard case .object(let members) = value else {
            return JSONNode(value: nil, path: childPath, source: source)
        }
        return JSONNode(value: members[key], path: childPath, source: source)
    }

    var isAbsent: Bool {
        switch value {
        case nil, .null?: true
        default: false
        }
    }

    func object() throws -> JSONNode {
        guard case .object? = value else { throw expected("an object") }
        return self
    }

    func array() throws -> [JSONNode] {
        guard case .array(let items)? = value else { throw expected("an array") }
        return items.enumerated().map { JSONNode(value: $1, path: "\(path)[\($0)]", source: source) }
    }

    /// The elements of an array, or none when the value is absent or null.
    func optionalArray() throws -> [JSONNode] {
        isAbsent ? [] : try array()
    }

    func string() throws -> String {
        guard case .string(let string)? = value else { throw expected("a string") }
        return string
    }

    func optionalString() throws -> String? {
        isAbsent ? nil : try string()
    }

    func optionalBool() throws -> Bool? {
        if isAbsent { return nil }
        guard case .bool(let bool)? = value else { throw expected("a boolean") }
        return bool
    }

    func int() throws -> Int {
        guard case .number(let number)? = value else { throw expected("a number") }
        guard number.rounded() == number, let int = Int(exactly: number) else {
            throw failure("expected a whole number, found \(number)")
        }
        return int
    }
}
