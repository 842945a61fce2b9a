import ArgumentParser
import SyncEngine

struct LicenseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "license", abstract: "Direct licence assignment, checked at once.",
        subcommands: [AssignCommand.self, RemoveCommand.self])

    /// Without a subcommand there is nothing to do: a usage error, so the help goes to standard error.
    func run() async throws {
        printError("Error: missing subcommand (assign or remove)\n")
        printError(TenantSync.helpMessage(for: Self.self))
        throw Exit.usage
    }

    struct AssignCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "assign", abstract: "Assign a SKU to one user directly (checks seats, usage location and conflicts).")
        @OptionGroup var options: ConfigOption
        @Option(help: "The user's userPrincipalName.") var user: String
        @Option(help: "The SKU's part number, e.g. INTUNE_A.") var sku: String
        @Option(name: .customLong("disabled-plan"), help: "A service plan to switch off (repeatable).") var disabledPlans: [String] = []

        func run() async throws {
            let context = try options.loadContext()
            do {
                try DirectLicensing.assign(context: context, userPrincipalName: user, sku: sku, disabledPlans: disabledPlans)
            } catch {
                printError("\(error)")
                throw Exit.failed
            }
            print("assigned \(sku) to \(user)")
        }
    }

    struct RemoveCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a direct assignment.")
        @OptionGroup var options: ConfigOption
        @Option(help: "The user's userPrincipalName.") var user: String
        @Option(help: "The SKU's part number.") var sku: String

        func run() async throws {
            let context = try options.loadContext()
            do {
                try DirectLicensing.remove(context: context, userPrincipalName: user, sku: sku)
            } catch {
                printError("\(error)")
                throw Exit.failed
            }
            print("removed the direct assignment of \(sku) from \(user)")
        }
    }
}

struct ImportTenantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-tenant",
        abstract: "Seed cloud users and direct licences from Microsoft Graph JSON (GET /users and GET /subscribedSkus bodies).")
    @OptionGroup var options: ConfigOption
    @Option(help: "A GET /users?$select=... response body.") var users: String
    @Option(help: "A GET /subscribedSkus response body (seat counts).") var skus: String?

    func run() async throws {
        let context = try options.loadContext()
        do {
            let summary = try TenantImport.run(context: context, usersFile: users, skusFile: skus)
            var line = "imported \(users): \(summary.added) added, \(summary.updated) updated, \(summary.unchanged) unchanged, "
                + "\(summary.skipped) skipped (synced), \(summary.directAssignments) direct assignments"
            if let count = summary.subscriptions { line += ", \(count) subscriptions" }
            print(line)
        } catch {
            printError("\(error)")
            throw Exit.failed
        }
    }
}
