import Foundation
import Testing
@testable import SyncEngine

@Suite("The shipped example configuration")
struct ConfigurationExampleTests {
    /// A name whose location is not compared (located values compare by value).
    private func name(_ value: String) -> Located<String> {
        Located(value, at: SourceLocation(file: "", line: 0, column: 0))
    }

    /// Loads the example with its credential provided the way systemd provides it.
    private func loadExample() throws -> TenantSyncConfig {
        let (directory, cleanup) = try ConfigTestSupport.temporaryDirectory()
        defer { cleanup() }
        try ConfigTestSupport.write(
            "example-secret\n", to: directory.appendingPathComponent("ldap-bind-password"), mode: 0o400
        )
        return try ConfigLoader.load(
            path: ConfigTestSupport.examplePath, environment: ["CREDENTIALS_DIRECTORY": directory.path]
        )
    }

    @Test("decodes, with its password credential checked, to the documented values")
    func decodesToExpectedValues() throws {
        let config = try loadExample()
        let catalogSku = CatalogSkuConfig(
            sku: name("CONTOSO_CAD"),
            skuId: try #require(UUID(uuidString: "8d1f5a3c-3b7e-4a51-9b0c-2f6a7d9e0c11")),
            servicePlans: [
                ServicePlanConfig(name: name("CAD_CORE"), id: UUID(uuidString: "0c7b9a6e-1f2d-4e3c-8b5a-6d7e8f9a0b1c")),
                ServicePlanConfig(name: name("CAD_RENDER"), requires: [name("CAD_CORE")]),
            ]
        )
        let expected = TenantSyncConfig(
            directory: DirectoryConfig(
                url: try LDAPServerURL.parse("ldaps://ldap.corp.example.org").get(),
                startTLS: false,
                tls: TLSConfig(caFile: nil, verify: true),
                bind: BindConfig(
                    dn: "cn=tenantsync,ou=services,dc=corp,dc=example,dc=org",
                    password: .credential(name("ldap-bind-password"))
                ),
                schema: .openldap,
                users: [SearchScopeConfig(base: "ou=people,dc=corp,dc=example,dc=org",
                                          filter: "(objectClass=inetOrgPerson)")],
                groups: [SearchScopeConfig(base: "ou=groups,dc=corp,dc=example,dc=org",
                                           filter: "(objectClass=groupOfNames)")],
                attributes: AttributeOverrides(userPrincipalName: "mail", usageLocation: "c"),
                pageSize: 1000,
                timeout: .seconds(30)
            ),
            sync: SyncConfig(
                interval: .seconds(1800), jitter: .seconds(120), fullSyncEvery: .seconds(86400), softMatch: true,
                guard: GuardConfig(maxDeletes: .count(500), maxLicenseRemovals: .percent(5))
            ),
            tenant: TenantConfig(store: "/var/lib/tenantsync/tenant.sqlite", defaultUsageLocation: "DE"),
            subscriptions: [
                SubscriptionConfig(sku: name("INTUNE_A"), seats: 25),
                SubscriptionConfig(sku: name("SPE_E3"), seats: 100),
                SubscriptionConfig(sku: name("CONTOSO_CAD"), seats: 10),
            ],
            licenses: [
                LicenseRuleConfig(group: name("Intune Users"), sku: name("INTUNE_A")),
                LicenseRuleConfig(group: name("cn=e3,ou=groups,dc=corp,dc=example,dc=org"), sku: name("SPE_E3"),
                                  disabledPlans: [name("YAMMER_ENTERPRISE")]),
                LicenseRuleConfig(group: name("CAD Designers"), sku: name("CONTOSO_CAD")),
            ],
            licensing: LicensingOptionsConfig(nestedGroups: true, skipDisabledAccounts: false),
            catalog: CatalogConfig(
                skus: [catalogSku],
                exclusive: [[name("EXCHANGE_S_STANDARD"), name("EXCHANGE_S_ENTERPRISE")]]
            )
        )
        #expect(config == expected)
        #expect(config.directory.url.scheme == .ldaps)
        #expect(config.directory.url.host == "ldap.corp.example.org")
    }

    @Test("keeps where each SKU and plan name was written")
    func keepsLocations() throws {
        let config = try loadExample()
        let lines = try String(contentsOfFile: ConfigTestSupport.examplePath, encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false)
        func position(of needle: String, inLineContaining marker: String) throws -> (Int, Int) {
            let index = try #require(lines.firstIndex { $0.contains(marker) && !$0.hasPrefix("#") })
            let range = try #require(lines[index].range(of: needle))
            return (index + 1, lines[index].distance(from: lines[index].startIndex, to: range.lowerBound) + 1)
        }
        let disabled = try #require(config.licenses[1].disabledPlans.first)
        let (line, column) = try position(of: "YAMMER_ENTERPRISE", inLineContaining: "disabledPlans:")
        #expect(disabled.location == SourceLocation(file: ConfigTestSupport.examplePath, line: line, column: column))
        let subscription = config.subscriptions[1].sku
        let (subscriptionLine, subscriptionColumn) = try position(of: "SPE_E3", inLineContaining: "SPE_E3: 100")
        #expect(subscription.location.line == subscriptionLine)
        #expect(subscription.location.column == subscriptionColumn)
        let exclusive = config.catalog.exclusive[0][1]
        let (exclusiveLine, exclusiveColumn) = try position(
            of: "EXCHANGE_S_ENTERPRISE", inLineContaining: "- [EXCHANGE_S_STANDARD"
        )
        #expect((exclusive.location.line, exclusive.location.column) == (exclusiveLine, exclusiveColumn))
    }

    @Test("documents every key it uses with a comment")
    func documentsEveryKey() throws {
        let text = try String(contentsOfFile: ConfigTestSupport.examplePath, encoding: .utf8)
        let keys = ConfigDecoder.topLevelKeys + ConfigDecoder.directoryKeys + AttributeOverrides.keys + [
            "caFile", "verify", "dn", "credential", "passwordFile", "base", "filter",
            "interval", "jitter", "fullSyncEvery", "softMatch", "guard", "maxDeletes", "maxLicenseRemovals",
            "store", "defaultUsageLocation", "group", "sku", "disabledPlans", "nestedGroups",
            "skipDisabledAccounts", "skus", "skuId", "servicePlans", "name", "id", "requires", "exclusive",
        ]
        let commentLines = text.split(separator: "\n").filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix("#") }
        for key in keys {
            #expect(commentLines.contains { $0.contains("\(key)") }, "no comment mentions \(key)")
        }
    }
}
