import Foundation
import Logging

/// Configures swift-log for the executable. Library code never calls this: it only takes a `Logger`.
public enum LoggingSetup {
    /// Bootstraps the logging system once per process with the handler for `target` (resolved against the
    /// environment) and returns the destination it chose. Falls back to stderr when the journal socket cannot be opened.
    @discardableResult
    public static func bootstrap(
        target: LogTarget, level: Logger.Level = .info,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        journalSocketPath: String = JournalWriter.defaultSocketPath
    ) -> LogDestination {
        let destination = target.resolve(environment: environment)
        let handlerFactory = makeHandlerFactory(destination: destination, level: level, journalSocketPath: journalSocketPath)
        LoggingSystem.bootstrap(handlerFactory)
        return destination
    }

    /// The handler factory `bootstrap` installs (exposed for processes that bootstrap logging themselves).
    public static func makeHandlerFactory(
        destination: LogDestination, level: Logger.Level, journalSocketPath: String = JournalWriter.defaultSocketPath
    ) -> @Sendable (String) -> any LogHandler {
        switch destination {
        case .stderr:
            return { label in
                var handler = StderrLogHandler(label: label)
                handler.logLevel = level
                return handler
            }
        case .journal:
            let writer = try? JournalWriter(socketPath: journalSocketPath)
            return { label in
                var handler = JournalLogHandler(label: label, writer: writer)
                handler.logLevel = level
                return handler
            }
        }
    }
}
