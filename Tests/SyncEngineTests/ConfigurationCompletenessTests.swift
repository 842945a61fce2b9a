import Foundation
import Testing
@testable import SyncEngine

@Suite("Every problem of a file is listed at once, the files it names included")
struct ConfigurationCompletenessTests {
    private func loadErrors(_ yaml: String, environment: [String: String] = [:]) throws -> [String] {
        let (folder, cleanup) = try ConfigTestSupport.temporaryDirectory()
        defer { cleanup() }
        let path = folder.appendingPathComponent("tenantsync.yaml").path
        try ConfigTestSupport.write(yaml, to: URL(fileURLWithPath: path), mode: 0o644)
        do {
            _ = try SyncContext.load(path: path, environment: environment)
            return []
        } catch {
            return error.errors.map { "\($0.line):\($0.column): \($0.keyPath): \($0.message)" }
        }
    }

    @Test("an unknown SKU is listed together with the file's other errors")
    func skuNamesAreCheckedInAFileWithOtherErrors() throws {
        let yaml = """
            directory:
              url: ldap://127.0.0.1:3890
              schema: openldp
              pageSize: 0
              users:
                - { base: "ou=people,dc=example,dc=org", filter: "(objectClass=inetOrgPerson)" }
            subscriptions: { INTUNE_AA: 5 }
            licenses: [ { group: Mobile, sku: INTUNE_A } ]
            """
        let errors = try loadErrors(yaml)
        #expect(errors.count == 4, "\(errors)")
        #expect(errors.contains { $0.hasPrefix("3:11: directory.schema:") })
        #expect(errors.contains { $0.hasPrefix("4:13: directory.pageSize:") })
        #expect(errors.contains { $0.hasPrefix("7:18: subscriptions.INTUNE_AA: unknown SKU INTUNE_AA") })
        #expect(errors.contains { $0.hasPrefix("8:35: licenses[0].sku: no seats") })
    }

    @Test("a custom SKU that did not decode makes no knock-on unknown-SKU error")
    func aBrokenCatalogSkuIsNotAlsoUnknown() throws {
        let yaml = ConfigTestSupport.minimal + """
            subscriptions: { CONTOSO_CAD: 5 }
            licenses: [ { group: Lab, sku: CONTOSO_CAD } ]
            catalog:
              skus: [ { sku: CONTOSO_CAD, skuId: not-a-uuid, servicePlans: [ { name: CAD_CORE } ] } ]
            """
        let errors = try loadErrors(yaml)
        #expect(errors.count == 1, "\(errors)")
        #expect(errors.first?.contains("catalog.skus[0].skuId") == true)
    }

    @Test("a missing CA file is an error at its line")
    func missingCAFile() throws {
        let yaml = ConfigTestSupport.minimal.replacingOccurrences(
            of: "  schema: openldap", with: "  schema: openldap\n  tls: { caFile: /nonexistent/ca.pem }")
        #expect(try loadErrors(yaml) == ["4:18: directory.tls.caFile: CA file /nonexistent/ca.pem does not exist"])
    }

    @Test("paths the service opens must be absolute: it runs from /")
    func relativePathsAreErrors() {
        let yaml = ConfigTestSupport.minimal.replacingOccurrences(
            of: "  schema: openldap",
            with: "  schema: openldap\n  tls: { caFile: certs/ca.pem }\n  bind: { dn: cn=x, passwordFile: bind-password }")
            + "tenant:\n  store: tenant.sqlite\n"
        #expect(ConfigTestSupport.errors(yaml) == [
            "tenantsync.yaml:4:18: directory.tls.caFile: \"certs/ca.pem\" is not an absolute path (write the full path, starting with /)",
            "tenantsync.yaml:5:35: directory.bind.passwordFile: \"bind-password\" is not an absolute path (write the full path, starting with /)",
            "tenantsync.yaml:9:10: tenant.store: \"tenant.sqlite\" is not an absolute path (write the full path, starting with /)",
        ])
    }

    @Test("a credential outside its service is an error, except for an offline check")
    func credentialOutsideService() throws {
        let yaml = ConfigTestSupport.minimal.replacingOccurrences(
            of: "  schema: openldap", with: "  schema: openldap\n  bind: { dn: cn=x, credential: ldap-bind-password }")
        #expect(try loadErrors(yaml).first?.contains("needs $CREDENTIALS_DIRECTORY") == true)
        let (folder, cleanup) = try ConfigTestSupport.temporaryDirectory()
        defer { cleanup() }
        let path = folder.appendingPathComponent("tenantsync.yaml").path
        try ConfigTestSupport.write(yaml, to: URL(fileURLWithPath: path), mode: 0o644)
        let context = try SyncContext.load(path: path, environment: [:], credentialOutsideServiceAllowed: true)
        #expect(context.password == nil)
    }
}
