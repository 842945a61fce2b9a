/// The whole configuration file (DESIGN 4.1), decoded and structurally validated once.
///
/// Load it with ``ConfigLoader/load(path:environment:)``. Names of SKUs and service plans are checked
/// against a catalog separately, with ``validateLicensingNames(_:knownSkus:plansBySku:allPlans:)``.
public struct TenantSyncConfig: Sendable, Equatable {
    /// `directory`: where and how to read users and groups. Required.
    public var directory: DirectoryConfig
    /// `sync`: timing, soft match and the safety guard. Optional, all keys have defaults.
    public var sync: SyncConfig
    /// `tenant`: the local tenant store. Optional.
    public var tenant: TenantConfig
    /// `subscriptions`: seats bought per `skuPartNumber`, in file order. Optional (empty).
    public var subscriptions: [SubscriptionConfig]
    /// `licenses`: group-based license rules, in file order (the order they are evaluated in).
    public var licenses: [LicenseRuleConfig]
    /// `licensing`: options of the rule evaluation.
    public var licensing: LicensingOptionsConfig
    /// `catalog`: SKUs and exclusive plan sets beyond the built-in catalog.
    public var catalog: CatalogConfig

    /// The sections that name SKUs and service plans.
    public var licensingSections: LicensingSections {
        LicensingSections(subscriptions: subscriptions, licenses: licenses, catalog: catalog)
    }

    /// Creates a configuration; every section but `directory` has defaults.
    public init(
        directory: DirectoryConfig,
        sync: SyncConfig = SyncConfig(),
        tenant: TenantConfig = TenantConfig(store: TenantConfig.fallbackStorePath),
        subscriptions: [SubscriptionConfig] = [],
        licenses: [LicenseRuleConfig] = [],
        licensing: LicensingOptionsConfig = LicensingOptionsConfig(),
        catalog: CatalogConfig = CatalogConfig()
    ) {
        self.directory = directory
        self.sync = sync
        self.tenant = tenant
        self.subscriptions = subscriptions
        self.licenses = licenses
        self.licensing = licensing
        self.catalog = catalog
    }
}

/// `sync`: how often to run and how much a run may remove.
public struct SyncConfig: Sendable, Equatable {
    /// `interval`: time between the starts of two cycles. Default 30 minutes.
    public var interval: Duration
    /// `jitter`: a random delay up to this long added to each interval. Default 0.
    public var jitter: Duration
    /// `fullSyncEvery`: a full read even when a delta position exists, this often. Default 24 hours.
    public var fullSyncEvery: Duration
    /// `softMatch`: match cloud-only users by UPN, then mail. Default true.
    public var softMatch: Bool
    /// `guard`: the per-run limits of the safety guard.
    public var `guard`: GuardConfig

    /// Creates the section with the documented defaults.
    public init(
        interval: Duration = .seconds(30 * 60),
        jitter: Duration = .zero,
        fullSyncEvery: Duration = .seconds(24 * 3600),
        softMatch: Bool = true,
        guard: GuardConfig = GuardConfig()
    ) {
        self.interval = interval
        self.jitter = jitter
        self.fullSyncEvery = fullSyncEvery
        self.softMatch = softMatch
        self.guard = `guard`
    }
}

/// `sync.guard`: a plan over either limit is not applied (exit 3).
public struct GuardConfig: Sendable, Equatable {
    /// `maxDeletes`: most users and groups one run may delete. Default 500.
    public var maxDeletes: GuardLimit
    /// `maxLicenseRemovals`: most group license paths one run may remove. Default 500.
    public var maxLicenseRemovals: GuardLimit

    /// The default for both limits.
    public static let defaultLimit = GuardLimit.count(500)

    /// Creates the section with the documented defaults.
    public init(maxDeletes: GuardLimit = defaultLimit, maxLicenseRemovals: GuardLimit = defaultLimit) {
        self.maxDeletes = maxDeletes
        self.maxLicenseRemovals = maxLicenseRemovals
    }
}

/// `tenant`: the local tenant model.
public struct TenantConfig: Sendable, Equatable {
    /// `store`: path of the SQLite store, resolved when loading: the configured path, else
    /// `$STATE_DIRECTORY/tenant.sqlite` (the first directory when systemd lists several), else
    /// ``fallbackStorePath``.
    public var store: String
    /// `defaultUsageLocation`: ISO 3166-1 alpha-2 code given to group-licensed users without one.
    public var defaultUsageLocation: String?

    /// The store path when neither `store` nor `$STATE_DIRECTORY` is set.
    public static let fallbackStorePath = "/var/lib/tenantsync/tenant.sqlite"

    /// Creates the section.
    public init(store: String, defaultUsageLocation: String? = nil) {
        self.store = store
        self.defaultUsageLocation = defaultUsageLocation
    }
}
