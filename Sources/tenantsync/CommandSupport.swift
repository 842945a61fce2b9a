import ArgumentParser
import Foundation
import SyncEngine

/// Exit codes of the command line contract.
enum Exit {
    static let failed = ExitCode(1)
    static let usage = ExitCode(64)
    static let config = ExitCode(78)
}

extension ConfigOption {
    var environment: [String: String] { ProcessInfo.processInfo.environment }

    var path: String { config ?? ConfigLoader.defaultPath(environment: environment) }

    /// Loads the configuration, or prints every error and exits 78. With `credentialOutsideServiceAllowed`, a
    /// credential that cannot be looked up because `$CREDENTIALS_DIRECTORY` is not set is left unchecked.
    func loadContext(credentialOutsideServiceAllowed: Bool = false) throws -> SyncContext {
        do throws(ConfigErrors) {
            return try SyncContext.load(
                path: path, environment: environment, credentialOutsideServiceAllowed: credentialOutsideServiceAllowed)
        } catch {
            printError(error.description)
            printError("\(error.errors.count) configuration error(s); nothing was done.")
            throw Exit.config
        }
    }
}

/// Writes a line to standard error, marked as an error for the journal when stderr is a journal stream.
func printError(_ text: String) {
    // Under systemd, stderr is a journal stream that files lines at the unit's level (info): the `<3>` prefix
    // files each line at PRIORITY=err instead.
    let lines = standardErrorIsJournal
        ? text.split(separator: "\n", omittingEmptySubsequences: false).map { "<3>" + $0 }.joined(separator: "\n") : text
    FileHandle.standardError.write(Data((lines + "\n").utf8))
}

/// Whether systemd connected standard error to the journal (`$JOURNAL_STREAM` names it).
let standardErrorIsJournal = Runtime.standardErrorIsJournal

/// Whether standard output is a terminal (colour and progress only then).
var standardOutputIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
var standardErrorIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }
