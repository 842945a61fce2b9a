import Testing
@testable import SyncEngine

@Suite("A key written without a value is a type error, not a silent default")
struct ConfigurationEmptyValueTests {
    /// A fragment appended to the minimal configuration (which ends at line 5), and the one error it must give.
    static let cases: [(fragment: String, error: String)] = [
        ("sync:\n  softMatch:\n", "tenantsync.yaml:7:13: sync.softMatch: expected a boolean, got nothing (true or false)"),
        ("  pageSize:\n", "tenantsync.yaml:6:12: directory.pageSize: expected an integer, got nothing"),
        ("sync:\n  interval:\n", "tenantsync.yaml:7:12: sync.interval: expected a string, got nothing"),
        ("  timeout: ~\n", "tenantsync.yaml:6:12: directory.timeout: expected a string, got nothing"),
        ("licensing:\n  nestedGroups:\n",
         "tenantsync.yaml:7:16: licensing.nestedGroups: expected a boolean, got nothing (true or false)"),
        ("tenant:\n  defaultUsageLocation:\n",
         "tenantsync.yaml:7:24: tenant.defaultUsageLocation: expected a string, got nothing"),
        ("subscriptions: { INTUNE_A: 5 }\nlicenses:\n  - group: g\n    sku: INTUNE_A\n    disabledPlans: null\n",
         "tenantsync.yaml:10:20: licenses[0].disabledPlans: expected a list, got nothing"),
        ("subscriptions:\n  INTUNE_A:\nlicenses: [ { group: g, sku: INTUNE_A } ]\n",
         "tenantsync.yaml:7:12: subscriptions.INTUNE_A: expected an integer, got nothing"),
        ("sync:\n", "tenantsync.yaml:6:6: sync: expected a mapping, got nothing"),
        ("  groups:\n", "tenantsync.yaml:6:10: directory.groups: expected a list, got nothing"),
    ]

    @Test("an empty value names the key path, its line and what was expected", arguments: cases)
    func emptyValueIsATypeError(fragment: String, error: String) {
        #expect(ConfigTestSupport.errors(ConfigTestSupport.minimal + fragment) == [error])
    }

    @Test("a key that is left out keeps its default")
    func absentKeyKeepsDefault() throws {
        let config = try ConfigDecoder.decode(
            yaml: ConfigTestSupport.minimal + "sync: { jitter: 1m }\ntenant: { store: /tmp/t.sqlite }\n",
            file: "tenantsync.yaml", environment: [:]
        )
        #expect(config.sync.softMatch == SyncConfig().softMatch)
        #expect(config.sync.interval == SyncConfig().interval)
        #expect(config.directory.pageSize == DirectoryConfig.defaultPageSize)
        #expect(config.directory.timeout == DirectoryConfig.defaultTimeout)
        #expect(config.licensing.nestedGroups == LicensingOptionsConfig().nestedGroups)
        #expect(config.tenant.defaultUsageLocation == nil)
    }

    @Test("a required key without a value is still a missing value, reported once")
    func requiredKeyWithoutValue() {
        let yaml = ConfigTestSupport.minimal.replacingOccurrences(of: "url: ldap://127.0.0.1:3890", with: "url:")
        #expect(ConfigTestSupport.errors(yaml) == ["tenantsync.yaml:2:3: directory.url: missing value"])
    }
}
