import ArgumentParser
import LDAPClient

/// The `tenantsync` command: the daemon by default, plus the operator's commands.
@main
struct TenantSync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tenantsync",
        abstract: "Keeps a cloud tenant's users and licences in step with an LDAP directory.",
        subcommands: [
            RunCommand.self, CheckConfigCommand.self, UsersCommand.self, GroupsCommand.self, SkusCommand.self,
            ConflictsCommand.self, ReportCommand.self, LicenseCommand.self, ImportTenantCommand.self,
        ],
        defaultSubcommand: RunCommand.self
    )

    /// Parses and runs, accepting `--config PATH` before the subcommand too.
    static func main() async {
        LDAPLibrary.skipSASLPlugins()
        let names = Set(configuration.subcommands.map { $0._commandName })
        await main(LeadingConfigOption.moved(Array(CommandLine.arguments.dropFirst()), subcommands: names))
    }
}

/// `--config PATH`, shared by every command.
struct ConfigOption: ParsableArguments {
    @Option(name: .long, help: "The configuration file (default: $TENANTSYNC_CONFIG, else /etc/tenantsync/tenantsync.yaml).")
    var config: String?
}
