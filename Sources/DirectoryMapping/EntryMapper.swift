import Foundation
import LDAPClient

/// Turns directory entries into `DirectoryUser` and `DirectoryGroup` values, or quarantines them with a reason.
///
/// Pure: the same entry always maps to the same value. DNs are normalised by the function given at creation,
/// so member values written in another case or spacing still resolve.
public struct EntryMapper: Sendable {
    public let map: AttributeMap
    private let normalizeDN: @Sendable (String) -> String?
    /// The attribute names of `map` in lower case, as `LDAPEntry` keys them.
    private let keys: LoweredAttributeNames

    /// - Parameter normalizeDN: returns the normalised form of a DN, or `nil` when it is malformed.
    public init(map: AttributeMap, normalizeDN: @escaping @Sendable (String) -> String?) {
        self.map = map
        self.normalizeDN = normalizeDN
        self.keys = LoweredAttributeNames(map)
    }

    /// Maps a user entry; quarantines it when the anchor or UPN is missing or a value is unusable.
    public func mapUser(_ entry: LDAPEntry) -> Result<DirectoryUser, QuarantinedEntry> {
        let anchor = anchorValue(of: entry, attributes: keys.anchor)
        let normalizedDN = normalizeDN(entry.dn)
        func quarantine(_ reason: QuarantinedEntry.Reason, _ detail: String, upn: String? = nil) -> Result<DirectoryUser, QuarantinedEntry> {
            .failure(
                QuarantinedEntry(
                    dn: entry.dn, normalizedDN: normalizedDN, anchor: anchor, userPrincipalName: upn, reason: reason, detail: detail))
        }
        guard let anchor else {
            return quarantine(.missingAnchor, "\(entry.dn): no \(map.anchor.joined(separator: " or ")) (the source anchor)")
        }
        let text: TextFields
        switch readText(entry) {
        case .success(let fields): text = fields
        case .failure(let problem): return quarantine(.invalidValue, "\(entry.dn): \(problem.message)")
        }
        guard let upn = text.userPrincipalName, !upn.isEmpty else {
            return quarantine(.missingUserPrincipalName, "\(entry.dn): no \(map.userPrincipalName) (the userPrincipalName)")
        }
        guard TextValue.isPlausibleUPN(upn) else {
            return quarantine(.invalidValue, "\(entry.dn): \(map.userPrincipalName) \"\(upn)\" is not of the form name@domain", upn: upn)
        }
        var usageLocation: String?
        if let location = text.usageLocation {
            guard let code = TextValue.countryCode(location) else {
                return quarantine(
                    .invalidValue, "\(entry.dn): \(map.usageLocation) \"\(location)\" is not a two-letter country code", upn: upn)
            }
            usageLocation = code
        }
        guard let normalized = normalizedDN else {
            return quarantine(.invalidValue, "\(entry.dn): the DN cannot be parsed", upn: upn)
        }
        return .success(
            DirectoryUser(
                anchor: anchor, dn: entry.dn, normalizedDN: normalized, userPrincipalName: upn,
                displayName: text.displayName, mail: text.mail, usageLocation: usageLocation,
                accountEnabled: accountEnabled(entry), uid: text.uid
            ))
    }

    /// Maps a group entry; member DNs are normalised, malformed ones dropped and counted by the caller as out of scope.
    /// - Parameter knownDNs: normalised forms already known by the DN as written (the users' DNs): member values
    ///   found there are not parsed again and share the known string.
    public func mapGroup(_ entry: LDAPEntry, knownDNs: KnownDNs = KnownDNs()) -> Result<DirectoryGroup, QuarantinedEntry> {
        guard let anchor = anchorValue(of: entry, attributes: [keys.groupAnchor]) else {
            return .failure(
                QuarantinedEntry(dn: entry.dn, anchor: nil, reason: .missingAnchor, detail: "\(entry.dn): no \(map.groupAnchor) (the source anchor)"))
        }
        guard let normalized = normalizeDN(entry.dn) else {
            return .failure(QuarantinedEntry(dn: entry.dn, anchor: anchor, reason: .invalidValue, detail: "\(entry.dn): the DN cannot be parsed"))
        }
        let name = entry.string(map.groupName) ?? Self.firstRDNValue(entry.dn)
        var group = DirectoryGroup(anchor: anchor, dn: entry.dn, normalizedDN: normalized, name: name)
        appendMembers(from: entry, to: &group, knownDNs: knownDNs)
        if let memberUid = keys.memberUid {
            group.memberUids = (entry.attributes[memberUid] ?? []).compactMap { String(validating: $0, as: UTF8.self) }
        }
        return .success(group)
    }

    /// The member attributes of the map (`member` and `memberUid`, as the map names them) in which a group entry
    /// has values, ranged parts included.
    public func memberAttributes(of entry: LDAPEntry) -> Set<String> {
        var found = Set<String>()
        for (description, values) in entry.attributes where !values.isEmpty {
            let base = keys.members.contains(description) ? description : RangedAttribute(description: description)?.attribute ?? description
            if keys.members.contains(base) || base == keys.memberUid {
                found.insert(map.member.first { $0.lowercased() == base } ?? map.memberUid ?? base)
            }
        }
        return found
    }

    /// Adds the DN-valued members an entry carries, ranged parts included, and notes where a range continues.
    /// - Parameter knownDNs: as for `mapGroup`.
    public func appendMembers(from entry: LDAPEntry, to group: inout DirectoryGroup, knownDNs: KnownDNs = KnownDNs()) {
        group.pendingRange = nil
        // The users' indexes are kept once any is known, one per member DN.
        let keepsIndexes = knownDNs.count > 0 || !group.memberUserIndexes.isEmpty
        if keepsIndexes && group.memberUserIndexes.count < group.memberDNs.count {
            group.memberUserIndexes += repeatElement(-1, count: group.memberDNs.count - group.memberUserIndexes.count)
        }
        for (description, values) in entry.attributes {
            let base: String
            let range = keys.members.contains(description) ? nil : RangedAttribute(description: description)
            if let range { base = range.attribute } else { base = description }
            guard keys.members.contains(base) else { continue }
            group.memberDNs.reserveCapacity(group.memberDNs.count + values.count)
            if keepsIndexes { group.memberUserIndexes.reserveCapacity(group.memberDNs.count + values.count) }
            for value in values {
                if let known = knownDNs.known(value) {
                    group.memberDNs.append(known.normalized)
                    if keepsIndexes { group.memberUserIndexes.append(Int32(truncatingIfNeeded: known.userIndex)) }
                } else if let text = String(validating: value, as: UTF8.self),
                    let member = normalizeDN(TextValue.strippingUniqueMemberUID(text))
                {
                    group.memberDNs.append(member)
                    if keepsIndexes { group.memberUserIndexes.append(-1) }
                }
            }
            if let range, range.end != nil { group.pendingRange = range }
        }
    }

    // MARK: - Attribute readers

    private struct TextFields {
        var userPrincipalName: String?
        var mail: String?
        var displayName: String?
        var usageLocation: String?
        var uid: String?
    }

    private func readText(_ entry: LDAPEntry) -> Result<TextFields, MappingProblem> {
        var fields = TextFields()
        func read(_ attribute: String, key: String) throws(MappingProblem) -> String? {
            guard let raw = entry.attributes[key]?.first else { return nil }
            switch TextValue.trimmed(raw) {
            case .text(let text): return text
            case .empty: return nil
            case .notUTF8: throw MappingProblem(message: "attribute \(attribute) is not valid UTF-8")
            }
        }
        do throws(MappingProblem) {
            fields.userPrincipalName = try read(map.userPrincipalName, key: keys.userPrincipalName)
            fields.mail = map.mail == map.userPrincipalName ? fields.userPrincipalName : try read(map.mail, key: keys.mail)
            for (attribute, key) in zip(map.displayName, keys.displayName) {
                if let name = try read(attribute, key: key) {
                    fields.displayName = name
                    break
                }
            }
            fields.usageLocation = try read(map.usageLocation, key: keys.usageLocation)
            if let uidAttribute = map.uidAttribute, let key = keys.uid { fields.uid = try read(uidAttribute, key: key) }
        } catch {
            return .failure(error)
        }
        return .success(fields)
    }

    /// The anchor `mapUser` would give the entry, without mapping the rest.
    public func userAnchor(of entry: LDAPEntry) -> String? {
        anchorValue(of: entry, attributes: keys.anchor)
    }

    /// The anchor `mapGroup` would give the entry, without mapping the rest.
    public func groupAnchor(of entry: LDAPEntry) -> String? {
        anchorValue(of: entry, attributes: [keys.groupAnchor])
    }

    private func anchorValue(of entry: LDAPEntry, attributes: [String]) -> String? {
        for attribute in attributes {
            guard let raw = entry.attributes[attribute]?.first, !raw.isEmpty else { continue }
            switch map.anchorEncoding {
            case .base64: return Data(raw).base64EncodedString()
            case .text: return String(validating: raw, as: UTF8.self)
            }
        }
        return nil
    }

    private func accountEnabled(_ entry: LDAPEntry) -> Bool {
        let values = entry.attributes[keys.accountEnabled] ?? []
        let value = values.first.flatMap { String(validating: $0, as: UTF8.self) }
        switch map.accountFlagStyle {
        case .userAccountControl:
            guard let value, let flags = Int64(value) else { return true }
            return flags & 0x2 == 0
        case .lockFlag:
            return value?.uppercased() != "TRUE"
        case .lockedWhenPresent:
            return values.isEmpty
        }
    }

    // MARK: - Value rules

    static func firstRDNValue(_ dn: String) -> String {
        let first = dn.split(separator: ",", maxSplits: 1).first ?? Substring(dn)
        guard let equals = first.firstIndex(of: "=") else { return String(first) }
        return String(first[first.index(after: equals)...])
    }
}

/// Why an attribute value cannot be used.
struct MappingProblem: Error {
    let message: String
}

/// The attribute names of an `AttributeMap` in lower case, the way `LDAPEntry` keys its attributes.
private struct LoweredAttributeNames: Sendable {
    let anchor: [String]
    let userPrincipalName: String
    let mail: String
    let displayName: [String]
    let usageLocation: String
    let accountEnabled: String
    let uid: String?
    let groupAnchor: String
    let members: Set<String>
    let memberUid: String?

    init(_ map: AttributeMap) {
        anchor = map.anchor.map { $0.lowercased() }
        userPrincipalName = map.userPrincipalName.lowercased()
        mail = map.mail.lowercased()
        displayName = map.displayName.map { $0.lowercased() }
        usageLocation = map.usageLocation.lowercased()
        accountEnabled = map.accountEnabled.lowercased()
        uid = map.uidAttribute?.lowercased()
        groupAnchor = map.groupAnchor.lowercased()
        members = Set(map.member.map { $0.lowercased() })
        memberUid = map.memberUid?.lowercased()
    }
}
