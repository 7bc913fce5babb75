import FlyingFox
import Foundation

/// A webhook receiver for tests: a FlyingFox server on loopback that stores
/// every POSTed body. It can be stopped and started again on the same port.
final class Receiver: @unchecked Sendable {
    private let lock = NSLock()
    private var bodies: [String] = []
    private var server: HTTPServer?
    private var task: Task<Void, Never>?
    private(set) var port: UInt16 = 0

    /// Bodies received, in order.
    var received: [String] { lock.withLock { bodies } }

    /// Starts listening (on `port`, or any free port the first time).
    func start() async throws {
        let s = HTTPServer(address: try sockaddr_in.inet(ip4: "127.0.0.1", port: port), timeout: 5, logger: .disabled)
        await s.appendRoute("POST /hook") { [self] req in
            let body = String(decoding: try await req.bodyData, as: UTF8.self)
            lock.withLock { bodies.append(body) }
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
