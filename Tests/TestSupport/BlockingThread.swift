#if canImport(Glibc)
import Glibc
#endif

/// Runs blocking work (spawning and waiting for commands) on its own thread, so tests that run in parallel
/// never starve Swift's small cooperative thread pool and distort each other's timings.
public enum BlockingThread {
    /// Runs `body` on a new detached thread and resumes with its result or error.
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let job = Unmanaged.passRetained(Job { continuation.resume(with: Result { try body() }) })
            var thread = pthread_t()
            let created = pthread_create(&thread, nil, { argument in
                Unmanaged<Job>.fromOpaque(argument!).takeRetainedValue().work()
                return nil
            }, job.toOpaque())
            if created == 0 {
                pthread_detach(thread)
            } else {
                job.release()
                continuation.resume(throwing: SocketError(operation: "pthread_create", code: created))
            }
        }
    }

    private final class Job: Sendable {
        let work: @Sendable () -> Void

        init(_ work: @escaping @Sendable () -> Void) {
            self.work = work
        }
    }
}
