import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// The one HTTP client of the process (async-http-client over swift-nio-ssl), shared by every sink
/// and by the cloud inputs, so TLS roots, proxies and timeouts are configured once. Requests go
/// through a proxied or a direct client chosen per URL host (`NO_PROXY`); both are created
/// lazily and closed by `shutdown()`. Thread-safe; `sendBlocking` is for the sinks' own threads.
public final class HTTPTransport: @unchecked Sendable {
    /// The options this transport was built with.
    public let options: Options
    private let lock = NSLock()
    /// One client per proxy (key `host:port`, "" for direct connections).
    private var clients: [String: HTTPClient] = [:]
    private var closed = false
    private let tls: TLSConfiguration

    /// Builds a transport; throws `TransportError.caBundle` when the CA bundle cannot be read,
    /// so a bad path is a start-up error, not a failure on the first delivery.
    public init(options: Options) throws(TransportError) {
        self.options = options
        tls = try Self.tlsConfiguration(options)
    }

    deinit {
        for client in clients.values { try? client.syncShutdown() }
    }

    /// One request; the response body is read up to `Options.maxResponseBytes`.
    public func send(_ request: Request) async throws(TransportError) -> Response {
        let (client, req) = try prepare(request)
        let accumulator = ResponseAccumulator(request: req, maxBodySize: options.maxResponseBytes)
        let task = client.execute(
            request: req, delegate: accumulator, deadline: .now() + .milliseconds(Int64(request.timeout * 1000)))
        do {
            return Self.response(try await task.futureResult.get())
        } catch {
            throw Self.classify(error, url: request.url, timeout: request.timeout)
        }
    }

    /// `send` for a caller on its own (non-cooperative) thread, such as a sink worker: blocks it.
    public func sendBlocking(_ request: Request) -> Result<Response, TransportError> {
        let client: HTTPClient
        let req: HTTPClient.Request
        do { (client, req) = try prepare(request) } catch { return .failure(error) }
        let accumulator = ResponseAccumulator(request: req, maxBodySize: options.maxResponseBytes)
        let task = client.execute(
            request: req, delegate: accumulator, deadline: .now() + .milliseconds(Int64(request.timeout * 1000)))
        do {
            return .success(Self.response(try task.futureResult.wait()))
        } catch {
            return .failure(Self.classify(error, url: request.url, timeout: request.timeout))
        }
    }

    /// Closes every connection and the clients; later requests fail with `.shutDown`.
    public func shutdown() async {
        let all = lock.withLock {
            closed = true
            defer { clients = [:] }
            return Array(clients.values)
        }
        for client in all { try? await client.shutdown() }
    }

    /// `shutdown` for synchronous callers (not on an event loop).
    public func syncShutdown() {
        let all = lock.withLock {
            closed = true
            defer { clients = [:] }
            return Array(clients.values)
        }
        for client in all { try? client.syncShutdown() }
    }

    /// The transport that lives as long as the process, made from `options` by the first call
    /// (later calls get the same one): for clients handed to code that keeps them (the AWS client of
    /// a scan, the SQS inputs of `watch`), since an async-http-client client must be shut down
    /// before it is freed and these never are.
    public static func processWide(_ options: @autoclosure () -> Options) throws(TransportError) -> HTTPTransport {
        processWideLock.lock()
        defer { processWideLock.unlock() }
        if let made = madeProcessWide { return made }
        let t = try HTTPTransport(options: options())
        madeProcessWide = t
        return t
    }

    /// The client for `url` (its proxy chosen by the host, `NO_PROXY` honoured) with the options'
    /// TLS settings, for callers that drive async-http-client themselves: the AWS client streams
    /// S3 bodies and long-polls SQS through it, so they share this transport's CA bundle and proxies.
    public func client(for url: String) throws(TransportError) -> HTTPClient {
        guard let u = URL(string: url), let scheme = u.scheme?.lowercased(), let host = u.host, !host.isEmpty else {
            throw .badURL(url)
        }
        return try client(proxied: options.proxy(for: scheme, host: host))
    }

    private func prepare(_ request: Request) throws(TransportError) -> (HTTPClient, HTTPClient.Request) {
        guard let url = URL(string: request.url), let scheme = url.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = url.host, !host.isEmpty
        else { throw .badURL(request.url) }
        let proxy = options.proxy(for: scheme, host: host)
        let client: HTTPClient
        do { client = try self.client(proxied: proxy) } catch { throw error }
        var headers = HTTPHeaders()
        headers.add(name: "User-Agent", value: options.userAgent)
        for (k, v) in request.headers { headers.add(name: k, value: v) }
        do {
            let req = try HTTPClient.Request(
                url: request.url, method: HTTPMethod(rawValue: request.method), headers: headers,
                body: request.body.map { .bytes($0) })
            return (client, req)
        } catch {
            throw .badURL(request.url)
        }
    }

    private func client(proxied: ProxyAddress?) throws(TransportError) -> HTTPClient {
        let key = proxied.map { "\($0.host):\($0.port)" } ?? ""
        lock.lock()
        defer { lock.unlock() }
        guard !closed else { throw TransportError.shutDown }
        if let c = clients[key] { return c }
        var config = HTTPClient.Configuration(
            tlsConfiguration: tls, redirectConfiguration: .disallow,
            timeout: .init(
                connect: .milliseconds(Int64(options.connectTimeout * 1000)),
                read: .milliseconds(Int64(options.readTimeout * 1000))),
            proxy: proxied.map { .server(host: $0.host, port: $0.port, authorization: $0.authorization) })
        config.httpVersion = .http1Only
        // A failed connect fails the request at once: the sinks back off and count themselves.
        config.connectionPool.retryConnectionEstablishment = false
        let c = HTTPClient(eventLoopGroupProvider: .singleton, configuration: config)
        clients[key] = c
        return c
    }

    private static func tlsConfiguration(_ options: Options) throws(TransportError) -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        guard let path = options.caBundle else { return tls }
        let certs: [NIOSSLCertificate]
        do {
            certs = try NIOSSLCertificate.fromPEMFile(path)
        } catch {
            throw .caBundle(path: path, reason: "\(error)")
        }
        guard !certs.isEmpty else { throw .caBundle(path: path, reason: "no PEM certificate in the file") }
        if options.caBundleReplacesSystemRoots {
            tls.trustRoots = .certificates(certs)
        } else {
            tls.additionalTrustRoots = [.certificates(certs)]
        }
        return tls
    }

    private static func response(_ r: HTTPClient.Response) -> Response {
        var headers: [(String, String)] = []
        for h in r.headers { headers.append((h.name.lowercased(), h.value)) }
        let body = r.body.map { Array($0.readableBytesView) } ?? []
        return Response(status: Int(r.status.code), headers: headers, body: body)
    }
}

nonisolated(unsafe) private var madeProcessWide: HTTPTransport?
private let processWideLock = NSLock()
