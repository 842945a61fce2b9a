import Foundation
import Glibc

/// Where log lines and run entries go: `--log-target auto|journal|stderr`.
public enum LogTarget: String, Sendable, Hashable, CaseIterable {
    /// The journal when systemd connected stderr to it, else stderr.
    case auto
    case journal
    case stderr

    /// The destination this target means here. `auto` picks the journal when `$JOURNAL_STREAM` names the
    /// device and inode of standard error (so systemd connected stderr to the journal), else stderr.
    public func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) -> LogDestination {
        resolve(environment: environment, standardErrorIdentity: Self.standardErrorIdentity())
    }

    /// `resolve(environment:)` with the `"device:inode"` of standard error given (`nil`: not open).
    public func resolve(environment: [String: String], standardErrorIdentity: String?) -> LogDestination {
        switch self {
        case .journal: return .journal
        case .stderr: return .stderr
        case .auto:
            guard let stream = environment["JOURNAL_STREAM"], let identity = standardErrorIdentity else { return .stderr }
            return stream == identity ? .journal : .stderr
        }
    }

    /// `"device:inode"` of file descriptor 2, in the form of `$JOURNAL_STREAM`; `nil` when it is not open.
    public static func standardErrorIdentity() -> String? {
        var status = stat()
        guard fstat(2, &status) == 0 else { return nil }
        return "\(status.st_dev):\(status.st_ino)"
    }
}

/// A resolved log target.
public enum LogDestination: String, Sendable, Hashable {
    /// journald's native protocol.
    case journal
    /// Readable lines on standard error.
    case stderr
}
