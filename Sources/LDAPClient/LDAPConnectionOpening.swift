import Foundation

/// A connection opened on a thread of its own while the caller does other work (a run opens its store meanwhile);
/// `take()` waits for it.
///
/// Unchecked: the connection is made on one thread and handed to one other, never used by both: `result` is written
/// before the semaphore is signalled and taken, under the lock, only after waiting for it.
public final class LDAPConnectionOpening: @unchecked Sendable {
    private var result: Result<LDAPConnection, LDAPError>?
    private let opened = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var taken = false

    /// Starts connecting and binding with `options`.
    public init(_ options: LDAPConnectionOptions) {
        Thread { [self] in
            result = Result { () throws(LDAPError) in try LDAPConnection.open(options) }
            opened.signal()
        }.start()
    }

    /// The connection, once open, for the first caller; `nil` for any later one, which opens its own. Throws what
    /// opening it threw.
    public func take() throws(LDAPError) -> LDAPConnection? {
        lock.lock()
        defer { lock.unlock() }
        guard !taken else { return nil }
        taken = true
        opened.wait()
        defer { result = nil }
        return try result!.get()
    }
}
