import ArgumentParser
import LDAPClient
import SyncEngine

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
        MallocArenas.limit()
        // Every command but --help reads a configuration, which needs the catalog: it is built while the command
        // line is parsed.
        SyncContext.prepareBuiltInCatalog()
        let names = Set(configuration.subcommands.map { $0._commandName })
        await main(LeadingConfigOption.moved(Array(CommandLine.arguments.dropFirst()), subcommands: names))
    }
}

/// `--config PATH`, shared by every command.
struct ConfigOption: ParsableArguments {
    @Option(name: .long, help: "The configuration file (default: $TENANTSYNC_CONFIG, else /etc/tenantsync/tenantsync.yaml).")
    var config: String?
}
