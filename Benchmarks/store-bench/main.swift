import Foundation
#if canImport(Glibc)
import Glibc
#endif
import TenantModel
import TenantStore

// Times the store alone at benchmark scale: a first sync into an empty store, loadState, an unchanged run (empty
// change set plus its run row) and loadState again, each with the peak RSS after it.
//
//   store-bench [--users N] [--groups M] FOLDER        (FOLDER is created and must not hold a store yet)
//   store-bench --load-only FOLDER                     (loadState of the store a previous run left there)

func peakRSSMegabytes() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

func seconds(_ duration: Duration) -> String {
    let (whole, attoseconds) = duration.components
    return String(format: "%.3f s", Double(whole) + Double(attoseconds) / 1e18)
}

func report(_ stage: String, _ duration: Duration) {
    print("\(stage): \(seconds(duration)), peak RSS \(String(format: "%.0f", peakRSSMegabytes())) MB")
}

/// The shape of the benchmark directory: one group of 30 % of the users, about 2.75 memberships per user, and a
/// licence path for 60 % of the users.
func firstSync(users userCount: Int, groups groupCount: Int) -> TenantChangeSet {
    var changes = TenantChangeSet()
    changes.upsertUsers = (0..<userCount).map { index in
        TenantUser(
            id: UUID().uuidString.lowercased(), userPrincipalName: "user\(index)@example.org",
            displayName: "User \(index)", mail: "user\(index)@example.org", usageLocation: "DE",
            onPremisesImmutableId: UUID().uuidString.lowercased(),
            onPremisesDistinguishedName: "uid=u\(index),ou=people,dc=example,dc=org", enteredRun: 1)
    }
    let userIds = changes.upsertUsers.map(\.id)
    let largest = userCount * 3 / 10
    var remaining = userCount * 11 / 4 - largest
    changes.upsertGroups = (0..<groupCount).map { index in
        let size = index == 0 ? largest : min(remaining, remaining / (groupCount - index))
        if index > 0 { remaining -= size }
        let start = (index * 7_919) % userIds.count
        let members = (0..<size).map { userIds[(start + $0) % userIds.count] }
        return TenantGroup(
            id: UUID().uuidString.lowercased(), displayName: "Group \(index)",
            onPremisesImmutableId: UUID().uuidString.lowercased(),
            onPremisesDistinguishedName: "cn=group\(index),ou=groups,dc=example,dc=org",
            memberUserIds: members)
    }
    let stamp = Date(timeIntervalSince1970: 1_760_000_000)
    changes.upsertPaths = userIds.prefix(userCount * 6 / 10).enumerated().map { index, userId in
        let sku = index % 2 == 0 ? "SPE_E3" : "INTUNE_A"
        return LicensePath(
            userId: userId, skuPartNumber: sku, assignedByGroup: changes.upsertGroups[0].id,
            ruleKey: "\(changes.upsertGroups[0].id)/\(sku)", disabledPlans: sku == "SPE_E3" ? ["YAMMER_ENTERPRISE"] : [],
            lastUpdatedDateTime: stamp)
    }
    changes.subscriptions = [SubscribedSku(skuPartNumber: "SPE_E3", enabledUnits: 50_000)]
    changes.position = SyncPosition(kind: "syncrepl", value: "rid=001,csn=bench")
    return changes
}

func runReport(_ runId: Int64) -> RunReport {
    let start = Date()
    return RunReport(
        runId: runId, startedAt: start, finishedAt: start, mode: .full, dryRun: false, outcome: .success,
        users: ObjectCounts(), groups: ObjectCounts(), licenses: LicenseCounts(), findings: [], userTotal: 0)
}

var arguments = Array(CommandLine.arguments.dropFirst())
var userCount = 100_000
var groupCount = 10_000
var loadOnly = false
while let first = arguments.first, first.hasPrefix("--") {
    arguments.removeFirst()
    switch first {
    case "--users": userCount = Int(arguments.removeFirst())!
    case "--groups": groupCount = Int(arguments.removeFirst())!
    case "--load-only": loadOnly = true
    default: fatalError("unknown option \(first)")
    }
}
guard let folder = arguments.first else { fatalError("usage: store-bench [--users N] [--groups M] [--load-only] FOLDER") }
let path = URL(fileURLWithPath: folder).appendingPathComponent("tenant.sqlite").path
let clock = ContinuousClock()
let store = try TenantStore(path: path)
if loadOnly {
    var state = TenantState()
    report("loadState", try clock.measure { state = try store.loadState() })
    print("users \(state.users.count), groups \(state.groups.count), paths \(state.groupPaths.count)")
    exit(0)
}
var changes = firstSync(users: userCount, groups: groupCount)
let memberships = changes.upsertGroups.reduce(0) { $0 + $1.memberUserIds.count }
report("generated \(userCount) users, \(groupCount) groups, \(memberships) memberships, \(changes.upsertPaths.count) paths",
       .zero)
report("apply first sync", try clock.measure { try store.apply(changes, report: runReport(1)) })
changes = TenantChangeSet()
var state = TenantState()
report("loadState", try clock.measure { state = try store.loadState() })
state = TenantState()
report("apply unchanged run", try clock.measure { try store.apply(TenantChangeSet(), report: runReport(2)) })
report("loadState again", try clock.measure { state = try store.loadState() })
let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
print("store file \(size / 1_000_000) MB, users \(state.users.count)")
