import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import NIOSSL

extension HTTPTransport {
    /// How the process talks HTTP: trust roots, proxies, timeouts and the response size bound.
    public struct Options: Sendable {
        /// PEM file of CA certificates for receivers signed by a private CA; nil: system roots only.
        public var caBundle: String?
        /// Whether `caBundle` replaces the system roots (pinning a private CA) instead of adding to them.
        public var caBundleReplacesSystemRoots = false
        /// Proxy for `https://` URLs (`http://[user:pass@]host:port`), from `HTTPS_PROXY` unless set.
        public var httpsProxy: String?
        /// Proxy for `http://` URLs, from `HTTP_PROXY` unless set.
        public var httpProxy: String?
        /// Hosts reached directly (`NO_PROXY`: names, `.suffix`, IPs, `*`).
        public var noProxy: [String] = []
        /// Seconds to establish a connection (TCP and TLS) before the receiver counts as unreachable.
        public var connectTimeout: Double = 10
        /// Seconds without a byte from a connected receiver before the request fails.
        public var readTimeout: Double = 30
        /// Largest response body read; receivers only answer small JSON, so a larger one is an error.
        public var maxResponseBytes = 1 << 20
        /// `User-Agent` on every request.
        public var userAgent = "trailhound"

        /// Defaults, with no proxy.
        public init() {}

        /// Defaults plus the proxy variables of `environment` (upper or lower case, as curl reads them).
        public static func fromEnvironment(_ environment: [String: String]) -> Options {
            func value(_ name: String) -> String? {
                let v = environment[name] ?? environment[name.lowercased()]
                return v?.isEmpty == false ? v : nil
            }
            var o = Options()
            o.httpsProxy = value("HTTPS_PROXY")
            o.httpProxy = value("HTTP_PROXY")
            o.noProxy = (value("NO_PROXY") ?? "").split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces)
            }.filter { !$0.isEmpty }
            return o
        }

        /// The proxy for a request to `host` over `scheme`, nil when it goes direct.
        func proxy(for scheme: String, host: String) -> ProxyAddress? {
            guard let raw = scheme == "https" ? httpsProxy : httpProxy, !bypassesProxy(host) else { return nil }
            return ProxyAddress(url: raw)
        }

        /// Whether `NO_PROXY` names `host` (exactly, as a parent domain, or `*`).
        public func bypassesProxy(_ host: String) -> Bool {
            let h = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            for raw in noProxy {
                var entry = raw.lowercased()
                if entry == "*" { return true }
                if let colon = entry.lastIndex(of: ":"), !entry.hasPrefix("["), entry.filter({ $0 == ":" }).count == 1 {
                    entry = String(entry[..<colon])
                }
                entry = entry.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
                if entry.hasPrefix("*.") { entry.removeFirst() }
                if entry.hasPrefix(".") { entry.removeFirst() }
                if h == entry || h.hasSuffix("." + entry) { return true }
            }
            return false
        }
    }

    /// A proxy server parsed from `http://[user:pass@]host[:port]`.
    struct ProxyAddress: Sendable {
        var host: String
        var port: Int
        var authorization: HTTPClient.Authorization?

        init?(url: String) {
            let withScheme = url.contains("://") ? url : "http://" + url
            guard let u = URL(string: withScheme), let host = u.host, !host.isEmpty else { return nil }
            self.host = host
            port = u.port ?? 80
            if let user = u.user {
                authorization = .basic(username: user.removingPercentEncoding ?? user, password: u.password ?? "")
            }
        }
    }

    /// One request: method, absolute URL, headers, optional body and a total deadline in seconds.
    public struct Request: Sendable {
        /// HTTP method (`POST`, `GET`, …).
        public var method: String
        /// Absolute `http://` or `https://` URL.
        public var url: String
        /// Extra headers (after `User-Agent`).
        public var headers: [(String, String)]
        /// Body bytes, nil for none.
        public var body: [UInt8]?
        /// Seconds for the whole exchange (connect, send, answer).
        public var timeout: Double

        /// A request; `timeout` bounds the whole exchange.
        public init(
            method: String = "POST", url: String, headers: [(String, String)] = [], body: [UInt8]? = nil,
            timeout: Double = 30
        ) {
            self.method = method
            self.url = url
            self.headers = headers
            self.body = body
            self.timeout = timeout
        }
    }

    /// A complete response (the body bounded by `Options.maxResponseBytes`).
    public struct Response: Sendable {
        /// Status code.
        public var status: Int
        /// Headers, names in lower case.
        public var headers: [(String, String)]
        /// Body bytes.
        public var body: [UInt8]

        /// The first header named `name` (lower case).
        public func header(_ name: String) -> String? { headers.first { $0.0 == name }?.1 }

        /// The body as text (for messages; bounded by the body bound).
        public var text: String { String(decoding: body, as: UTF8.self) }
    }
}

/// Why a request got no HTTP answer. The cases tell a sink what to do: wait for an unreachable
/// receiver, count a failed attempt on a connected one, and report set-up errors plainly.
public enum TransportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No connection (refused, name not resolved, connect timeout): nothing reached the receiver.
    case unreachable(String)
    /// The TLS handshake failed (untrusted or wrong certificate): a configuration problem.
    case tls(String)
    /// Connected, but no valid answer (read timeout, reset, answer too large).
    case failed(String)
    /// Not an absolute http(s) URL.
    case badURL(String)
    /// The CA bundle could not be read.
    case caBundle(path: String, reason: String)
    /// `shutdown()` was called.
    case shutDown

    /// One line for diagnostics.
    public var description: String {
        switch self {
        case .unreachable(let m): "unreachable: \(m)"
        case .tls(let m): "TLS handshake failed: \(m) (is the receiver's CA in ca_bundle?)"
        case .failed(let m): m
        case .badURL(let u): "not an http(s) URL: \(u)"
        case .caBundle(let path, let reason): "cannot read CA bundle \(path): \(reason)"
        case .shutDown: "HTTP client shut down"
        }
    }
}

extension HTTPTransport {
    /// Sorts a client error into the cases a sink acts on.
    static func classify(_ error: any Error, url: String, timeout: Double) -> TransportError {
        if let e = error as? TransportError { return e }
        if error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError {
            return .tls("\(url): \(error)")
        }
        let text = String(describing: error)
        if text.contains("SSL") || text.contains("certificate") || text.contains("handshake") {
            return .tls("\(url): \(text)")
        }
        if error is ResponseAccumulator.ResponseTooBigError {
            return .failed("\(url): answer larger than the response bound")
        }
        if let e = error as? HTTPClientError {
            if e == .connectTimeout { return .unreachable("\(url): connect timeout") }
            if e == .deadlineExceeded {
                return .failed("\(url): no response within \(String(format: "%g", timeout)) s (timeout_s)")
            }
            if e == .readTimeout { return .failed("\(url): no answer within the read timeout") }
            if e == .remoteConnectionClosed { return .failed("\(url): connection closed before the answer") }
            return .failed("\(url): \(e)")
        }
        if error is NIOConnectionError || error is ChannelError {
            return .unreachable("\(url): \(text)")
        }
        if let io = error as? IOError {
            return .unreachable("\(url): \(io.description)")
        }
        return .failed("\(url): \(text)")
    }
}
