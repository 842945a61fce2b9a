import Foundation
import LDAPClient

/// Turns directory entries into `DirectoryUser` and `DirectoryGroup` values, or quarantines them with a reason.
///
/// Pure: the same entry always maps to the same value. DNs are normalised by the function given at creation,
/// so member values written in another case or spacing still resolve.
public struct EntryMapper: Sendable {
    public let map: AttributeMap
    private let normalizeDN: @Sendable (String) -> String?

    /// - Parameter normalizeDN: returns the normalised form of a DN, or `nil` when it is malformed.
    public init(map: AttributeMap, normalizeDN: @escaping @Sendable (String) -> String?) {
        self.map = map
        self.normalizeDN = normalizeDN
    }

    /// Maps a user entry; quarantines it when the anchor or UPN is missing or a value is unusable.
    public func mapUser(_ entry: LDAPEntry) -> Result<DirectoryUser, QuarantinedEntry> {
        let anchor = anchorValue(of: entry, attributes: map.anchor)
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
        guard Self.isPlausibleUPN(upn) else {
            return quarantine(.invalidValue, "\(entry.dn): \(map.userPrincipalName) \"\(upn)\" is not of the form name@domain", upn: upn)
        }
        var usageLocation: String?
        if let location = text.usageLocation {
            guard let code = Self.countryCode(location) else {
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
    public func mapGroup(_ entry: LDAPEntry) -> Result<DirectoryGroup, QuarantinedEntry> {
        guard let anchor = anchorValue(of: entry, attributes: [map.groupAnchor]) else {
            return .failure(
                QuarantinedEntry(dn: entry.dn, anchor: nil, reason: .missingAnchor, detail: "\(entry.dn): no \(map.groupAnchor) (the source anchor)"))
        }
        guard let normalized = normalizeDN(entry.dn) else {
            return .failure(QuarantinedEntry(dn: entry.dn, anchor: anchor, reason: .invalidValue, detail: "\(entry.dn): the DN cannot be parsed"))
        }
        let name = entry.string(map.groupName) ?? Self.firstRDNValue(entry.dn)
        var group = DirectoryGroup(anchor: anchor, dn: entry.dn, normalizedDN: normalized, name: name)
        appendMembers(from: entry, to: &group)
        if let uidAttribute = map.memberUid {
            group.memberUids = entry.values(uidAttribute).compactMap { String(validating: $0, as: UTF8.self) }
        }
        return .success(group)
    }

    /// Adds the DN-valued members an entry carries, ranged parts included, and notes where a range continues.
    public func appendMembers(from entry: LDAPEntry, to group: inout DirectoryGroup) {
        let memberNames = Set(map.member.map { $0.lowercased() })
        group.pendingRange = nil
        for (description, values) in entry.attributes {
            let base: String
            let range = RangedAttribute(description: description)
            if let range { base = range.attribute } else { base = description }
            guard memberNames.contains(base) else { continue }
            group.memberDNs.reserveCapacity(group.memberDNs.count + values.count)
            for value in values {
                guard let text = String(validating: value, as: UTF8.self) else { continue }
                if let member = normalizeDN(Self.strippingUniqueMemberUID(text)) { group.memberDNs.append(member) }
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
        func read(_ attribute: String) throws(MappingProblem) -> String? {
            guard let raw = entry.values(attribute).first else { return nil }
            guard let text = String(validating: raw, as: UTF8.self) else {
                throw MappingProblem(message: "attribute \(attribute) is not valid UTF-8")
            }
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            return trimmed.isEmpty ? nil : trimmed
        }
        do throws(MappingProblem) {
            fields.userPrincipalName = try read(map.userPrincipalName)
            fields.mail = try read(map.mail)
            for attribute in map.displayName {
                if let name = try read(attribute) {
                    fields.displayName = name
                    break
                }
            }
            fields.usageLocation = try read(map.usageLocation)
            if let uidAttribute = map.uidAttribute { fields.uid = try read(uidAttribute) }
        } catch {
            return .failure(error)
        }
        return .success(fields)
    }

    private func anchorValue(of entry: LDAPEntry, attributes: [String]) -> String? {
        for attribute in attributes {
            guard let raw = entry.values(attribute).first, !raw.isEmpty else { continue }
            switch map.anchorEncoding {
            case .base64: return Data(raw).base64EncodedString()
            case .text: return String(validating: raw, as: UTF8.self)
            }
        }
        return nil
    }

    private func accountEnabled(_ entry: LDAPEntry) -> Bool {
        let value = entry.string(map.accountEnabled)
        switch map.accountFlagStyle {
        case .userAccountControl:
            guard let value, let flags = Int64(value) else { return true }
            return flags & 0x2 == 0
        case .lockFlag:
            return value?.uppercased() != "TRUE"
        case .lockedWhenPresent:
            return entry.values(map.accountEnabled).isEmpty
        }
    }

    // MARK: - Value rules

    static func isPlausibleUPN(_ upn: String) -> Bool {
        guard let at = upn.firstIndex(of: "@") else { return false }
        return at != upn.startIndex && upn.index(after: at) != upn.endIndex && !upn.contains(where: \.isWhitespace)
    }

    static func countryCode(_ value: String) -> String? {
        let code = value.uppercased()
        guard code.count == 2, code.allSatisfy({ $0.isASCII && $0.isLetter }) else { return nil }
        return code
    }

    /// `uniqueMember` values may end in `#'0101'B` (an optional unique id); the DN is what comes before it.
    static func strippingUniqueMemberUID(_ value: String) -> String {
        guard value.hasSuffix("'B"), let hash = value.range(of: "#'", options: .backwards) else { return value }
        return String(value[..<hash.lowerBound])
    }

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
