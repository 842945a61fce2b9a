import Foundation
import TenantModel
import Testing

@testable import SyncEngine

/// Copies `delta`'s store, runs the next cycle as it comes (a delta, or `mode`) on the original (with `options`) and a
/// `--full` one that maps every entry again on the copy with the same configuration, and expects the two stores to
/// hold the same tenant.
func expectNextRunMatchesFullRead(
    _ delta: SyncHarness, password: String, schema: String = "openldap", directory: String, rest: String, mode: SyncMode = .delta,
    compareCounts: Bool = false, compareReports: Bool = false, options: RunOptions = RunOptions()
) async throws {
    let full = try SyncHarness(url: delta.url, bindDN: delta.bindDN, password: password)
    defer { full.remove() }
    try full.writeConfig(schema: schema, directory: directory, rest: rest)
    for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: delta.storePath + suffix) {
        try FileManager.default.copyItem(atPath: delta.storePath + suffix, toPath: full.storePath + suffix)
    }
    let report = try await delta.run(options)
    #expect(report.mode == mode, "\(report.failure ?? "")")
    #expect(report.outcome != .failed, "\(report.failure ?? "")")
    var everything = RunOptions(full: true)
    everything.trustContentHashes = false
    let fullReport = try await full.run(everything)
    #expect(fullReport.mode == .full)
    if compareCounts {
        #expect(report.outcome == fullReport.outcome)
        #expect(report.users == fullReport.users && report.groups == fullReport.groups)
    }
    if compareReports {
        #expect(report.outcome == fullReport.outcome)
        #expect(report.users == fullReport.users && report.groups == fullReport.groups)
        #expect(report.licenses == fullReport.licenses)
        #expect(report.userTotal == fullReport.userTotal)
        let describe = { (findings: [Finding]) in
            findings.map { "\($0.kind) \($0.userPrincipalName) \($0.skuPartNumber ?? "-") \($0.group ?? "-") \($0.detail)" }.sorted()
        }
        #expect(describe(report.findings) == describe(fullReport.findings))
    }
    let deltaPrint = TenantFingerprint(try delta.state())
    let fullPrint = TenantFingerprint(try full.state())
    #expect(deltaPrint.users == fullPrint.users, "\(deltaPrint.differences(from: fullPrint))")
    #expect(deltaPrint.groups == fullPrint.groups, "\(deltaPrint.differences(from: fullPrint))")
    #expect(deltaPrint.paths == fullPrint.paths, "\(deltaPrint.differences(from: fullPrint))")
}
