import Foundation
import Licensing
import TenantModel

/// Times licensing evaluations at the size DESIGN section 7 targets. Run with
/// `swift run -c release licensing-bench`; each step is timed `runs` times and the fastest and slowest are printed.
let runs = 3
let clock = ContinuousClock()

func seconds(_ duration: Duration) -> String {
    let components = duration.components
    let value = Double(components.seconds) + Double(components.attoseconds) / 1e18
    return String(format: "%.3f s", value)
}

func time<T>(_ label: String, _ work: () -> T) -> T {
    var results: [T] = []  // kept until all runs are timed, so freeing one is not timed
    var durations: [Duration] = []
    for _ in 0..<runs {
        durations.append(clock.measure { results.append(work()) })
    }
    durations.sort()
    print("  \(label): fastest \(seconds(durations[0])), slowest \(seconds(durations[durations.count - 1]))")
    return results[0]
}

for (name, makeInput) in [("design", Scenarios.design), ("dense", Scenarios.dense)] {
    let input = makeInput()
    let memberValues = input.groups.reduce(0) { $0 + $1.memberUserIds.count + $1.memberGroupIds.count }
    print("\(name): \(input.users.count) users, \(input.groups.count) groups, \(memberValues) member values, "
        + "\(input.rules.count) rules, \(input.directAssignments.count) direct assignments")
    _ = time("membership expansion of the rule groups") {
        let expansion = MembershipExpansion(groups: input.groups, nested: input.nestedGroups)
        return input.rules.reduce(0) { total, rule in
            guard case .resolved(let groupId) = rule.group else { return total }
            return total + expansion.userIds(inGroup: groupId).count
        }
    }
    let first = time("first evaluation") { LicenseEvaluator.evaluate(input) }
    var again = input
    again.previousGroupPaths = first.groupPaths
    let second = time("re-evaluation with previous paths") { LicenseEvaluator.evaluate(again) }
    let diff = time("path diff of the re-evaluation") {
        PathDiff.between(previous: again.previousGroupPaths, desired: second.groupPaths)
    }
    let errors = first.groupPaths.count { $0.error != .none }
    print("  \(first.groupPaths.count) paths (\(errors) in error), \(first.findings.count) findings, "
        + "\(first.groupCycles.count) cycles; re-run diff: \(diff.upserts.count) upserts, \(diff.deletes.count) deletes")
}
