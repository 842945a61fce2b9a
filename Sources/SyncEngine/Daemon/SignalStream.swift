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

    /// After the first SIGTERM or SIGINT, ends the process with `exitCode` when the graceful stop takes longer than
    /// `deadline`.
    ///
    /// A libldap call that is not waiting for a message (a connect, a TLS handshake) cannot be cancelled; ending the
    /// process is safe because changes are only ever written in one SQLite transaction, which a killed process
    /// leaves rolled back.
    /// Cancelling the returned sources also calls off a deadline already counting.
    static func enforceShutdownDeadline(_ deadline: DispatchTimeInterval, exitCode: Int32 = 0) -> [any DispatchSourceSignal] {
        let ending = DispatchWorkItem { _exit(exitCode) }
        return [SIGTERM, SIGINT].map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                DispatchQueue.global().asyncAfter(deadline: .now() + deadline, execute: ending)
            }
            source.setCancelHandler { ending.cancel() }
            source.resume()
            return source
        }
    }

    /// Calls `stop` on SIGTERM and SIGINT, which meanwhile do not end the process by themselves; cancelling the
    /// returned sources gives the signals their default action back.
    static func onTermination(_ stop: @escaping @Sendable () -> Void) -> [any DispatchSourceSignal] {
        [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler(handler: stop)
            source.setCancelHandler { signal(number, SIG_DFL) }
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
