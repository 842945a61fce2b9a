// swift-tools-version:6.0
import PackageDescription

// Release builds carry the Swift runtime and Foundation (see the tenantsync target): the modules are compiled
// against their static variants, whose link lists name the static libraries.
let staticRuntime: [SwiftSetting] = [.unsafeFlags(["-static-stdlib"], .when(configuration: .release))]
let strict: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")] + staticRuntime
let staticLink: [LinkerSetting] = [.unsafeFlags(["-static-stdlib", "-use-ld=lld"], .when(configuration: .release))]

let package = Package(
    name: "tenantsync",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "tenantsync", targets: ["tenantsync"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLDAP",
            pkgConfig: "ldap",
            providers: [.apt(["libldap2-dev"])]
        ),
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "LDAPClient", dependencies: ["CLDAP"], swiftSettings: strict),
        .target(name: "TenantModel", swiftSettings: strict),
        .target(name: "DirectoryMapping", dependencies: ["LDAPClient", "TenantModel"], swiftSettings: strict),
        .target(name: "Licensing", dependencies: ["TenantModel"], swiftSettings: strict),
        .target(
            name: "TenantStore",
            dependencies: [
                "TenantModel", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"), "CSQLite",
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Reporting",
            dependencies: ["TenantModel", "Licensing", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .target(
            name: "SyncEngine",
            dependencies: [
                "LDAPClient", "TenantModel", "DirectoryMapping", "Licensing", "TenantStore", "Reporting",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "tenantsync",
            dependencies: ["SyncEngine", "LDAPClient", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strict,
            // The release binary carries the Swift runtime and Foundation: it runs where no toolchain is installed,
            // and each start (a delta run is a process start) skips resolving thousands of their symbols.
            linkerSettings: staticLink
        ),
        .executableTarget(
            name: "licensing-bench", dependencies: ["Licensing", "TenantModel"], path: "Benchmarks/licensing-bench",
            swiftSettings: strict, linkerSettings: staticLink
        ),

        .executableTarget(
            name: "store-bench", dependencies: ["TenantStore", "TenantModel"], path: "Benchmarks/store-bench",
            swiftSettings: staticRuntime, linkerSettings: staticLink
        ),

        // Starts and stops the real servers the tests use (slapd, Samba, journald).
        .target(name: "TestSupport", dependencies: ["LDAPClient"], path: "Tests/TestSupport", swiftSettings: strict),

        .testTarget(name: "LDAPClientTests", dependencies: ["LDAPClient", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "TenantModelTests", dependencies: ["TenantModel"], swiftSettings: strict),
        .testTarget(
            name: "DirectoryMappingTests",
            dependencies: ["DirectoryMapping", "LDAPClient", "TenantModel"],
            swiftSettings: strict
        ),
        .testTarget(name: "LicensingTests", dependencies: ["Licensing", "TenantModel"], swiftSettings: strict),
        .testTarget(
            name: "TenantStoreTests",
            dependencies: ["TenantStore", "TenantModel", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict
        ),
        .testTarget(name: "ReportingTests", dependencies: ["Reporting", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "SyncEngineTests",
            dependencies: ["SyncEngine", "TestSupport", "LDAPClient", "TenantStore"],
            swiftSettings: strict
        ),
    ]
)
