import Testing
@testable import SyncEngine

@Suite("Parsers of single configuration values")
struct ConfigurationParserTests {
    @Test("durations in the accepted forms", arguments: [
        ("30s", Duration.seconds(30)), ("30m", .seconds(1800)), ("24h", .seconds(86400)),
        ("1h30m", .seconds(5400)), ("500ms", .milliseconds(500)), ("45", .seconds(45)), ("0s", .zero),
        ("7d", .seconds(7 * 86400)), ("1m30s250ms", .milliseconds(90_250)), (" 2h ", .seconds(7200)),
    ])
    func validDurations(text: String, expected: Duration) throws {
        #expect(try DurationParser.parse(text).get() == expected)
    }

    @Test("durations that are refused with the accepted forms as hint", arguments: [
        "30x", "", "m", "-5s", "1.5h", "30m1h", "1h1h", "30 m", "ten", "5sm", "99999999999999999999s",
    ])
    func invalidDurations(text: String) {
        #expect(throws: ConfigValueError(message: "invalid duration \"\(text)\"", hint: DurationParser.formsHint)) {
            try DurationParser.parse(text).get()
        }
    }

    @Test("guard limits: counts and percentages", arguments: [
        ("500", GuardLimit.count(500)), ("0", .count(0)), ("5%", .percent(5)), ("2.5%", .percent(2.5)),
        ("100%", .percent(100)), ("0%", .percent(0)),
    ])
    func validLimits(text: String, expected: GuardLimit) throws {
        #expect(try GuardLimit.parse(text).get() == expected)
    }

    @Test("guard limits that are refused", arguments: [
        ("150%", "percentage out of range: \"150%\""), ("-5%", "invalid percentage \"-5%\""),
        ("%", "invalid percentage \"%\""), ("5.%", "invalid percentage \"5.%\""),
        ("-1", "limit must not be negative, got -1"), ("lots", "expected a number or a percentage, got \"lots\""),
        ("1e3", "expected a number or a percentage, got \"1e3\""),
    ])
    func invalidLimits(text: String, message: String) {
        #expect(throws: (any Error).self) { try GuardLimit.parse(text).get() }
        if case .failure(let error) = GuardLimit.parse(text) { #expect(error.message == message) }
    }

    @Test("a percentage limit applies to a total, rounded down")
    func limitOfTotal() {
        #expect(GuardLimit.percent(5).limit(ofTotal: 1000) == 50)
        #expect(GuardLimit.percent(5).limit(ofTotal: 39) == 1)
        #expect(GuardLimit.count(500).limit(ofTotal: 10) == 500)
        #expect(GuardLimit.percent(2.5).description == "2.5%")
        #expect(GuardLimit.percent(5).description == "5%")
    }

    @Test("LDAP URLs that are accepted", arguments: [
        ("ldap://ldap.example.org", LDAPServerURL.Scheme.ldap, "ldap.example.org", Int?.none),
        ("ldaps://ldap.example.org:6360/", .ldaps, "ldap.example.org", 6360),
        ("ldap://[::1]:389", .ldap, "::1", 389),
        ("ldapi://", .ldapi, "", nil),
        ("ldapi://%2Frun%2Fslapd%2Fldapi", .ldapi, "%2Frun%2Fslapd%2Fldapi", nil),
        ("LDAP://127.0.0.1", .ldap, "127.0.0.1", nil),
    ])
    func validURLs(text: String, scheme: LDAPServerURL.Scheme, host: String, port: Int?) throws {
        let url = try LDAPServerURL.parse(text).get()
        #expect(url.scheme == scheme)
        #expect(url.host == host)
        #expect(url.port == port)
        #expect(url.string == text)
    }

    @Test("LDAP URLs that are refused", arguments: [
        ("http://ldap", "unsupported URL scheme \"http\""),
        ("ldap.example.org", "invalid URL \"ldap.example.org\""),
        ("ldap://", "missing host in URL \"ldap://\""),
        ("ldaps://:636", "missing host in URL \"ldaps://:636\""),
        ("ldap://host:99999", "invalid port \"99999\" in URL \"ldap://host:99999\""),
        ("ldap://host/dc=example", "invalid URL \"ldap://host/dc=example\""),
        ("ldap://a ldap://b", "invalid URL \"ldap://a ldap://b\""),
    ])
    func invalidURLs(text: String, message: String) {
        if case .failure(let error) = LDAPServerURL.parse(text) {
            #expect(error.message == message)
        } else {
            Issue.record("\(text) was accepted")
        }
    }

    @Test("did-you-mean picks the closest candidate, ignoring case", arguments: [
        ("disabledPlan", "disabledPlans"), ("sofMatch", "softMatch"), ("spe_e3", "SPE_E3"),
        ("INTUNE_B", "INTUNE_A"), ("pagesize", "pageSize"), ("urll", "url"),
    ])
    func didYouMean(name: String, expected: String) {
        let candidates = ["disabledPlans", "softMatch", "SPE_E3", "SPE_E5", "INTUNE_A", "pageSize", "url", "tls"]
        #expect(DidYouMean.suggestion(for: name, among: candidates) == expected)
        #expect(DidYouMean.hint(for: name, among: candidates) == "did you mean \(expected)?")
    }

    @Test("did-you-mean stays silent when nothing is close", arguments: ["frobnicate", "x", "EXCHANGE"])
    func noSuggestion(name: String) {
        #expect(DidYouMean.suggestion(for: name, among: ["url", "tls", "schema", "SPE_E3"]) == nil)
    }

    @Test("did-you-mean breaks ties by sort order, not input order")
    func deterministicTies() {
        #expect(DidYouMean.suggestion(for: "SPE_E4", among: ["SPE_E5", "SPE_E3"]) == "SPE_E3")
        #expect(DidYouMean.suggestion(for: "SPE_E4", among: ["SPE_E3", "SPE_E5"]) == "SPE_E3")
    }

    @Test("LDAP filters must be enclosed in balanced parentheses")
    func filters() {
        #expect(ConfigDecoder.isBalancedFilter("(objectClass=person)"))
        #expect(ConfigDecoder.isBalancedFilter("(&(objectClass=person)(cn=a\\29b))"))
        #expect(!ConfigDecoder.isBalancedFilter("objectClass=person"))
        #expect(!ConfigDecoder.isBalancedFilter("(&(objectClass=person)"))
        #expect(!ConfigDecoder.isBalancedFilter("(a=b))(("))
    }
}
