import TenantModel

/// The changes that turn one set of group paths into another.
public enum PathDiff {
    /// Paths to insert or replace (new, or different in anything but `lastUpdatedDateTime`), in `desired` order,
    /// and keys of paths to delete, in `previous` order.
    public static func between(previous: [LicensePath], desired: [LicensePath]) -> (upserts: [LicensePath], deletes: [LicensePathKey]) {
        var previousByKey: [LicensePathKey: LicensePath] = [:]
        previousByKey.reserveCapacity(previous.count)
        for path in previous { previousByKey[path.key] = path }
        var desiredKeys = Set<LicensePathKey>()
        desiredKeys.reserveCapacity(desired.count)
        var upserts: [LicensePath] = []
        for path in desired {
            desiredKeys.insert(path.key)
            if let old = previousByKey[path.key], sameIgnoringTime(old, path) { continue }
            upserts.append(path)
        }
        let deletes = previous.map(\.key).filter { !desiredKeys.contains($0) }
        return (upserts, deletes)
    }

    /// Whether two paths are equal in everything but `lastUpdatedDateTime`.
    static func sameIgnoringTime(_ lhs: LicensePath, _ rhs: LicensePath) -> Bool {
        var rhs = rhs
        rhs.lastUpdatedDateTime = lhs.lastUpdatedDateTime
        return lhs == rhs
    }
}
