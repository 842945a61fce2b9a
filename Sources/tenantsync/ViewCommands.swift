import ArgumentParser
import SyncEngine

/// Loads the tenant views, or exits 1 with the reason.
private func queries(_ options: ConfigOption) throws -> TenantQueries {
    let context = try options.loadContext()
    do {
        return try TenantQueries(context: context)
    } catch {
        printError("cannot read the tenant store \(context.config.tenant.store): \(error)")
        throw Exit.failed
    }
}

struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "users", abstract: "Tenant users with their licences and assignment paths.")
    @OptionGroup var options: ConfigOption
    @Option(help: "Only this user (by userPrincipalName).") var user: String?
    @Flag(help: "JSON in Microsoft Graph's shape.") var json = false

    func run() async throws {
        let tenant = try queries(options)
        if let user, !tenant.hasUser(user) {
            printError("no user \(user) in the tenant")
            throw Exit.failed
        }
        print(tenant.users(principalName: user, json: json, colour: standardOutputIsTerminal))
    }
}

struct GroupsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "groups", abstract: "Tenant groups with member counts and the licences they carry.")
    @OptionGroup var options: ConfigOption
    @Flag(help: "JSON in Microsoft Graph's shape.") var json = false

    func run() async throws {
        print(try queries(options).groups(json: json, colour: standardOutputIsTerminal))
    }
}

struct SkusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "skus", abstract: "Subscribed SKUs: seats, consumed, free, service plans.")
    @OptionGroup var options: ConfigOption
    @Flag(help: "JSON in Microsoft Graph's shape.") var json = false

    func run() async throws {
        print(try queries(options).skus(json: json, colour: standardOutputIsTerminal))
    }
}

struct ConflictsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conflicts", abstract: "Current licence errors and pre-existing-licence findings; exits 2 while errors stand.")
    @OptionGroup var options: ConfigOption
    @Flag(help: "JSON.") var json = false

    func run() async throws {
        let tenant = try queries(options)
        print(tenant.conflicts(json: json, colour: standardOutputIsTerminal))
        if tenant.hasErrors { throw ExitCode(2) }
    }
}

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "A stored run report: the last one, or one by id.")
    @OptionGroup var options: ConfigOption
    @Flag(help: "The last run (the default).") var last = false
    @Option(help: "The run with this id.") var run: Int64?
    @Flag(help: "JSON.") var json = false

    func validate() throws {
        if last && run != nil { throw ValidationError("--last and --run exclude each other") }
    }

    func run() async throws {
        let context = try options.loadContext()
        let text: String?
        do {
            text = try RunReports.render(context: context, runId: run, json: json)
        } catch {
            printError("cannot read the tenant store \(context.config.tenant.store): \(error)")
            throw Exit.failed
        }
        guard let text else {
            printError(run.map { "no run \($0) is stored" } ?? "no run is stored yet")
            throw Exit.failed
        }
        print(text)
    }
}
