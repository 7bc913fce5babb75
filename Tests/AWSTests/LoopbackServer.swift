import FlyingFox
import Foundation

/// A FlyingFox HTTP server on a free loopback port answering with a handler and recording
/// each request's method, path and headers: the container endpoint, IMDS and throttling S3
/// stand-ins are real HTTP servers, so the client's requests cross a socket.
final class LoopbackServer: @unchecked Sendable {
    struct Seen: Sendable {
        var method: String
        var path: String
        var headers: [String: String]
    }

    private let lock = NSLock()
    private var seen: [Seen] = []
    private var server: HTTPServer?
    private var task: Task<Void, Never>?
    private(set) var port: UInt16 = 0
    var base: String { "http://127.0.0.1:\(port)" }
    var requests: [Seen] { lock.withLock { seen } }

    /// Starts listening; `answer` gets the request number (from 0) and the request.
    func start(_ answer: @escaping @Sendable (Int, HTTPRequest) async -> HTTPResponse) async throws {
        // Generous: the full suite keeps both cores busy, and the server runs on the cooperative pool.
        let s = HTTPServer(address: try sockaddr_in.inet(ip4: "127.0.0.1", port: 0), timeout: 60, logger: .disabled)
        await s.appendRoute("*") { [self] req in
            var headers: [String: String] = [:]
            for (k, v) in req.headers { headers[k.rawValue.lowercased()] = v }
            let n = lock.withLock {
                seen.append(Seen(method: req.method.rawValue, path: req.path, headers: headers))
                return seen.count - 1
            }
            return await answer(n, req)
        }
        server = s
        task = Task { try? await s.run() }
        try await s.waitUntilListening(timeout: 60)
        if case .ip4(_, let p) = await s.listeningAddress { port = p }
    }

    func stop() async {
        await server?.stop(timeout: 0.2)
        task?.cancel()
    }

    /// A JSON credentials document as the container endpoint and IMDS serve it.
    static func credentialsJSON(_ id: String, expiration: String = "2099-01-01T00:00:00Z") -> Data {
        Data(
            """
            {"Code":"Success","AccessKeyId":"\(id)","SecretAccessKey":"secret-\(id)","Token":"token-\(id)","Expiration":"\(expiration)"}
            """.utf8)
    }
}
