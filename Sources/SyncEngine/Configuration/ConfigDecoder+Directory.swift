#if canImport(Glibc)
import Glibc
#endif
extension ConfigDecoder {
    static let directoryKeys = [
        "url", "startTLS", "tls", "bind", "schema", "users", "groups", "attributes", "pageSize", "timeout",
    ]

    static func decodeDirectory(_ node: ConfigNode) -> DirectoryConfig? {
        guard let directory = node.mapping(allowedKeys: directoryKeys) else { return nil }
        let url = directory.required("url")?.parse(LDAPServerURL.parse)
        let startTLS = directory.bool("startTLS", default: false)
        if startTLS, url?.scheme == .ldaps {
            directory.report(
                key: "startTLS", "startTLS cannot be used with ldaps://",
                hint: "ldaps:// is TLS already; use ldap:// with startTLS, or set startTLS: false"
            )
        }
        let tls = directory.value("tls").flatMap(decodeTLS) ?? TLSConfig()
        let bind = directory.value("bind").flatMap(decodeBind)
        let schema = directory.required("schema")?.choice(DirectorySchema.self, named: "schema")
        let usersNode = directory.required("users")
        let users = decodeScopes(usersNode)
        if usersNode?.isEmptySequence == true {
            // Only a list written empty: scopes that are written but invalid have been reported already.
            directory.report(key: "users", "at least one users scope is required",
                             hint: "add { base: ..., filter: ... }")
        }
        let groups = directory.value("groups").flatMap(decodeScopes) ?? []
        let attributes = directory.value("attributes").flatMap(decodeAttributes) ?? AttributeOverrides()
        var pageSize = DirectoryConfig.defaultPageSize
        if let node = directory.value("pageSize"), let value = node.int() {
            if value >= 1 { pageSize = value } else { node.report("must be at least 1, got \(value)") }
        }
        var timeout = DirectoryConfig.defaultTimeout
        if let node = directory.value("timeout"), let value = node.duration() {
            if value > .zero { timeout = value } else { node.report("must be longer than 0") }
        }
        guard let url, let schema, let users, !users.isEmpty else { return nil }
        return DirectoryConfig(
            url: url, startTLS: startTLS, tls: tls, bind: bind, schema: schema, users: users, groups: groups,
            attributes: attributes, pageSize: pageSize, timeout: timeout
        )
    }

    private static func decodeTLS(_ node: ConfigNode) -> TLSConfig? {
        guard let tls = node.mapping(allowedKeys: ["caFile", "verify"]) else { return nil }
        let caFileNode = tls.value("caFile")
        let caFile = caFileNode?.absolutePath()?.value
        // Checked with the other files the configuration names; libldap would only say it cannot connect.
        if let caFile, let caFileNode, node.diagnostics.secretsEnvironment != nil, let problem = readableFileProblem(caFile) {
            caFileNode.report("CA file \(caFile) \(problem)", hint: "give the PEM file of the CA that issued the server's certificate")
        }
        return TLSConfig(caFile: caFile, verify: tls.bool("verify", default: true))
    }

    /// Why `path` is not a readable regular file, or nil when it is.
    private static func readableFileProblem(_ path: String) -> String? {
        var status = stat()
        guard stat(path, &status) == 0 else { return "does not exist" }
        guard status.st_mode & S_IFMT == S_IFREG else { return "is not a regular file" }
        return access(path, R_OK) == 0 ? nil : "is not readable"
    }

    private static func decodeBind(_ node: ConfigNode) -> BindConfig? {
        guard let bind = node.mapping(allowedKeys: ["dn", "passwordFile", "credential"]) else { return nil }
        let dn = bind.required("dn")?.nonEmptyLocatedString()
        let file = bind.value("passwordFile")?.absolutePath()
        let credential = bind.value("credential")?.nonEmptyLocatedString()
        let source: BindPasswordSource?
        switch (file, credential) {
        case (let file?, nil):
            source = .file(file)
        case (nil, let credential?):
            guard !credential.value.contains("/") else {
                bind.report(key: "credential", "a credential name cannot contain \"/\"",
                            hint: "name the credential as in LoadCredential=NAME:PATH")
                return nil
            }
            source = .credential(credential)
        case (.some, .some):
            bind.report(key: "credential", "passwordFile and credential are exclusive", hint: "keep one of them")
            source = nil
        case (nil, nil):
            if !bind.contains("passwordFile"), !bind.contains("credential") {
                node.diagnostics.report(
                    at: node.location, path: node.path.appending(key: "passwordFile"), "missing required key",
                    hint: "give passwordFile or credential; leave out bind: to bind anonymously"
                )
            }
            source = nil
        }
        guard let source else { return nil }
        if let environment = node.diagnostics.secretsEnvironment,
            !(node.diagnostics.credentialOutsideServiceAllowed && source.isCredentialOutsideService(environment: environment))
        {
            do {
                _ = try source.load(environment: environment)
            } catch {
                error.errors.forEach(node.diagnostics.report)
            }
        }
        guard let dn else { return nil }
        return BindConfig(dn: dn.value, password: source)
    }

    private static func decodeScopes(_ node: ConfigNode?) -> [SearchScopeConfig]? {
        guard let elements = node?.sequence() else { return nil }
        return elements.compactMap { element in
            guard let scope = element.mapping(allowedKeys: ["base", "filter"]) else { return nil }
            let base = scope.required("base")?.nonEmptyLocatedString()
            var filter: String?
            if let node = scope.required("filter"), let text = node.string() {
                if isBalancedFilter(text) {
                    filter = text
                } else {
                    node.report("invalid LDAP filter \"\(text)\"",
                                hint: "a filter is enclosed in balanced parentheses, like (objectClass=person)")
                }
            }
            guard let base, let filter else { return nil }
            return SearchScopeConfig(base: base.value, filter: filter)
        }
    }

    /// A cheap check that catches most typos: outer parentheses that balance.
    static func isBalancedFilter(_ filter: String) -> Bool {
        guard filter.hasPrefix("("), filter.hasSuffix(")") else { return false }
        var depth = 0
        var escaped = false
        for character in filter {
            if escaped { escaped = false; continue }
            switch character {
            case "\\": escaped = true
            case "(": depth += 1
            case ")":
                depth -= 1
                if depth < 0 { return false }
            default: break
            }
        }
        return depth == 0
    }

    private static func decodeAttributes(_ node: ConfigNode) -> AttributeOverrides? {
        guard let attributes = node.mapping(allowedKeys: AttributeOverrides.keys) else { return nil }
        func name(_ key: String) -> String? { attributes.value(key)?.nonEmptyLocatedString()?.value }
        return AttributeOverrides(
            anchor: name("anchor"), userPrincipalName: name("userPrincipalName"), mail: name("mail"),
            displayName: name("displayName"), usageLocation: name("usageLocation"),
            accountEnabled: name("accountEnabled"), member: name("member")
        )
    }
}
