import FlyingFox
import Foundation

/// A webhook receiver for tests: a FlyingFox server on loopback that stores
/// every POSTed body. It can be stopped and started again on the same port,
/// and made to answer some bodies only after `slowSeconds` (a receiver slower
/// than the sender's timeout).
final class Receiver: @unchecked Sendable {
    /// Bodies containing this text are answered after `slowSeconds`.
    let slowFor: String?
    let slowSeconds: Double
    private let lock = NSLock()
    private var bodies: [String] = []
    private var server: HTTPServer?
    private var task: Task<Void, Never>?
    private(set) var port: UInt16 = 0

    /// A receiver; bodies containing `slowFor` are answered only after `slowSeconds`.
    init(slowFor: String? = nil, slowSeconds: Double = 0) {
        self.slowFor = slowFor
        self.slowSeconds = slowSeconds
    }

    /// Bodies received, in order.
    var received: [String] { lock.withLock { bodies } }

    /// Starts listening (on `port`, or any free port the first time).
    func start() async throws {
        let s = HTTPServer(address: try sockaddr_in.inet(ip4: "127.0.0.1", port: port), timeout: 5, logger: .disabled)
        await s.appendRoute("POST /hook") { [self] req in
            let body = String(decoding: try await req.bodyData, as: UTF8.self)
            lock.withLock { bodies.append(body) }
            if let slow = slowFor, body.contains(slow) {
                try await Task.sleep(nanoseconds: UInt64(slowSeconds * 1e9))
            }
            return HTTPResponse(statusCode: .ok)
        }
        server = s
        task = Task { try? await s.run() }
        try await s.waitUntilListening(timeout: 5)
        if case .ip4(_, let p) = await s.listeningAddress { port = p }
    }

    /// Stops listening (connections are then refused).
    func stop() async {
        await server?.stop(timeout: 0.2)
        task?.cancel()
        server = nil
    }
}
