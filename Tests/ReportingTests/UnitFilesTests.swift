import Foundation
import Reporting
import Testing

/// The shipped systemd files, checked with the real `systemd-analyze` and `journalctl`.
@Suite struct UnitFilesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func unitsPassSecurityVerifyAndCatalogChecks() throws {
        let script = Process()
        script.executableURL = Self.root.appendingPathComponent("scripts/check-units.sh")
        // verify only needs ExecStart to name an existing executable; /bin/true stands in for the built binary.
        script.arguments = ["/bin/true"]
        let output = Pipe()
        script.standardOutput = output
        script.standardError = output
        try script.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        script.waitUntilExit()
        #expect(script.terminationStatus == 0, "\(text)")
        #expect(text.contains("ok   security: exposure level for tenantsync.service"))
        #expect(text.contains("ok   verify: tenantsync-once.timer"))
    }

    @Test func catalogExplainsEveryMessageId() throws {
        let catalog = try String(contentsOf: Self.root.appendingPathComponent("systemd/tenantsync.catalog"), encoding: .utf8)
        let defined = catalog.split(separator: "\n").filter { $0.hasPrefix("-- ") }.map { String($0.dropFirst(3)) }
        #expect(Set(defined) == Set(JournalMessageID.all))
        #expect(defined.count == JournalMessageID.all.count)
    }
}
