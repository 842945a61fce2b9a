import Foundation
import Testing
@testable import SyncEngine

@Suite("Configuration errors point at file, line, column and key path")
struct ConfigurationErrorTests {
    @Test("a misspelled key is unknown, with a did-you-mean hint")
    func unknownKeyWithHint() {
        let yaml = """
            directory:
              url: ldap://127.0.0.1
              schema: openldap
              users:
                - { base: "ou=people,dc=example,dc=org", filter: "(objectClass=person)" }
            subscriptions:
              INTUNE_A: 25
              SPE_E3: 100
            licenses:
              - group: Intune Users
                sku: INTUNE_A
              - group: E3
                sku: SPE_E3
                disabledPlan: [YAMMER_ENTERPRISE]
            """
        #expect(ConfigTestSupport.errors(yaml) == [
            "tenantsync.yaml:14:5: licenses[1].disabledPlan: unknown key (did you mean disabledPlans?)",
        ])
    }

    @Test("an unknown key with nothing close lists the allowed keys")
    func unknownKeyListsAllowed() {
        let yaml = ConfigTestSupport.minimal + "licensing: { frobnicate: true }\n"
        #expect(ConfigTestSupport.errors(yaml) == [
            "tenantsync.yaml:6:14: licensing.frobnicate: unknown key "
                + "(expected one of: nestedGroups, skipDisabledAccounts)",
        ])
    }

    @Test("a wrong type names what was expected and what was found")
    func wrongType() {
        let yaml = ConfigTestSupport.minimal + "sync:\n  softMatch: yes please\n  interval: [1]\n"
        #expect(ConfigTestSupport.errors(yaml) == [
            "tenantsync.yaml:7:14: sync.softMatch: expected a boolean, got \"yes please\" (true or false)",
            "tenantsync.yaml:8:13: sync.interval: expected a string, got a list",
        ])
    }

    @Test("a missing required key is reported at its mapping")
    func missingURL() {
        let yaml = """
            directory:
              schema: openldap
              users: [ { base: "dc=example,dc=org", filter: "(uid=*)" } ]
            """
        #expect(ConfigTestSupport.errors(yaml) == ["tenantsync.yaml:2:3: directory.url: missing required key"])
    }

    @Test("a key without a value is reported at the key")
    func missingValue() {
        let yaml = ConfigTestSupport.minimal.replacingOccurrences(of: "schema: openldap", with: "schema:")
        #expect(ConfigTestSupport.errors(yaml) == ["tenantsync.yaml:3:3: directory.schema: missing value"])
    }

    @Test("a bad duration lists the accepted forms")
    func badDuration() {
        let yaml = ConfigTestSupport.minimal + "  timeout: 30x\n"
        #expect(ConfigTestSupport.errors(yaml) == [
            "tenantsync.yaml:6:12: directory.timeout: invalid duration \"30x\" (\(DurationParser.formsHint))",
        ])
    }

    @Test("a URL with another scheme is refused")
    func badURLScheme() {
        let yaml = ConfigTestSupport.minimal.replacingOccurrences(of: "ldap://127.0.0.1:3890", with: "http://ldap")
        #expect(ConfigTestSupport.errors(yaml) == [
            "tenantsync.yaml:2:8: directory.url: unsupported URL scheme \"http\" (use ldap://, ldaps:// or ldapi://)",
        ])
    }

    @Test("StartTLS on ldaps:// is an error")
    func startTLSWithLDAPS() {
        let yaml = ConfigTestSupport.minimal.replacingOccurrences(of: "ldap://", with: "ldaps://")
            + "  startTLS: true\n"
        #expect(ConfigTestSupport.errors(yaml) == [
            "tenantsync.yaml:6:3: directory.startTLS: startTLS cannot be used with ldaps:// "
                + "(ldaps:// is TLS already; use ldap:// with startTLS, or set startTLS: false)",
        ])
    }

    @Test("a percentage over 100 is refused")
    func badPercentage() {
        let yaml = ConfigTestSupport.minimal + "sync:\n  guard: { maxDeletes: \"150%\", maxLicenseRemovals: 10 }\n"
        #expect(ConfigTestSupport.errors(yaml) == [
            "tenantsync.yaml:7:24: sync.guard.maxDeletes: percentage out of range: \"150%\" "
                + "(use a value from 0% to 100%)",
        ])
    }

    @Test("negative seats and an empty license list are errors")
    func seatsAndEmptyLicenses() {
        let yaml = ConfigTestSupport.minimal + "subscriptions:\n  SPE_E3: -1\n  INTUNE_A: 5\nlicenses: []\n"
        #expect(ConfigTestSupport.errors(yaml) == [
            "tenantsync.yaml:7:11: subscriptions.SPE_E3: seats must not be negative, got -1",
            "tenantsync.yaml:9:1: licenses: no license rules, but subscriptions are listed "
                + "(add rules under licenses:, or remove the subscriptions)",
        ])
    }

    @Test("a usage location must be an ISO 3166 code in capitals")
    func usageLocation() {
        let yaml = ConfigTestSupport.minimal + "tenant: { defaultUsageLocation: de }\n"
        #expect(ConfigTestSupport.errors(yaml) == [
            "tenantsync.yaml:6:33: tenant.defaultUsageLocation: \"de\" is not an ISO 3166-1 alpha-2 country code "
                + "(did you mean DE?)",
        ])
    }

    @Test("an unknown schema suggests the closest preset")
    func unknownSchema() {
        let yaml = ConfigTestSupport.minimal.replacingOccurrences(of: "schema: openldap", with: "schema: openLDAP2")
        #expect(ConfigTestSupport.errors(yaml) == [
            "tenantsync.yaml:3:11: directory.schema: unknown schema \"openLDAP2\" (did you mean openldap?)",
        ])
    }

    @Test("every problem in a file is reported, in file order")
    func severalErrors() {
        let yaml = """
            directory:
              url: ftp://example.org
              schema: openldap
              users: []
              pageSize: 0
            sync:
              interval: soon
              sofMatch: true
              guard: { maxDeletes: lots }
            licenses:
              - sku: SPE_E3
            """
        #expect(ConfigTestSupport.errors(yaml) == [
            "tenantsync.yaml:2:8: directory.url: unsupported URL scheme \"ftp\" (use ldap://, ldaps:// or ldapi://)",
            "tenantsync.yaml:4:3: directory.users: at least one users scope is required "
                + "(add { base: ..., filter: ... })",
            "tenantsync.yaml:5:13: directory.pageSize: must be at least 1, got 0",
            "tenantsync.yaml:7:13: sync.interval: invalid duration \"soon\" (\(DurationParser.formsHint))",
            "tenantsync.yaml:8:3: sync.sofMatch: unknown key (did you mean softMatch?)",
            "tenantsync.yaml:9:24: sync.guard.maxDeletes: expected a number or a percentage, got \"lots\" "
                + "(use a count like 500 or a percentage like \"5%\")",
            "tenantsync.yaml:11:5: licenses[0].group: missing required key",
        ])
    }

    @Test("a YAML syntax error carries its line")
    func syntaxError() {
        let unterminated = ConfigTestSupport.minimal + "sync:\n  interval: \"30m\n"
        #expect(ConfigTestSupport.errors(unterminated) == [
            "tenantsync.yaml:8:1: YAML syntax error: found unexpected end of stream "
                + "(while scanning a quoted scalar at line 7, column 13)",
        ])
        let badIndent = "directory:\n  url: ldap://a\n schema: openldap\n"
        let errors = ConfigTestSupport.errors(badIndent)
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix("tenantsync.yaml:3:") == true, "\(errors)")
    }

    @Test("a duplicate key is a syntax error at its second occurrence")
    func duplicateKey() {
        let yaml = ConfigTestSupport.minimal + "  pageSize: 10\n  pageSize: 20\n"
        let errors = ConfigTestSupport.errors(yaml)
        #expect(errors == ["tenantsync.yaml:7:3: YAML syntax error: duplicate key pageSize (first at line 6)"])
        let topLevel = ConfigTestSupport.minimal + "sync:\n  interval: 1m\n# a comment\n\nsync:\n  jitter: 0s\n"
        #expect(ConfigTestSupport.errors(topLevel) == ["tenantsync.yaml:10:1: YAML syntax error: duplicate key sync (first at line 6)"])
        // Windows line endings, and keys of a list item.
        let crlf = (ConfigTestSupport.minimal + "  pageSize: 10\n  pageSize: 20\n").replacingOccurrences(of: "\n", with: "\r\n")
        #expect(ConfigTestSupport.errors(crlf) == ["tenantsync.yaml:7:3: YAML syntax error: duplicate key pageSize (first at line 6)"])
        let listItem = ConfigTestSupport.minimal + "licenses:\n  - group: a\n    sku: INTUNE_A\n    group: b\n"
        #expect(ConfigTestSupport.errors(listItem) == ["tenantsync.yaml:9:5: YAML syntax error: duplicate key group (first at line 7)"])
    }

    @Test("an empty file and a top level that is not a mapping are errors")
    func emptyAndScalarFile() {
        #expect(ConfigTestSupport.errors("") == [
            "tenantsync.yaml:1:1: the file is empty (at least directory: is required)",
        ])
        #expect(ConfigTestSupport.errors("- a\n") == ["tenantsync.yaml:1:1: expected a mapping, got a list"])
    }
}
