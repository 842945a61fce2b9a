import Foundation
import Glibc
import Reporting
import TestSupport
import Testing

@Suite struct SystemdNotifierTests {
    @Test func sendsStateChangesToTheNotifySocket() throws {
        let listener = try NotifySocketListener()
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.path])
        #expect(notifier.isEnabled)

        try notifier.ready(status: "idle, next run in 30 min")
        #expect(listener.receive() == "READY=1\nSTATUS=idle, next run in 30 min")
        try notifier.status("run 42: reading directory")
        #expect(listener.receive() == "STATUS=run 42: reading directory")
        try notifier.watchdog()
        #expect(listener.receive() == "WATCHDOG=1")
        try notifier.reloading()
        let reloading = try #require(listener.receive())
        #expect(reloading.hasPrefix("RELOADING=1\nMONOTONIC_USEC="))
        try notifier.stopping()
        #expect(listener.receive() == "STOPPING=1")
    }

    @Test func reachesAnAbstractSocket() throws {
        let name = "tenantsync-test-\(UUID().uuidString)"
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let nameBytes: [UInt8] = [0] + Array(name.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: nameBytes) }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + nameBytes.count)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        try #require(bound == 0)

        try SystemdNotifier(environment: ["NOTIFY_SOCKET": "@" + name]).watchdog()
        var buffer = [UInt8](repeating: 0, count: 64)
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        try #require(poll(&poller, 1, 2000) == 1)
        let count = recv(fd, &buffer, buffer.count, 0)
        #expect(String(decoding: buffer.prefix(max(0, count)), as: UTF8.self) == "WATCHDOG=1")
    }

    @Test func isANoOpWithoutNotifySocket() throws {
        let notifier = SystemdNotifier(environment: [:])
        #expect(!notifier.isEnabled)
        try notifier.ready()
        try notifier.watchdog()
    }

    @Test func watchdogPeriodIsHalfOfWatchdogUsec() {
        #expect(SystemdNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": "300000000"]) == .seconds(150))
        #expect(SystemdNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": "300000000", "WATCHDOG_PID": String(getpid())]) == .seconds(150))
        #expect(SystemdNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": "300000000", "WATCHDOG_PID": "1"]) == nil)
        #expect(SystemdNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": "soon"]) == nil)
        #expect(SystemdNotifier.watchdogInterval(environment: [:]) == nil)
    }
}
