import Foundation
import Testing

import TenantModel

@Suite struct MeanwhileTests {
    /// The value is made on another thread while the caller goes on, and waited for when asked: made on the
    /// caller's thread, the maker would wait for the caller in vain and give up.
    @Test func theValueIsMadeOnAnotherThreadAndWaitedFor() {
        let release = DispatchSemaphore(value: 0)
        let ids = Meanwhile { () -> [Int] in
            release.wait(timeout: .now() + 5) == .success ? [1, 2, 3] : []
        }
        release.signal()
        #expect(ids.value() == [1, 2, 3])
        #expect(Meanwhile.done("ready").value() == "ready")
    }
}
