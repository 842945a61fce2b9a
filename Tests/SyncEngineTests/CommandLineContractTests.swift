import Foundation
import TestSupport
import Testing

/// Exit codes and messages of the command line contract.
@Suite struct CommandLineContractTests {
    private static let exampleConfig = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("config/tenantsync.example.yaml").path

    /// A folder holding the example config's credential, as systemd's `$CREDENTIALS_DIRECTORY` would.
    private static func credentialsFolder() throws -> String {
        let folder = try TemporaryDirectory.make(prefix: "credentials")
        _ = FileManager.default.createFile(atPath: folder + "/ldap-bind-password", contents: Data("pw".utf8), attributes: [.posixPermissions: 0o400])
        return folder
    }

    @Test func exampleConfigIsValid() throws {
        let folder = try Self.credentialsFolder()
        defer { TemporaryDirectory.remove(folder) }
        let result = try TenantSyncCommand.run(["check-config", "--config", Self.exampleConfig], environment: ["CREDENTIALS_DIRECTORY": folder])
        #expect(result.status == 0, "\(result.errors)")
    }

    @Test func exampleConfigIsValidFromAShellWithoutTheServiceCredential() throws {
        let result = try TenantSyncCommand.run(["check-config", "--config", Self.exampleConfig], environment: [:])
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output.contains("credential ldap-bind-password is not checked here"))
        // Binding needs the secret: then the credential must be there.
        let connect = try TenantSyncCommand.run(["check-config", "--connect", "--config", Self.exampleConfig], environment: [:])
        #expect(connect.status == 78)
        #expect(connect.errors.contains("needs $CREDENTIALS_DIRECTORY"))
    }

    @Test(arguments: [
        (["--config", "PATH", "check-config"], 0), (["--config=PATH", "check-config"], 0),
        (["--config", "PATH", "skus", "--json"], 0),
        // Parsed and configured: the user is simply not there (1), rather than a usage (64) or config (78) error.
        (["license", "--config", "PATH", "remove", "--user", "nobody@example.org", "--sku", "INTUNE_A"], 1),
    ])
    func configMayComeBeforeTheSubcommand(_ arguments: [String], status: Int) throws {
        let folder = try Self.credentialsFolder()
        defer { TemporaryDirectory.remove(folder) }
        let config = folder + "/tenantsync.yaml"
        let example = try String(contentsOfFile: Self.exampleConfig, encoding: .utf8)
        try example.replacingOccurrences(of: "/var/lib/tenantsync/tenant.sqlite", with: folder + "/tenant.sqlite")
            .write(toFile: config, atomically: true, encoding: .utf8)
        let result = try TenantSyncCommand.run(
            arguments.map { $0.replacingOccurrences(of: "PATH", with: config) }, environment: ["CREDENTIALS_DIRECTORY": folder])
        #expect(Int(result.status) == status, "\(result.errors)")
    }

    @Test func brokenConfigListsEveryErrorWithLineAndKeyAndExits78() throws {
        let folder = try TemporaryDirectory.make(prefix: "config")
        defer { TemporaryDirectory.remove(folder) }
        let path = folder + "/tenantsync.yaml"
        try """
            directory:
              url: http://ldap.example.org
              schema: openldap
              users: [ { base: "dc=example,dc=org", filter: "(objectClass=person)" } ]
            sync:
              interval: 30x
            subscriptions: { INTUNE_A: 25 }
            licenses:
              - group: Intune Users
                sku: INTUNE_A
                disabledPlan: [INTUNE_A]
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try TenantSyncCommand.run(["check-config", "--config", path])
        #expect(result.status == 78)
        #expect(result.errors.contains("tenantsync.yaml:2:8: directory.url"))
        #expect(result.errors.contains("tenantsync.yaml:6:13: sync.interval"))
        #expect(result.errors.contains("tenantsync.yaml:11:5: licenses[0].disabledPlan: unknown key (did you mean disabledPlans?)"))
    }

    @Test func unknownSkuIsAConfigErrorWithAHint() throws {
        let folder = try TemporaryDirectory.make(prefix: "config")
        defer { TemporaryDirectory.remove(folder) }
        let path = folder + "/tenantsync.yaml"
        try """
            directory:
              url: ldap://127.0.0.1:1
              schema: openldap
              users: [ { base: "dc=example,dc=org", filter: "(objectClass=person)" } ]
            subscriptions: { INTUNE_AA: 25 }
            licenses: [ { group: x, sku: INTUNE_AA } ]
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try TenantSyncCommand.run(["--once", "--config", path])
        #expect(result.status == 78)
        #expect(result.errors.contains("INTUNE_AA"))
        #expect(result.errors.contains("INTUNE_A"))
    }

    @Test func missingConfigFileExits78NamingIt() throws {
        let result = try TenantSyncCommand.run(["--once"], environment: ["TENANTSYNC_CONFIG": "/nonexistent/tenantsync.yaml"])
        #expect(result.status == 78)
        #expect(result.errors.contains("/nonexistent/tenantsync.yaml"))
    }

    @Test(arguments: [["--bogus"], ["users", "--json", "extra"], ["--once", "--allow-deletes", "many"], ["run", "--log-target", "syslog"],
                      ["license"]])
    func usageErrorsExit64(arguments: [String]) throws {
        #expect(try TenantSyncCommand.run(arguments).status == 64)
    }

    @Test func licenseWithoutSubcommandPrintsItsUsageToStandardErrorAndExits64() throws {
        let result = try TenantSyncCommand.run(["license"])
        #expect(result.status == 64)
        #expect(result.output.isEmpty)
        #expect(result.errors.contains("USAGE: tenantsync license <subcommand>"), "\(result.errors)")
        #expect(result.errors.contains("assign") && result.errors.contains("remove"))
        let help = try TenantSyncCommand.run(["license", "--help"])
        #expect(help.status == 0)
        #expect(help.output.contains("USAGE: tenantsync license <subcommand>"))
    }

    @Test(arguments: [
        (filter: "objectClass=inetOrgPerson", extra: "", expected: [
            ":4:49: directory.users[0].filter: invalid LDAP filter \"objectClass=inetOrgPerson\" "
                + "(a filter is enclosed in balanced parentheses, like (objectClass=person))",
        ]),
        (filter: "(objectClass=inetOrgPerson)", extra: "subscriptions:\n  INTUNE_A: 5\nlicenses: foo\n", expected: [
            ":7:11: licenses: expected a list, got \"foo\"",
        ]),
        (filter: "objectClass=inetOrgPerson", extra: "sync:\n  softMatch:\n", expected: [
            ":4:49: directory.users[0].filter: invalid LDAP filter \"objectClass=inetOrgPerson\" "
                + "(a filter is enclosed in balanced parentheses, like (objectClass=person))",
            ":6:13: sync.softMatch: expected a boolean, got nothing (true or false)",
        ]),
    ])
    func checkConfigPrintsEachErrorOnceAndCountsWhatItPrints(filter: String, extra: String, expected: [String]) throws {
        let folder = try TemporaryDirectory.make(prefix: "config")
        defer { TemporaryDirectory.remove(folder) }
        let path = folder + "/tenantsync.yaml"
        try """
            directory:
              url: ldap://127.0.0.1:1
              schema: openldap
              users: [ { base: "dc=example,dc=org", filter: "\(filter)" } ]

            """.appending(extra).write(toFile: path, atomically: true, encoding: .utf8)
        let result = try TenantSyncCommand.run(["check-config", "--config", path])
        #expect(result.status == 78)
        let lines = result.errors.split(separator: "\n").map(String.init)
        #expect(lines == expected.map { path + $0 } + ["\(expected.count) configuration error(s); nothing was done."])
    }

    @Test func helpListsEveryCommand() throws {
        let help = try TenantSyncCommand.run(["--help"]).output
        for command in ["run", "check-config", "users", "groups", "skus", "conflicts", "report", "license", "import-tenant"] {
            #expect(help.contains(command))
        }
    }

    @Test func checkConfigConnectBindsAndCountsTheScope() async throws {
        try await SlapdServer.with(ldif: LDIFBuilder.directory(userCount: 7, groups: [(cn: "Team", memberUIDs: ["user1"])])) { slapd in
            let harness = try SyncHarness(slapd: slapd)
            defer { harness.remove() }
            try harness.writeConfig(directory: SyncHarness.openldapScopes)
            let result = try TenantSyncCommand.run(["check-config", "--connect", "--config", harness.configPath])
            #expect(result.status == 0, "\(result.errors)")
            #expect(result.output.contains("7 users and 1 groups in scope"))

            let wrong = try SyncHarness(url: slapd.url, bindDN: slapd.adminDN, password: "not the password")
            defer { wrong.remove() }
            try wrong.writeConfig(directory: SyncHarness.openldapScopes)
            let refused = try TenantSyncCommand.run(["check-config", "--connect", "--config", wrong.configPath])
            #expect(refused.status == 78)
            #expect(refused.errors.contains("Invalid credentials"))
            #expect(!refused.errors.contains("not the password"))
        }
    }

    @Test func unreachableDirectoryFailsTheRunWithExit1() async throws {
        let harness = try SyncHarness(url: "ldap://127.0.0.1:1", bindDN: "cn=admin,dc=example,dc=org", password: "secret")
        defer { harness.remove() }
        try harness.writeConfig(directory: SyncHarness.openldapScopes)
        let result = try TenantSyncCommand.run(["--once", "--log-target", "stderr", "--config", harness.configPath])
        #expect(result.status == 1)
        #expect(result.errors.contains("directory read failed"))
        let report = try #require(try TenantSyncCommand.run(["report", "--last", "--json", "--config", harness.configPath]).json() as? [String: Any])
        #expect(report["outcome"] as? String == "failed")
    }
}
