import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Serialises the Samba servers of the tests: Samba's ports (389, 636, 3268, 3269) are fixed, so only one can
/// listen on its loopback address at a time.
///
/// Two levels: an in-process queue for the tests of one test process, and an exclusive `flock` on a file in the
/// shared Samba work folder for other test processes on the same machine. Whoever holds both may remove what a
/// crashed earlier run left behind (`SambaWorkFolder.removeStaleInstances`).
actor SambaLock {
    /// The one lock of this process.
    static let shared = SambaLock()

    private var held = false
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var lockFile: Int32 = -1

    /// Waits until this caller alone may run a Samba server; throws when another process holds the machine-wide
    /// lock for longer than `timeout`.
    func acquire(timeout: Duration = .seconds(300)) async throws {
        if held {
            await withCheckedContinuation { waiters.append($0) }
        } else {
            held = true
        }
        do {
            try await lockAcrossProcesses(timeout: timeout)
        } catch {
            release()
            throw error
        }
    }

    /// Lets the next waiter run its server.
    func release() {
        if lockFile >= 0 { flock(lockFile, LOCK_UN) }
        if waiters.isEmpty {
            held = false
        } else {
            waiters.removeFirst().resume()
        }
    }

    private func lockAcrossProcesses(timeout: Duration) async throws {
        if lockFile < 0 {
            let path = try SambaWorkFolder.path() + "/lock"
            lockFile = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard lockFile >= 0 else {
                throw SambaError(message: "cannot open the lock file \(path): \(String(cString: strerror(errno)))", log: "")
            }
        }
        let deadline = ContinuousClock.now + timeout
        while flock(lockFile, LOCK_EX | LOCK_NB) != 0 {
            guard ContinuousClock.now < deadline else {
                throw SambaError(message: "another test process kept the Samba lock for longer than \(timeout)", log: "")
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }
}
