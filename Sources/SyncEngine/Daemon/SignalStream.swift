import Dispatch
import Foundation

/// Process signals as async sequences, for the signals swift-service-lifecycle does not handle itself.
enum SignalStream {
    /// Every SIGHUP the process receives.
    static func hangups() -> AsyncStream<Void> {
        signals(SIGHUP)
    }

    static func signals(_ number: Int32) -> AsyncStream<Void> {
        AsyncStream { continuation in
            signal(number, SIG_IGN)
            let source = SignalSource(DispatchSource.makeSignalSource(signal: number, queue: .global()))
            source.source.setEventHandler { continuation.yield() }
            continuation.onTermination = { _ in source.source.cancel() }
            source.source.resume()
        }
    }

    /// After the first SIGTERM or SIGINT, ends the process when the graceful stop takes longer than `deadline`.
    ///
    /// A directory read blocked in libldap cannot be cancelled; ending the process is safe because changes are only
    /// ever written in one SQLite transaction, which a killed process leaves rolled back.
    static func enforceShutdownDeadline(_ deadline: DispatchTimeInterval) -> [any DispatchSourceSignal] {
        [SIGTERM, SIGINT].map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                DispatchQueue.global().asyncAfter(deadline: .now() + deadline) { _exit(0) }
            }
            source.resume()
            return source
        }
    }
}

/// Carries a dispatch signal source into the stream's termination handler, which may run on any thread;
/// dispatch sources are thread-safe.
private final class SignalSource: @unchecked Sendable {
    let source: any DispatchSourceSignal
    init(_ source: any DispatchSourceSignal) { self.source = source }
}
