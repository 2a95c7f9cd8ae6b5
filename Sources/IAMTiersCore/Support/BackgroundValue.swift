import Dispatch
import Synchronization

/// A value made on another thread while the caller goes on (the catalog and mapping load while
/// the logs are read); `value()` waits for it and rethrows what making it threw.
public final class BackgroundValue<Value: Sendable>: Sendable {
    private let result = Mutex<Result<Value, any Error>?>(nil)
    private let ready = DispatchSemaphore(value: 0)

    public init(_ make: @escaping @Sendable () throws -> Value) {
        DispatchQueue.global().async {
            let made = Result { try make() }
            self.result.withLock { $0 = made }
            self.ready.signal()
        }
    }

    public func value() throws -> Value {
        if let made = result.withLock({ $0 }) { return try made.get() }
        ready.wait()
        return try result.withLock { $0! }.get()
    }
}
