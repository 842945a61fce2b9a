import Yams

/// Decodes the configuration YAML (DESIGN 4.1) from Yams' node tree, so every problem carries its line,
/// column and key path, and reports all problems at once.
///
/// It checks no SKU name against a catalog (see ``validateLicensingNames(_:knownSkus:plansBySku:allPlans:)``).
public enum ConfigDecoder {
    static let topLevelKeys = ["directory", "sync", "tenant", "subscriptions", "licenses", "licensing", "catalog"]

    /// Decodes `yaml`, naming `file` in errors. `environment` supplies `$STATE_DIRECTORY` for the
    /// default store path and `$CREDENTIALS_DIRECTORY` for credentials. With `checkingSecrets`, the bind
    /// password source is checked too (see ``BindPasswordSource/load(environment:)``) and its problems
    /// are reported with the others; the password read is dropped.
    ///
    /// With `credentialOutsideServiceAllowed`, a credential that cannot be looked up because
    /// `$CREDENTIALS_DIRECTORY` is not set is left unchecked instead of being an error.
    ///
    /// When the file has errors, the thrown ``ConfigErrors`` carries the licensing sections that did decode, so
    /// their names can be checked and reported too.
    public static func decode(
        yaml: String, file: String, environment: [String: String], checkingSecrets: Bool = false,
        credentialOutsideServiceAllowed: Bool = false
    ) throws(ConfigErrors) -> TenantSyncConfig {
        let diagnostics = ConfigDiagnostics(file: file)
        diagnostics.secretsEnvironment = checkingSecrets ? environment : nil
        diagnostics.credentialOutsideServiceAllowed = credentialOutsideServiceAllowed
        let root: Node
        do {
            // Scalars are read as text by `ConfigNode`, which never looks at their YAML tags: the basic resolver
            // spares building Yams' default one, whose regular expressions took half the time of reading a
            // configuration (1.5 ms of each run).
            guard let composed = try Yams.compose(yaml: yaml, .basic) else {
                throw ConfigErrors([ConfigError(
                    file: file, line: 1, column: 1, keyPath: "", message: "the file is empty",
                    hint: "at least directory: is required"
                )])
            }
            root = composed
        } catch let errors as ConfigErrors {
            throw errors
        } catch {
            throw ConfigErrors([syntaxError(error, file: file, yaml: yaml)])
        }
        var licensing: LicensingSections?
        let config = decodeRoot(ConfigNode(node: root, path: .root, diagnostics: diagnostics), environment, licensing: &licensing)
        guard diagnostics.errors.isEmpty, let config else {
            var errors = ConfigErrors(diagnostics.errors)
            errors.licensingSections = licensing
            throw errors
        }
        return config
    }

    private static func decodeRoot(
        _ node: ConfigNode, _ environment: [String: String], licensing sections: inout LicensingSections?
    ) -> TenantSyncConfig? {
        guard let root = node.mapping(allowedKeys: topLevelKeys) else { return nil }
        let directory = root.required("directory").flatMap(decodeDirectory)
        let sync = root.value("sync").flatMap(decodeSync) ?? SyncConfig()
        let tenant = decodeTenant(root.value("tenant"), environment)
        let subscriptions = root.value("subscriptions").flatMap(decodeSubscriptions) ?? []
        let licensesNode = root.value("licenses")
        let licenses = licensesNode?.sequence()?.compactMap(decodeLicenseRule) ?? []
        let licensing = root.value("licensing").flatMap(decodeLicensingOptions) ?? LicensingOptionsConfig()
        let catalog = root.value("catalog").flatMap(decodeCatalog) ?? CatalogConfig()
        sections = LicensingSections(subscriptions: subscriptions, licenses: licenses, catalog: catalog)
        // Absent or written as an empty list; any other value has failed its own type check already.
        if !subscriptions.isEmpty, licensesNode.map(\.isEmptySequence) ?? true {
            let anchor = root.contains("licenses") ? "licenses" : "subscriptions"
            node.diagnostics.report(
                at: root.keyLocation(anchor) ?? node.location, path: ConfigKeyPath.root.appending(key: "licenses"),
                "no license rules, but subscriptions are listed",
                hint: "add rules under licenses:, or remove the subscriptions"
            )
        }
        guard let directory else { return nil }
        return TenantSyncConfig(
            directory: directory, sync: sync, tenant: tenant, subscriptions: subscriptions,
            licenses: licenses, licensing: licensing, catalog: catalog
        )
    }

    private static func decodeSync(_ node: ConfigNode) -> SyncConfig? {
        let keys = ["interval", "jitter", "fullSyncEvery", "softMatch", "guard"]
        guard let sync = node.mapping(allowedKeys: keys) else { return nil }
        let defaults = SyncConfig()
        let interval = positive(sync, "interval", default: defaults.interval)
        let fullSyncEvery = positive(sync, "fullSyncEvery", default: defaults.fullSyncEvery)
        return SyncConfig(
            interval: interval,
            jitter: sync.duration("jitter", default: defaults.jitter),
            fullSyncEvery: fullSyncEvery,
            softMatch: sync.bool("softMatch", default: defaults.softMatch),
            guard: sync.value("guard").flatMap(decodeGuard) ?? GuardConfig()
        )
    }

    private static func positive(_ mapping: ConfigMapping, _ key: String, default fallback: Duration) -> Duration {
        guard let node = mapping.value(key), let duration = node.duration() else { return fallback }
        guard duration > .zero else {
            node.report("must be longer than 0", hint: DurationParser.formsHint)
            return fallback
        }
        return duration
    }

    private static func decodeGuard(_ node: ConfigNode) -> GuardConfig? {
        guard let limits = node.mapping(allowedKeys: ["maxDeletes", "maxLicenseRemovals"]) else { return nil }
        return GuardConfig(
            maxDeletes: limits.value("maxDeletes")?.parse(GuardLimit.parse) ?? GuardConfig.defaultLimit,
            maxLicenseRemovals: limits.value("maxLicenseRemovals")?.parse(GuardLimit.parse)
                ?? GuardConfig.defaultLimit
        )
    }

    private static func decodeTenant(_ node: ConfigNode?, _ environment: [String: String]) -> TenantConfig {
        let tenant = node?.mapping(allowedKeys: ["store", "defaultUsageLocation"])
        let store = tenant?.value("store")?.absolutePath()?.value ?? defaultStorePath(environment)
        var usageLocation: String?
        if let value = tenant?.value("defaultUsageLocation"), let code = value.string() {
            if CountryCodes.alpha2.contains(code) {
                usageLocation = code
            } else {
                let upper = code.uppercased()
                value.report(
                    "\"\(code)\" is not an ISO 3166-1 alpha-2 country code",
                    hint: CountryCodes.alpha2.contains(upper) ? "did you mean \(upper)?" : "use two capital letters, like DE or US"
                )
            }
        }
        return TenantConfig(store: store, defaultUsageLocation: usageLocation)
    }

    /// `$STATE_DIRECTORY/tenant.sqlite` (first directory of a colon-separated list), else the fallback.
    static func defaultStorePath(_ environment: [String: String]) -> String {
        guard let list = environment["STATE_DIRECTORY"],
              let first = list.split(separator: ":").first, !first.isEmpty else {
            return TenantConfig.fallbackStorePath
        }
        return first.hasSuffix("/") ? "\(first)tenant.sqlite" : "\(first)/tenant.sqlite"
    }

    private static func decodeSubscriptions(_ node: ConfigNode) -> [SubscriptionConfig]? {
        guard let mapping = ConfigMapping.entries(of: node) else { return nil }
        return mapping.entries.compactMap { entry in
            guard let seats = entry.value.int() else { return nil }
            guard seats >= 0 else {
                entry.value.report("seats must not be negative, got \(seats)")
                return nil
            }
            return SubscriptionConfig(sku: Located(entry.key, at: entry.keyLocation), seats: seats)
        }
    }

    private static func decodeLicenseRule(_ node: ConfigNode) -> LicenseRuleConfig? {
        guard let rule = node.mapping(allowedKeys: ["group", "sku", "disabledPlans"]) else { return nil }
        let group = rule.required("group")?.nonEmptyLocatedString()
        let sku = rule.required("sku")?.nonEmptyLocatedString()
        let disabledPlans = rule.value("disabledPlans")?.locatedStrings() ?? []
        guard let group, let sku else { return nil }
        return LicenseRuleConfig(group: group, sku: sku, disabledPlans: disabledPlans)
    }

    private static func decodeLicensingOptions(_ node: ConfigNode) -> LicensingOptionsConfig? {
        guard let options = node.mapping(allowedKeys: ["nestedGroups", "skipDisabledAccounts"]) else { return nil }
        let defaults = LicensingOptionsConfig()
        return LicensingOptionsConfig(
            nestedGroups: options.bool("nestedGroups", default: defaults.nestedGroups),
            skipDisabledAccounts: options.bool("skipDisabledAccounts", default: defaults.skipDisabledAccounts)
        )
    }

    private static func syntaxError(_ error: any Error, file: String, yaml: String) -> ConfigError {
        var position: (line: Int, column: Int)?
        var problem = String(describing: error)
        var context: YamlError.Context?
        switch error as? YamlError {
        case .scanner(let found, let text, let mark, _),
             .parser(let found, let text, let mark, _),
             .composer(let found, let text, let mark, _):
            (position, problem, context) = ((mark.line, mark.column), text, found)
        case .duplicatedKeysInMapping(let duplicates, let found):
            // Yams points at the key's first occurrence; the line to fix is the second one.
            let first = (line: found.mark.line, column: found.mark.column)
            let second = secondOccurrence(of: duplicates.sorted().first ?? "", after: first, yaml: yaml)
            position = second ?? first
            problem = "duplicate key \(duplicates.sorted().joined(separator: ", "))"
                + (second != nil ? " (first at line \(first.line))" : "")
        case .reader(let text, let offset, _, _):
            (position, problem) = (offset.map { lineAndColumn(ofOffset: $0, in: yaml) }, text)
        default:
            break
        }
        return ConfigError(
            file: file, line: position?.line ?? 1, column: position?.column ?? 1, keyPath: "",
            message: "YAML syntax error: \(problem)",
            hint: context.map { "\($0.text) at line \($0.mark.line), column \($0.mark.column)" }
        )
    }

    /// Where `key` occurs again in the block mapping in which it first occurs at `first` (1-based line and column);
    /// nil when it cannot be told (a flow mapping, say).
    private static func secondOccurrence(
        of key: String, after first: (line: Int, column: Int), yaml: String
    ) -> (line: Int, column: Int)? {
        // `isNewline` also splits CRLF, which Swift holds as one character.
        let lines = yaml.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        guard first.line >= 1, first.line < lines.count else { return nil }
        for index in first.line..<lines.count {
            let line = lines[index]
            let indent = line.prefix { $0 == " " }.count
            let rest = line.dropFirst(indent)
            if rest.allSatisfy(\.isWhitespace) || rest.hasPrefix("#") { continue }
            if indent < first.column - 1 { return nil }  // the mapping ended
            guard indent == first.column - 1, rest.contains(":") else { continue }
            let name = rest.prefix { $0 != ":" }.trimmingCharacters(in: .whitespaces)
            if name == key || name == "\"\(key)\"" || name == "'\(key)'" { return (index + 1, indent + 1) }
        }
        return nil
    }

    private static func lineAndColumn(ofOffset offset: Int, in text: String) -> (line: Int, column: Int) {
        let prefix = text.prefix(offset)
        let lines = prefix.split(separator: "\n", omittingEmptySubsequences: false)
        return (lines.count, (lines.last?.count ?? 0) + 1)
    }
}
