import ArgumentParser
import SyncEngine

struct CheckConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config", abstract: "Validate the configuration; with --connect, also bind and count the entries in scope.")

    @OptionGroup var options: ConfigOption
    @Flag(help: "Bind to the directory and count the users and groups in scope.") var connect = false

    func run() async throws {
        let context = try options.loadContext()
        print("\(options.path): valid")
        guard connect else { return }
        do {
            let counts = try await context.countDirectoryScope()
            print("\(context.config.directory.url): bound; \(counts.users) users and \(counts.groups) groups in scope")
        } catch {
            printError("\(error)")
            throw Exit.config
        }
    }
}
