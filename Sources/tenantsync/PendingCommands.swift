import ArgumentParser

struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "users", abstract: "Tenant users with their licences and assignment paths.")
    @OptionGroup var options: ConfigOption
    @Option(help: "Only this user (by userPrincipalName).") var user: String?
    @Flag(help: "JSON in Microsoft Graph's shape.") var json = false
    func run() async throws { throw Exit.usage }
}

struct GroupsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "groups", abstract: "Tenant groups with member counts and the licences they carry.")
    @OptionGroup var options: ConfigOption
    @Flag(help: "JSON in Microsoft Graph's shape.") var json = false
    func run() async throws { throw Exit.usage }
}

struct SkusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "skus", abstract: "Subscribed SKUs: seats, consumed, free, service plans.")
    @OptionGroup var options: ConfigOption
    @Flag(help: "JSON in Microsoft Graph's shape.") var json = false
    func run() async throws { throw Exit.usage }
}

struct ConflictsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "conflicts", abstract: "Current licence errors and pre-existing-licence findings.")
    @OptionGroup var options: ConfigOption
    @Flag(help: "JSON.") var json = false
    func run() async throws { throw Exit.usage }
}

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "A stored run report.")
    @OptionGroup var options: ConfigOption
    @Flag(help: "The last run (the default).") var last = false
    @Option(help: "The run with this id.") var run: Int64?
    @Flag(help: "JSON.") var json = false
    func run() async throws { throw Exit.usage }
}

struct LicenseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "license", abstract: "Direct licence assignment.")
}

struct ImportTenantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import-tenant", abstract: "Seed cloud users and direct licences from Microsoft Graph JSON.")
    func run() async throws { throw Exit.usage }
}
