import Foundation
import LDAPClient
import Testing

@testable import DirectoryMapping

private func entry(_ dn: String, _ attributes: [String: [String]]) -> LDAPEntry {
    LDAPEntry(dn: dn, attributes: attributes.mapValues { $0.map { Array($0.utf8) } })
}

private func knownDNs(_ pairs: [String: String]) -> KnownDNs {
    var known = KnownDNs()
    for (index, (dn, normalized)) in pairs.sorted(by: { $0.key < $1.key }).enumerated() {
        known.insert(dn, normalized: normalized, userIndex: index)
    }
    return known
}

private func mapper(_ preset: SchemaPreset, overrides: [String: String] = [:]) -> EntryMapper {
    EntryMapper(map: AttributeMap(preset: preset, overrides: overrides)) { dn in
        dn.isEmpty || !dn.contains("=") ? nil : dn.lowercased().replacingOccurrences(of: ", ", with: ",")
    }
}

@Suite struct EntryMapperTests {
    @Test func openldapUserMapsAnchorNamesAndCountry() throws {
        let result = mapper(.openldap).mapUser(
            entry("uid=ada,ou=people,dc=example,dc=org", [
                "entryUUID": ["6f1c0a52-8c5e-103f-9d5a-0b1f9d2b2c11"], "mail": ["Ada.Adler@example.org"],
                "displayName": ["Ada Adler"], "c": ["de"], "uid": ["ada"],
            ]))
        let user = try result.get()
        #expect(user.anchor == "6f1c0a52-8c5e-103f-9d5a-0b1f9d2b2c11")
        #expect(user.userPrincipalName == "Ada.Adler@example.org")
        #expect(user.usageLocation == "DE")
        #expect(user.accountEnabled)
        #expect(user.uid == "ada")
    }

    @Test func displayNameFallsBackToCommonName() throws {
        let user = try mapper(.openldap).mapUser(
            entry("uid=b,dc=x", ["entryUUID": ["u1"], "mail": ["b@x.org"], "cn": ["Ben Becker"]])
        ).get()
        #expect(user.displayName == "Ben Becker")
    }

    @Test func lockedOpenLDAPAccountIsDisabled() throws {
        let user = try mapper(.openldap).mapUser(
            entry("uid=b,dc=x", ["entryUUID": ["u1"], "mail": ["b@x.org"], "pwdAccountLockedTime": ["000001010000Z"]])
        ).get()
        #expect(!user.accountEnabled)
    }

    @Test(arguments: [("512", true), ("514", false), ("544", true), ("66050", false)])
    func activeDirectoryDisabledBit(flags: String, enabled: Bool) throws {
        let guid: [UInt8] = [0x10, 0x32, 0x54, 0x76, 0x98, 0xBA, 0xDC, 0xFE, 0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF]
        var source = entry("CN=Ada,CN=Users,DC=corp", ["userPrincipalName": ["ada@corp.example.test"], "userAccountControl": [flags]])
        source.attributes["objectguid"] = [guid]
        let user = try mapper(.activedirectory).mapUser(source).get()
        #expect(user.accountEnabled == enabled)
        #expect(user.anchor == Data(guid).base64EncodedString())
    }

    @Test func consistencyGuidWinsOverObjectGUID() throws {
        var source = entry("CN=Ada,DC=corp", ["userPrincipalName": ["ada@corp.test"]])
        source.attributes["objectguid"] = [[UInt8](repeating: 1, count: 16)]
        source.attributes["ms-ds-consistencyguid"] = [[UInt8](repeating: 2, count: 16)]
        let user = try mapper(.activedirectory).mapUser(source).get()
        #expect(user.anchor == Data([UInt8](repeating: 2, count: 16)).base64EncodedString())
    }

    @Test func freeipaLockFlagAndAnchor() throws {
        let user = try mapper(.freeipa).mapUser(
            entry("uid=a,cn=users,cn=accounts,dc=ipa", ["ipaUniqueID": ["abc-1"], "mail": ["a@ipa.test"], "nsAccountLock": ["TRUE"]])
        ).get()
        #expect(user.anchor == "abc-1")
        #expect(!user.accountEnabled)
    }

    @Test func overridesReplaceThePresetAttribute() throws {
        let user = try mapper(.openldap, overrides: ["userPrincipalName": "uid", "usageLocation": "countryCode"]).mapUser(
            entry("uid=a,dc=x", ["entryUUID": ["u1"], "uid": ["a@x.org"], "countryCode": ["AT"], "c": ["DE"]])
        ).get()
        #expect(user.userPrincipalName == "a@x.org")
        #expect(user.usageLocation == "AT")
    }

    @Test func missingAnchorIsQuarantinedWithTheAttributeNamed() {
        let result = mapper(.openldap).mapUser(entry("uid=a,dc=x", ["mail": ["a@x.org"]]))
        guard case .failure(let quarantined) = result else { Issue.record("expected quarantine"); return }
        #expect(quarantined.reason == .missingAnchor)
        #expect(quarantined.detail.contains("uid=a,dc=x"))
        #expect(quarantined.detail.contains("entryUUID"))
    }

    @Test func missingUPNIsQuarantined() {
        let result = mapper(.openldap).mapUser(entry("uid=a,dc=x", ["entryUUID": ["u1"]]))
        guard case .failure(let quarantined) = result else { Issue.record("expected quarantine"); return }
        #expect(quarantined.reason == .missingUserPrincipalName)
        #expect(quarantined.anchor == "u1")
    }

    @Test func invalidUTF8IsQuarantinedNamingTheAttribute() {
        var source = entry("uid=a,dc=x", ["entryUUID": ["u1"], "mail": ["a@x.org"]])
        source.attributes["displayname"] = [[0x41, 0xFF, 0xFE]]
        guard case .failure(let quarantined) = mapper(.openldap).mapUser(source) else { Issue.record("expected quarantine"); return }
        #expect(quarantined.reason == .invalidValue)
        #expect(quarantined.detail.contains("displayName"))
        #expect(quarantined.detail.contains("uid=a,dc=x"))
    }

    @Test(arguments: ["Germany", "D", "1A"])
    func badCountryIsQuarantined(country: String) {
        let result = mapper(.openldap).mapUser(entry("uid=a,dc=x", ["entryUUID": ["u1"], "mail": ["a@x.org"], "c": [country]]))
        guard case .failure(let quarantined) = result else { Issue.record("expected quarantine"); return }
        #expect(quarantined.reason == .invalidValue)
    }

    @Test func groupMembersAreNormalisedAndUniqueMemberSuffixStripped() throws {
        let group = try mapper(.openldap).mapGroup(
            entry("cn=Intune Users,ou=groups,dc=x", [
                "entryUUID": ["g1"], "cn": ["Intune Users"],
                "member": ["uid=A, ou=people,dc=x"], "uniqueMember": ["uid=b,ou=people,dc=x#'0101'B"], "memberUid": ["carol"],
            ])
        ).get()
        #expect(group.name == "Intune Users")
        #expect(Set(group.memberDNs) == ["uid=a,ou=people,dc=x", "uid=b,ou=people,dc=x"])
        #expect(group.memberUids == ["carol"])
        #expect(group.pendingRange == nil)
    }

    @Test func rangedMembersLeaveAContinuation() throws {
        var source = entry("CN=Big,DC=corp", ["cn": ["Big"], "member;range=0-1499": ["CN=u1,DC=corp", "CN=u2,DC=corp"]])
        source.attributes["objectguid"] = [[UInt8](repeating: 7, count: 16)]
        let group = try mapper(.activedirectory).mapGroup(source).get()
        #expect(group.memberDNs.count == 2)
        #expect(group.pendingRange?.nextRequest == "member;range=1500-*")
    }

    @Test(arguments: [
        ("member;range=0-1499", "member", 0, Optional(1499)), ("member;Range=1500-*", "member", 1500, nil),
    ])
    func rangeOptionParses(description: String, attribute: String, start: Int, end: Int?) throws {
        let range = try #require(RangedAttribute(description: description))
        #expect(range.attribute == attribute)
        #expect(range.start == start)
        #expect(range.end == end)
    }

    @Test func plainAttributeHasNoRange() {
        #expect(RangedAttribute(description: "member") == nil)
        #expect(RangedAttribute(description: "member;range=x-y") == nil)
    }

    @Test func requestedAttributesNameOperationalAnchor() {
        #expect(AttributeMap(preset: .openldap).userAttributes.contains("entryUUID"))
        #expect(AttributeMap(preset: .activedirectory).userAttributes.contains("objectGUID"))
        #expect(AttributeMap(preset: .freeipa).groupAttributes.contains("ipaUniqueID"))
    }

    @Test func activeDirectoryAsksForMembersInWindowsOthersForThePlainAttribute() {
        #expect(AttributeMap(preset: .activedirectory).groupAttributes.contains("member;range=0-1499"))
        #expect(!AttributeMap(preset: .activedirectory).groupAttributes.contains("member"))
        #expect(AttributeMap(preset: .openldap).groupAttributes.contains("member"))
        #expect(AttributeMap(preset: .freeipa).groupAttributes.contains("member"))
    }

    @Test(arguments: [
        ("  Ada Adler\t", "Ada Adler"), ("\u{3000}Ada\u{00A0}", "Ada"), ("Jürgen ", "Jürgen"), (" \t ", nil),
        ("a  b", "a  b"), ("\u{00C4}", "\u{00C4}"),
    ])
    func textValuesAreTrimmedOfWhitespace(raw: String, expected: String?) throws {
        let user = try mapper(.openldap).mapUser(
            entry("uid=b,dc=x", ["entryUUID": ["u1"], "mail": ["b@x.org"], "displayName": [raw], "cn": ["fallback"]])
        ).get()
        #expect(user.displayName == expected ?? "fallback")
    }

    @Test(arguments: [
        ("a@b", true), ("@b", false), ("a@", false), ("ab", false), ("a b@c", false), ("a@b\tc", false),
        ("jü@b.de", true), ("a@b\u{00A0}c", false), ("ä@", false),
    ])
    func plausibleUPNs(upn: String, plausible: Bool) {
        #expect(TextValue.isPlausibleUPN(upn) == plausible)
    }

    @Test(arguments: [("de", "DE"), ("DE", "DE"), ("dE", "DE"), ("d1", nil), ("deu", nil), ("dé", nil)])
    func countryCodes(value: String, code: String?) {
        #expect(TextValue.countryCode(value) == code)
    }

    @Test func knownMemberDNsAreTakenAsTheyAre() throws {
        let group = try mapper(.openldap).mapGroup(
            entry("cn=g,dc=x", ["entryUUID": ["g1"], "member": ["uid=a,dc=x", "UID=B, DC=X"]]),
            knownDNs: knownDNs(["uid=a,dc=x": "known-a"])
        ).get()
        #expect(group.memberDNs.sorted() == ["known-a", "uid=b,dc=x"])
        // The known member carries its user's index in the read, the other none.
        let indexes = Dictionary(uniqueKeysWithValues: zip(group.memberDNs, group.memberUserIndexes))
        #expect(indexes == ["known-a": 0, "uid=b,dc=x": -1])
    }

    /// The member attributes a group has values in, named as the map names them, ranged parts included.
    @Test func memberAttributesAreThoseWithValues() {
        let openldap = mapper(.openldap)
        #expect(openldap.memberAttributes(of: entry("cn=g,dc=x", ["member": ["uid=a,dc=x"], "uniqueMember": [], "cn": ["g"]])) == ["member"])
        #expect(openldap.memberAttributes(of: entry("cn=g,dc=x", ["uniquemember": ["uid=a,dc=x"], "memberUid": ["a"]])) == ["uniqueMember", "memberUid"])
        #expect(openldap.memberAttributes(of: entry("cn=g,dc=x", ["member;range=0-1499": ["uid=a,dc=x"]])) == ["member"])
        #expect(openldap.memberAttributes(of: entry("cn=g,dc=x", ["cn": ["g"]])).isEmpty)
    }

    @Test func withoutKnownDNsNoIndexesAreKept() throws {
        let group = try mapper(.openldap).mapGroup(entry("cn=g,dc=x", ["entryUUID": ["g1"], "member": ["uid=a,dc=x"]])).get()
        #expect(group.memberDNs == ["uid=a,dc=x"])
        #expect(group.memberUserIndexes.isEmpty)
    }
}
