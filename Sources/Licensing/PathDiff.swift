import TenantModel

/// The changes that turn one set of group paths into another.
public enum PathDiff {
    /// Paths to insert or replace (new, or different in anything but `lastUpdatedDateTime`), in `desired` order,
    /// and keys of paths to delete, in `previous` order.
    public static func between(previous: [LicensePath], desired: [LicensePath]) -> (upserts: [LicensePath], deletes: [LicensePathKey]) {
        // Evaluations list paths in a stable order, so the common case (few changes) is a walk along both lists;
        // only the paths after the first difference in order go through dictionaries.
        var upserts: [LicensePath] = []
        var common = 0
        // Read in place: copying a path out of an array costs a retain per field.
        previous.withUnsafeBufferPointer { previous in
            desired.withUnsafeBufferPointer { desired in
                while common < previous.count, common < desired.count, sameKey(previous[common], desired[common]) {
                    if !sameIgnoringTime(previous[common], desired[common]) { upserts.append(desired[common]) }
                    common += 1
                }
            }
        }
        var previousByKey: [LicensePathKey: LicensePath] = [:]
        previousByKey.reserveCapacity(previous.count - common)
        for path in previous[common...] { previousByKey[path.key] = path }
        var desiredKeys = Set<LicensePathKey>()
        desiredKeys.reserveCapacity(desired.count - common)
        for path in desired[common...] {
            desiredKeys.insert(path.key)
            if let old = previousByKey[path.key], sameIgnoringTime(old, path) { continue }
            upserts.append(path)
        }
        let deletes = previous[common...].map(\.key).filter { !desiredKeys.contains($0) }
        return (upserts, deletes)
    }

    /// Whether two paths have the same key, without building the keys.
    static func sameKey(_ lhs: LicensePath, _ rhs: LicensePath) -> Bool {
        lhs.userId == rhs.userId && lhs.skuPartNumber == rhs.skuPartNumber && lhs.ruleKey == rhs.ruleKey
    }

    /// Whether two paths are equal in everything but `lastUpdatedDateTime`.
    static func sameIgnoringTime(_ lhs: LicensePath, _ rhs: LicensePath) -> Bool {
        if lhs.lastUpdatedDateTime == rhs.lastUpdatedDateTime { return lhs == rhs }
        var rhs = rhs
        rhs.lastUpdatedDateTime = lhs.lastUpdatedDateTime
        return lhs == rhs
    }

    /// The changes when the previous path of each desired path is known (`origins[i]` is the index in `previous` of
    /// the path with the key of `desired[i]`, or -1), as an evaluation reports them: no dictionaries. Returns the
    /// upserts with the index of the previous path each replaces (-1 for a new one), and the indexes in `previous`
    /// of the paths to delete.
    public static func between(
        previous: [LicensePath], desired: [LicensePath], origins: [Int]
    ) -> (upserts: [LicensePath], replaced: [Int], deleted: [Int]) {
        precondition(origins.count == desired.count, "one origin per desired path")
        var upserts: [LicensePath] = []
        var replaced: [Int] = []
        var kept = [Bool](repeating: false, count: previous.count)
        previous.withUnsafeBufferPointer { previous in
            desired.withUnsafeBufferPointer { desired in
                for index in desired.indices {
                    let origin = origins[index]
                    if origin >= 0 {
                        kept[origin] = true
                        if sameIgnoringTime(previous[origin], desired[index]) { continue }
                    }
                    upserts.append(desired[index])
                    replaced.append(origin)
                }
            }
        }
        return (upserts, replaced, previous.indices.filter { !kept[$0] })
    }
}
