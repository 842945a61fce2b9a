/// A safety-guard threshold: an absolute number, or a percentage of the objects concerned.
public enum GuardLimit: Sendable, Equatable, CustomStringConvertible {
    /// At most this many (zero or more).
    case count(Int)
    /// At most this percentage, from 0 to 100.
    case percent(Double)

    /// Parses `500` (a count) or `"5%"` / `"2.5%"` (a percentage from 0% to 100%).
    /// Returns the problem as a message and a hint when the text is neither.
    public static func parse(_ text: String) -> Result<GuardLimit, ConfigValueError> {
        let trimmed = text.trimmingWhitespace()
        if trimmed.hasSuffix("%") {
            let number = trimmed.dropLast().trimmingWhitespace()
            guard isPlainDecimal(number), let value = Double(number) else {
                return .failure(ConfigValueError(
                    message: "invalid percentage \"\(text)\"", hint: "use a value from 0% to 100%, like \"5%\""
                ))
            }
            guard value <= 100 else {
                return .failure(ConfigValueError(
                    message: "percentage out of range: \"\(text)\"", hint: "use a value from 0% to 100%"
                ))
            }
            return .success(.percent(value))
        }
        guard let count = Int(trimmed), trimmed.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-") }) else {
            return .failure(ConfigValueError(
                message: "expected a number or a percentage, got \"\(text)\"",
                hint: "use a count like 500 or a percentage like \"5%\""
            ))
        }
        guard count >= 0 else {
            return .failure(ConfigValueError(message: "limit must not be negative, got \(count)"))
        }
        return .success(.count(count))
    }

    /// The limit for `total` objects: a count as is, a percentage of `total` rounded down.
    public func limit(ofTotal total: Int) -> Int {
        switch self {
        case .count(let count): count
        case .percent(let percent): Int((Double(total) * percent / 100).rounded(.down))
        }
    }

    /// `500` or `5%`.
    public var description: String {
        switch self {
        case .count(let count): "\(count)"
        case .percent(let percent):
            percent == percent.rounded() ? "\(Int(percent))%" : "\(percent)%"
        }
    }

    private static func isPlainDecimal(_ text: Substring) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count) else { return false }
        return parts.allSatisfy { part in !part.isEmpty && part.allSatisfy { $0.isASCII && $0.isNumber } }
    }
}

/// Why a single value could not be read; becomes a ``ConfigError`` once its place is known.
public struct ConfigValueError: Error, Sendable, Equatable {
    /// What is wrong.
    public var message: String
    /// How to fix it.
    public var hint: String?

    /// Creates the error.
    public init(message: String, hint: String? = nil) {
        self.message = message
        self.hint = hint
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> Substring {
        let scalars = self[...]
        guard let first = scalars.firstIndex(where: { !$0.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.isWhitespace }) else { return Substring() }
        return Substring(scalars[first...last])
    }
}
