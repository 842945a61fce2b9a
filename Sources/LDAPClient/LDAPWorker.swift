import Foundation

/// Runs blocking LDAP work on a dedicated thread, off Swift's cooperative pool.
///
/// libldap calls block for as long as the server takes; running them on the cooperative pool would starve every
/// other task. Each call gets its own thread, which ends when the work is done.
public enum LDAPWorker {
    /// Runs `body` on a new thread and resumes with its result or error.
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let thread = Thread {
                continuation.resume(with: Result { try body() })
            }
            thread.name = "LDAPWorker"
            thread.stackSize = 1 << 20
            thread.start()
        }
    }
}
