import Foundation

/// A value made on a thread of its own while the caller goes on with other work; `value()` waits for it.
///
/// Unchecked: `result` is written before the semaphore is signalled and read only after waiting for it.
public final class Meanwhile<Value: Sendable>: @unchecked Sendable {
    private var result: Value?
    private let done = DispatchSemaphore(value: 0)

    public init(_ make: @escaping @Sendable () -> Value) {
        Thread { [self] in
            result = make()
            done.signal()
        }.start()
    }

    private init(result: Value) {
        self.result = result
        done.signal()
    }

    /// A value made already, for work too small to be worth a thread.
    public static func done(_ value: Value) -> Meanwhile {
        Meanwhile(result: value)
    }

    /// The value, once made. Call it once.
    public func value() -> Value {
        done.wait()
        return result!
    }
}
