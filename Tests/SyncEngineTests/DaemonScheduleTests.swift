import Testing

@testable import SyncEngine

/// When the daemon runs its next cycle.
@Suite struct DaemonScheduleTests {
    @Test func backoffDoublesFromFiveSecondsAndStopsAtTheInterval() {
        let interval = Duration.seconds(60)
        let delays = (1...6).map { SyncDaemon.backoff(failures: $0, cap: interval) }
        #expect(delays == [.seconds(5), .seconds(10), .seconds(20), .seconds(40), .seconds(60), .seconds(60)])
    }

    @Test func jitterStaysWithinItsLimit() {
        #expect(SyncDaemon.jitter(.zero) == .zero)
        for _ in 0..<200 {
            let jitter = SyncDaemon.jitter(.seconds(2))
            #expect(jitter >= .zero && jitter <= .seconds(2))
        }
    }
}
