import CLDAP
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Runs blocking LDAP work on a dedicated thread, off Swift's cooperative pool.
///
/// libldap calls block for as long as the server takes; running them on the cooperative pool would starve every
/// other task. Each call gets its own detached POSIX thread, which ends when the work is done.
///
/// The work follows the calling task's cancellation: once the task is cancelled, the next wait for a server message
/// on that thread (`LDAPConnection`'s searches) ends within a fraction of a second with `LDAPError.isCancellation`.
public enum LDAPWorker {
    /// Runs `body` on a new thread and resumes with its result or error; throws `CancellationError` without starting
    /// when the task is already cancelled.
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        // Work for a task already cancelled would still connect, which the cancellation flag does not cover.
        try Task.checkCancellation()
        let cancellation = WorkerCancellation()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                let job = Unmanaged.passRetained(
                    WorkerJob(cancellation: cancellation) { continuation.resume(with: Result { try body() }) })
                var thread = pthread_t()
                let created = pthread_create(&thread, nil, { argument in
                    let job = Unmanaged<WorkerJob>.fromOpaque(argument!).takeRetainedValue()
                    pthread_setspecific(currentJobKey, Unmanaged.passUnretained(job.cancellation).toOpaque())
                    job.work()
                    pthread_setspecific(currentJobKey, nil)
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
        } onCancel: {
            cancellation.cancel()
        }
    }

    /// Whether the task that started the work running on this thread was cancelled; false off a worker thread.
    static var currentWorkIsCancelled: Bool {
        guard let pointer = pthread_getspecific(currentJobKey) else { return false }
        return Unmanaged<WorkerCancellation>.fromOpaque(pointer).takeUnretainedValue().isCancelled
    }
}

/// The thread-specific slot through which a worker thread finds its job's cancellation flag.
private let currentJobKey: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key, nil)
    return key
}()

/// Set when the task that started a job is cancelled; read by the job's thread.
private final class WorkerCancellation: Sendable {
    private let cancelled = Atomic(false)

    func cancel() { cancelled.store(true, ordering: .relaxed) }

    var isCancelled: Bool { cancelled.load(ordering: .relaxed) }
}

private final class WorkerJob: Sendable {
    let cancellation: WorkerCancellation
    let work: @Sendable () -> Void

    init(cancellation: WorkerCancellation, _ work: @escaping @Sendable () -> Void) {
        self.cancellation = cancellation
        self.work = work
    }
}
