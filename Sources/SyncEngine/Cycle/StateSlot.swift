import Synchronization
import TenantModel

/// Hands the state loaded on another thread to the cycle, which takes it out so that it is its only owner.
final class StateSlot: Sendable {
    private let state = Mutex<TenantState?>(nil)

    /// Stores the loaded state.
    func put(_ loaded: TenantState) {
        state.withLock { $0 = loaded }
    }

    /// A copy of the state; the slot keeps it. Call only after `put`.
    func peek() -> TenantState {
        state.withLock { $0! }
    }

    /// The state's users if the state is loaded, without waiting.
    func usersIfLoaded() -> [TenantUser]? {
        state.withLock { $0?.users }
    }

    /// The state, leaving the slot empty. Call only after `put`.
    func take() -> TenantState {
        state.withLock { slot in
            let taken = slot!
            slot = nil
            return taken
        }
    }
}
