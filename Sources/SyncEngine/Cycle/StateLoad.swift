import LDAPClient
import Synchronization
import TenantModel
import TenantStore

/// Loads the whole stored state on a worker thread into a `StateSlot`, started at once (a full read runs meanwhile)
/// or on first demand (a delta may not need it at all).
final class StateLoad: Sendable {
    let slot = StateSlot()
    private let store: TenantStore
    private let task = Mutex<Task<Void, any Error>?>(nil)

    init(store: TenantStore, startNow: Bool) {
        self.store = store
        if startNow { start() }
    }

    /// Starts the load unless it has started.
    func start() {
        let store = self.store
        let slot = self.slot
        task.withLock { task in
            if task == nil { task = Task { try await LDAPWorker.run { slot.put(try store.loadState()) } } }
        }
    }

    /// Waits for the load, starting it if needed.
    func wait() async throws {
        start()
        let running = task.withLock { $0! }
        try await running.value
    }

    /// Cancels a load under way.
    func cancel() {
        task.withLock { $0?.cancel() }
    }
}
