import ArgumentParser
import SyncEngine

struct CheckConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config", abstract: "Validate the configuration; with --connect, also bind and count the entries in scope.")

    @OptionGroup var options: ConfigOption
    @Flag(help: "Bind to the directory and count the users and groups in scope.") var connect = false

    func run() async throws {
        // Offline, a credential is only there for the service systemd hands it to: from a shell it is not checked.
        let context = try options.loadContext(credentialOutsideServiceAllowed: !connect)
        if let bind = context.config.directory.bind, bind.password.isCredentialOutsideService(environment: options.environment) {
            print("note: \(bind.password) is not checked here: $CREDENTIALS_DIRECTORY is not set (systemd sets it for the service)")
        }
        guard connect else {
            print("\(options.path): valid")
            return
        }
        Runtime.start(logTarget: "stderr").warnAboutInsecureSettings(context)
        do {
            let counts = try await context.countDirectoryScope()
            print("\(options.path): valid")
            print("\(context.config.directory.url): bound; \(counts.users) users and \(counts.groups) groups in scope")
        } catch {
            printError("\(options.path): configuration valid, connection check failed: \(error)")
            throw Exit.config
        }
    }
}
