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
//   store-bench --phased FOLDER                        (the first sync in three runs: users, groups, paths)
//   store-bench --load-only FOLDER                     (loadState of the store a previous run left there)
//
// STORE_BENCH_PAUSE=SECONDS pauses once the test data exists, so that `perf record -p` can attach.

func peakRSSMegabytes() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

/// The resident set now (not the peak).
func residentMegabytes() -> Int {
    let statm = (try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8)) ?? ""
    let residentPages = statm.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
    return residentPages * 4096 / 1_048_576
}

/// User plus system CPU seconds of this process so far.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
    let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    return user + system
}

func seconds(_ duration: Duration) -> String {
    let (whole, attoseconds) = duration.components
    return String(format: "%.3f s", Double(whole) + Double(attoseconds) / 1e18)
}

var cpuMark = cpuSeconds()

@MainActor func report(_ stage: String, _ duration: Duration) {
    let cpu = cpuSeconds()
    print("\(stage): \(seconds(duration)) wall, \(String(format: "%.3f", cpu - cpuMark)) s CPU, "
          + "peak RSS \(String(format: "%.0f", peakRSSMegabytes())) MB")
    cpuMark = cpu
}

/// Random-looking UUID texts (ids and anchors come from the directory's entryUUIDs in random order), the same in
/// every run.
struct UUIDTexts {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15

    mutating func next() -> String {
        func word(_ generator: inout UInt64) -> UInt64 {
            generator ^= generator << 13
            generator ^= generator >> 7
            generator ^= generator << 17
            return generator
        }
        let high = word(&state)
        let low = word(&state)
        let hex = String(format: "%016llx%016llx", high, low)
        let characters = Array(hex)
        return String(characters[0..<8]) + "-" + String(characters[8..<12]) + "-" + String(characters[12..<16]) + "-"
            + String(characters[16..<20]) + "-" + String(characters[20..<32])
    }
}

/// The shape of the benchmark directory: one group of 30 % of the users, about 2.75 memberships per user, and a
/// licence path for 60 % of the users.
func firstSync(users userCount: Int, groups groupCount: Int) -> TenantChangeSet {
    var changes = TenantChangeSet()
    var uuids = UUIDTexts()
    changes.upsertUsers = (0..<userCount).map { index in
        TenantUser(
            id: uuids.next(), userPrincipalName: "user\(index)@example.org",
            displayName: "User \(index)", mail: "user\(index)@example.org", usageLocation: "DE",
            onPremisesImmutableId: uuids.next(),
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
            id: uuids.next(), displayName: "Group \(index)",
            onPremisesImmutableId: uuids.next(),
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
var phased = false
while let first = arguments.first, first.hasPrefix("--") {
    arguments.removeFirst()
    switch first {
    case "--users": userCount = Int(arguments.removeFirst())!
    case "--groups": groupCount = Int(arguments.removeFirst())!
    case "--load-only": loadOnly = true
    case "--phased": phased = true
    default: fatalError("unknown option \(first)")
    }
}
guard let folder = arguments.first else { fatalError("usage: store-bench [--users N] [--groups M] [--load-only] FOLDER") }
let path = URL(fileURLWithPath: folder).appendingPathComponent("tenant.sqlite").path
let clock = ContinuousClock()
let store = try TenantStore(path: path)
if loadOnly {
    print("RSS before loadState: \(residentMegabytes()) MB")
    cpuMark = cpuSeconds()
    var state = TenantState()
    report("loadState", try clock.measure { state = try store.loadState() })
    print("RSS with the state loaded: \(residentMegabytes()) MB")
    print("users \(state.users.count), groups \(state.groups.count), paths \(state.groupPaths.count)")
    exit(0)
}
var changes = firstSync(users: userCount, groups: groupCount)
let memberships = changes.upsertGroups.reduce(0) { $0 + $1.memberUserIds.count }
cpuMark = cpuSeconds()
report("generated \(userCount) users, \(groupCount) groups, \(memberships) memberships, \(changes.upsertPaths.count) paths",
       .zero)
// Time for a profiler to attach (`perf record -p`) once the test data exists.
if let pause = ProcessInfo.processInfo.environment["STORE_BENCH_PAUSE"].flatMap(Double.init) {
    FileHandle.standardError.write(Data("pausing \(pause) s\n".utf8))
    Thread.sleep(forTimeInterval: pause)
}
if phased {
    // The first sync in three runs (users, then groups, then paths and the rest) to see what each part costs.
    var users = TenantChangeSet()
    users.upsertUsers = changes.upsertUsers
    var groups = TenantChangeSet()
    groups.upsertGroups = changes.upsertGroups
    var rest = changes
    rest.upsertUsers = []
    rest.upsertGroups = []
    report("apply users", try clock.measure { try store.apply(users, report: runReport(-3)) })
    report("apply groups", try clock.measure { try store.apply(groups, report: runReport(-2)) })
    report("apply paths", try clock.measure { try store.apply(rest, report: runReport(-1)) })
} else {
    report("apply first sync", try clock.measure { try store.apply(changes, report: runReport(1)) })
}
changes = TenantChangeSet()
var state = TenantState()
report("loadState", try clock.measure { state = try store.loadState() })
state = TenantState()
report("apply unchanged run", try clock.measure { try store.apply(TenantChangeSet(), report: runReport(2)) })
report("apply unchanged run again", try clock.measure { try store.apply(TenantChangeSet(), report: runReport(3)) })
report("loadState again", try clock.measure { state = try store.loadState() })
let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
print("store file \(size / 1_000_000) MB, users \(state.users.count)")
