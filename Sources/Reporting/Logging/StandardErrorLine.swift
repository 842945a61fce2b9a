import Foundation
import Glibc

/// Readable lines on standard error: `2026-11-26T20:00:00Z warning: message key=value`.
public enum StandardErrorLine {
    /// Formats one line (without the newline). Fields are written as `key=value`, quoted when they contain spaces,
    /// quotes or `=`; newlines in the message are escaped so one event stays one line.
    public static func format(date: Date, priority: JournalPriority, message: String, fields: [(String, String)] = []) -> String {
        format(timestamp: timestamp(date), priority: priority, message: message, fields: fields)
    }

    /// The time a line starts with (ISO 8601, in seconds): made once for lines written at the same time.
    public static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    /// `format(date:priority:message:fields:)` with the time already made (`timestamp`).
    public static func format(timestamp: String, priority: JournalPriority, message: String, fields: [(String, String)] = []) -> String {
        var line = timestamp + " " + priority.name + ": " + escapeNewlines(message)
        for (key, value) in fields {
            line += " " + key + "=" + quotedIfNeeded(value)
        }
        return line
    }

    /// Writes `line` and a newline to file descriptor 2 in one `write`, so lines from threads do not interleave.
    @Sendable public static func write(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(2, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }
            offset += written
        }
    }

    /// The readable line for a journal entry: its time, priority and MESSAGE.
    public static func format(_ entry: JournalEntry, date: Date) -> String {
        format(entry, timestamp: timestamp(date))
    }

    /// `format(_:date:)` with the time already made (`timestamp`).
    public static func format(_ entry: JournalEntry, timestamp: String) -> String {
        let priority = entry["PRIORITY"].flatMap(Int.init).flatMap(JournalPriority.init(rawValue:)) ?? .info
        return format(timestamp: timestamp, priority: priority, message: entry["MESSAGE"] ?? "")
    }

    private static func escapeNewlines(_ text: String) -> String {
        text.contains("\n") ? text.replacingOccurrences(of: "\n", with: "\\n") : text
    }

    private static func quotedIfNeeded(_ value: String) -> String {
        let escaped = escapeNewlines(value)
        guard escaped.isEmpty || escaped.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" }) else { return escaped }
        return "\"" + escaped.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
