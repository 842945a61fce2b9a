/// Suggestions for misspelled names: the closest candidate by edit distance, compared case-insensitively.
public enum DidYouMean {
    /// The candidate closest to `name`, or nil when none is reasonably close.
    ///
    /// Case is ignored when comparing, so `spe_e3` suggests `SPE_E3`. A candidate is close enough when
    /// its distance is at most a third of the longer name's length (at least 1, at most 3). Ties go to
    /// the candidate that sorts first, so the answer does not depend on the order of `candidates`.
    public static func suggestion<S: Sequence<String>>(for name: String, among candidates: S) -> String? {
        let needle = Array(name.lowercased().unicodeScalars)
        var best: (distance: Int, candidate: String)?
        for candidate in candidates where candidate != name {
            let other = Array(candidate.lowercased().unicodeScalars)
            let limit = min(3, max(1, max(needle.count, other.count) / 3))
            guard abs(needle.count - other.count) <= limit else { continue }
            let distance = editDistance(needle, other)
            guard distance <= limit else { continue }
            if let current = best,
               (current.distance, current.candidate) <= (distance, candidate) {
                continue
            }
            best = (distance, candidate)
        }
        return best?.candidate
    }

    /// `did you mean X?` for the closest candidate, else nil.
    public static func hint<S: Sequence<String>>(for name: String, among candidates: S) -> String? {
        suggestion(for: name, among: candidates).map { "did you mean \($0)?" }
    }

    /// Levenshtein distance (insertions, deletions, substitutions each cost 1).
    static func editDistance(_ lhs: [Unicode.Scalar], _ rhs: [Unicode.Scalar]) -> Int {
        if lhs.isEmpty { return rhs.count }
        if rhs.isEmpty { return lhs.count }
        var previous = Array(0...rhs.count)
        var current = [Int](repeating: 0, count: rhs.count + 1)
        for (i, left) in lhs.enumerated() {
            current[0] = i + 1
            for (j, right) in rhs.enumerated() {
                let substitution = previous[j] + (left == right ? 0 : 1)
                current[j + 1] = min(substitution, previous[j + 1] + 1, current[j] + 1)
            }
            swap(&previous, &current)
        }
        return previous[rhs.count]
    }
}
