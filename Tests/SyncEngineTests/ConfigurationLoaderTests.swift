import Testing
@testable import SyncEngine

@Suite("Finding the configuration and its defaults")
struct ConfigurationLoaderTests {
    @Test("the path comes from $TENANTSYNC_CONFIG, else /etc/tenantsync/tenantsync.yaml")
    func defaultPath() {
        #expect(ConfigLoader.defaultPath(environment: [:]) == "/etc/tenantsync/tenantsync.yaml")
        #expect(ConfigLoader.defaultPath(environment: ["TENANTSYNC_CONFIG": ""]) == "/etc/tenantsync/tenantsync.yaml")
        #expect(ConfigLoader.defaultPath(environment: ["TENANTSYNC_CONFIG": "/srv/t.yaml"]) == "/srv/t.yaml")
    }

    @Test("a missing file is an error naming the path as given")
    func missingFile() {
        #expect(throws: ConfigErrors([ConfigError(
            file: "no/such/tenantsync.yaml", line: 1, column: 1, keyPath: "",
            message: "configuration file does not exist", hint: "pass --config PATH or set TENANTSYNC_CONFIG"
        )])) {
            try ConfigLoader.load(path: "no/such/tenantsync.yaml", environment: [:])
        }
    }

    @Test("keys left out take their documented defaults")
    func defaults() throws {
        let config = try ConfigDecoder.decode(yaml: ConfigTestSupport.minimal, file: "t.yaml", environment: [:])
        #expect(config.directory.startTLS == false)
        #expect(config.directory.tls == TLSConfig(caFile: nil, verify: true))
        #expect(config.directory.groups.isEmpty)
        #expect(config.directory.pageSize == 1000)
        #expect(config.directory.timeout == .seconds(30))
        #expect(config.sync == SyncConfig(
            interval: .seconds(1800), jitter: .zero, fullSyncEvery: .seconds(86400), softMatch: true,
            guard: GuardConfig(maxDeletes: .count(500), maxLicenseRemovals: .count(500))
        ))
        #expect(config.tenant == TenantConfig(store: "/var/lib/tenantsync/tenant.sqlite", defaultUsageLocation: nil))
        #expect(config.subscriptions.isEmpty && config.licenses.isEmpty)
        #expect(config.licensing == LicensingOptionsConfig(nestedGroups: true, skipDisabledAccounts: false))
        #expect(config.catalog == CatalogConfig())
    }

    @Test("the store defaults to $STATE_DIRECTORY/tenant.sqlite")
    func storeFromStateDirectory() throws {
        let config = try ConfigDecoder.decode(
            yaml: ConfigTestSupport.minimal, file: "t.yaml", environment: ["STATE_DIRECTORY": "/var/lib/ts:/other"]
        )
        #expect(config.tenant.store == "/var/lib/ts/tenant.sqlite")
    }

    @Test("subscriptions keep the order of the file")
    func subscriptionOrder() throws {
        let yaml = ConfigTestSupport.minimal + """
            subscriptions: { ZED: 1, ALPHA: 2, MIDDLE: 0 }
            licenses: [ { group: g, sku: ZED } ]

            """
        let config = try ConfigDecoder.decode(yaml: yaml, file: "t.yaml", environment: [:])
        #expect(config.subscriptions.map(\.sku.value) == ["ZED", "ALPHA", "MIDDLE"])
        #expect(config.subscriptions.map(\.seats) == [1, 2, 0])
    }
}

@Suite("Rendering of configuration errors")
struct ConfigurationErrorRenderingTests {
    @Test("errors render as FILE:LINE:COL: KEYPATH: MESSAGE (HINT), one per line, in file order")
    func rendering() {
        let later = ConfigError(file: "t.yaml", line: 9, column: 2, keyPath: "sync.jitter", message: "bad")
        let earlier = ConfigError(file: "t.yaml", line: 3, column: 5, keyPath: "", message: "worse", hint: "fix it")
        let errors = ConfigErrors([later, earlier])
        #expect(errors.description == "t.yaml:3:5: worse (fix it)\nt.yaml:9:2: sync.jitter: bad")
        #expect(ConfigErrors.exitCode == 78)
    }
}
