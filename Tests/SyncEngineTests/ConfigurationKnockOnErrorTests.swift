import Testing
@testable import SyncEngine

@Suite("Each configuration problem is reported once, without knock-on errors")
struct ConfigurationKnockOnErrorTests {
    @Test("an invalid users scope is not also reported as a missing scope")
    func invalidScopeIsNotAMissingScope() {
        let yaml = """
            directory:
              url: ldap://127.0.0.1:3890
              schema: openldap
              users:
                - { base: "ou=people,dc=example,dc=org", filter: "objectClass=inetOrgPerson" }
            """
        #expect(ConfigTestSupport.errors(yaml) == [
            "tenantsync.yaml:5:54: directory.users[0].filter: invalid LDAP filter \"objectClass=inetOrgPerson\" "
                + "(a filter is enclosed in balanced parentheses, like (objectClass=person))",
        ])
    }

    @Test("a users key that is not a list gives only the type error")
    func usersNotAList() {
        let yaml = ConfigTestSupport.minimal.replacingOccurrences(
            of: "users:\n    - { base: \"ou=people,dc=example,dc=org\", filter: \"(objectClass=inetOrgPerson)\" }",
            with: "users: everyone"
        )
        #expect(ConfigTestSupport.errors(yaml) == [
            "tenantsync.yaml:4:10: directory.users: expected a list, got \"everyone\"",
        ])
    }

    @Test("an empty users list is still an error")
    func emptyUsersList() {
        let yaml = ConfigTestSupport.minimal.replacingOccurrences(
            of: "users:\n    - { base: \"ou=people,dc=example,dc=org\", filter: \"(objectClass=inetOrgPerson)\" }",
            with: "users: []"
        )
        #expect(ConfigTestSupport.errors(yaml) == [
            "tenantsync.yaml:4:3: directory.users: at least one users scope is required "
                + "(add { base: ..., filter: ... })",
        ])
    }

    @Test("licenses that are not a list give one type error and no 'no license rules' error")
    func licensesNotAList() {
        let yaml = ConfigTestSupport.minimal + "subscriptions:\n  INTUNE_A: 5\nlicenses: foo\n"
        #expect(ConfigTestSupport.errors(yaml) == [
            "tenantsync.yaml:8:11: licenses: expected a list, got \"foo\"",
        ])
    }

    @Test("licenses written without a value give one type error and no 'no license rules' error")
    func licensesWithoutValue() {
        let yaml = ConfigTestSupport.minimal + "subscriptions:\n  INTUNE_A: 5\nlicenses:\n"
        #expect(ConfigTestSupport.errors(yaml) == [
            "tenantsync.yaml:8:10: licenses: expected a list, got nothing",
        ])
    }

    @Test("licenses left out while subscriptions are listed is still an error")
    func licensesAbsent() {
        let yaml = ConfigTestSupport.minimal + "subscriptions:\n  INTUNE_A: 5\n"
        #expect(ConfigTestSupport.errors(yaml) == [
            "tenantsync.yaml:6:1: licenses: no license rules, but subscriptions are listed "
                + "(add rules under licenses:, or remove the subscriptions)",
        ])
    }

    @Test("the same problem reported twice at the same place is kept once")
    func exactDuplicatesAreDropped() {
        let diagnostics = ConfigDiagnostics(file: "tenantsync.yaml")
        let location = SourceLocation(file: "tenantsync.yaml", line: 3, column: 5)
        diagnostics.report(at: location, path: .root.appending(key: "a"), "bad")
        diagnostics.report(at: location, path: .root.appending(key: "a"), "bad")
        diagnostics.report(at: location, path: .root.appending(key: "a"), "worse")
        diagnostics.report(at: SourceLocation(file: "tenantsync.yaml", line: 4, column: 5),
                           path: .root.appending(key: "a"), "bad")
        #expect(diagnostics.errors.map(\.description) == [
            "tenantsync.yaml:3:5: a: bad", "tenantsync.yaml:3:5: a: worse", "tenantsync.yaml:4:5: a: bad",
        ])
    }
}
