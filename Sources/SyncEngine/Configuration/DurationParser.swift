/// Reads durations written as `500ms`, `30s`, `30m`, `24h`, `7d`, combinations such as `1h30m`, or a plain
/// number of seconds (`45`).
public enum DurationParser {
    /// The hint given for any duration that cannot be read.
    public static let formsHint = "use forms like 500ms, 30s, 30m, 24h, 1h30m; a plain number means seconds"

    private static let unitMilliseconds: [(unit: String, milliseconds: Int)] = [
        ("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1),
    ]

    /// Parses `text`. Units must appear from largest to smallest, each at most once; numbers are whole
    /// and not negative.
    public static func parse(_ text: String) -> Result<Duration, ConfigValueError> {
        let failure = Result<Duration, ConfigValueError>.failure(
            ConfigValueError(message: "invalid duration \"\(text)\"", hint: formsHint)
        )
        let trimmed = Array(text.trimmingWhitespace().unicodeScalars)
        guard !trimmed.isEmpty else { return failure }
        if trimmed.allSatisfy(isDigit) {
            guard let seconds = Int(String(String.UnicodeScalarView(trimmed))),
                  seconds <= Int.max / 1000 else { return failure }
            return .success(.milliseconds(seconds * 1000))
        }
        var total = 0
        var lastUnitRank = -1
        var index = 0
        while index < trimmed.count {
            let numberStart = index
            while index < trimmed.count, isDigit(trimmed[index]) { index += 1 }
            let unitStart = index
            while index < trimmed.count, !isDigit(trimmed[index]) { index += 1 }
            let number = String(String.UnicodeScalarView(trimmed[numberStart..<unitStart]))
            let unit = String(String.UnicodeScalarView(trimmed[unitStart..<index]))
            guard let value = Int(number),
                  let rank = unitMilliseconds.firstIndex(where: { $0.unit == unit }),
                  rank > lastUnitRank else { return failure }
            lastUnitRank = rank
            let (scaled, overflow) = value.multipliedReportingOverflow(by: unitMilliseconds[rank].milliseconds)
            let (sum, sumOverflow) = total.addingReportingOverflow(scaled)
            guard !overflow, !sumOverflow else { return failure }
            total = sum
        }
        return .success(.milliseconds(total))
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }
}
