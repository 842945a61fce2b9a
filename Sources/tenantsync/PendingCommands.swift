import ArgumentParser






struct LicenseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "license", abstract: "Direct licence assignment.")
}

struct ImportTenantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import-tenant", abstract: "Seed cloud users and direct licences from Microsoft Graph JSON.")
    func run() async throws { throw Exit.usage }
}
