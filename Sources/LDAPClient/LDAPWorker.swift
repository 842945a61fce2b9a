import CLDAP

#if canImport(Glibc)
import Glibc
#endif

/// Runs blocking LDAP work on a dedicated thread, off Swift's cooperative pool.
///
/// libldap calls block for as long as the server takes; running them on the cooperative pool would starve every
/// other task. Each call gets its own detached POSIX thread, which ends when the work is done.
public enum LDAPWorker {
    /// Runs `body` on a new thread and resumes with its result or error.
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let job = Unmanaged.passRetained(WorkerJob { continuation.resume(with: Result { try body() }) })
            var thread = pthread_t()
            let created = pthread_create(&thread, nil, { argument in
                let job = Unmanaged<WorkerJob>.fromOpaque(argument!).takeRetainedValue()
                job.work()
                return nil
            }, job.toOpaque())
            if created == 0 {
                pthread_detach(thread)
            } else {
                job.release()
                continuation.resume(throwing: LDAPError(
                    resultCode: LDAP_LOCAL_ERROR, diagnosticMessage: "pthread_create failed (\(created))",
                    operation: "startWorker", url: ""))
            }
        }
    }
}

private final class WorkerJob: Sendable {
    let work: @Sendable () -> Void

    init(_ work: @escaping @Sendable () -> Void) {
        self.work = work
    }
}
