import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Blocking HTTP/1.1 clients on raw sockets for the hostile-client tests:
/// they can send what no well-behaved client library would (megabyte lines,
/// a byte at a time) and give up after a deadline, so a test against a wedged
/// server ends instead of hanging.
enum RawHTTP {
    /// A connected TCP socket to 127.0.0.1:`port` with send and receive timeouts, or nil.
    static func connect(_ port: UInt16, timeout: Double) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var a = sockaddr_in()
        a.sin_family = sa_family_t(AF_INET)
        a.sin_port = port.bigEndian
        a.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &a) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard rc == 0 else {
            close(fd)
            return nil
        }
        return fd
    }

    /// A request that got no usable answer.
    enum Failure: Error { case noAnswer(String) }

    /// Everything the peer sends until it closes (or the receive timeout passes).
    static func readToEnd(_ fd: Int32) -> Data {
        var out = Data()
        var buf = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let n = buf.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return out }
            out.append(contentsOf: buf[..<n])
        }
    }

    /// Sends all of `bytes`; false when the peer closed or the send timed out.
    @discardableResult
    static func send(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var off = 0
        while off < bytes.count {
            let n = bytes.withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress! + off, $0.count - off, Int32(MSG_NOSIGNAL))
            }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            off += n
        }
        return true
    }

    /// The status code of the response's first line, or nil (closed, reset or timed out).
    static func status(_ fd: Int32, flags: Int32 = 0) -> Int? {
        var buf = [UInt8](repeating: 0, count: 512)
        let n = buf.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, flags) }
        guard n > 12 else { return nil }
        let line = String(decoding: buf[..<n], as: UTF8.self)
        guard line.hasPrefix("HTTP/1.") else { return nil }
        return Int(line.dropFirst(9).prefix(3))
    }

    /// One request on a new connection; the status and the seconds it took (nil status: no answer).
    static func request(_ port: UInt16, _ bytes: [UInt8], timeout: Double) -> (Int?, Double) {
        let start = Date()
        guard let fd = connect(port, timeout: timeout) else { return (nil, Date().timeIntervalSince(start)) }
        defer { close(fd) }
        send(fd, bytes)
        let s = status(fd)
        return (s, Date().timeIntervalSince(start))
    }

    /// `GET /healthz` with the token, `Connection: close`.
    static func healthz(_ port: UInt16, token: String, timeout: Double) -> (Int?, Double) {
        request(
            port, Array("GET /healthz HTTP/1.1\r\nAuthorization: Bearer \(token)\r\nConnection: close\r\n\r\n".utf8),
            timeout: timeout)
    }

    /// Sends `prefix`, then one byte every `interval` seconds for at most `duration` seconds,
    /// watching for an answer; the status the server answered with (nil: none) and when.
    static func drip(_ port: UInt16, prefix: String, interval: Double, duration: Double) -> (Int?, Double) {
        let start = Date()
        guard let fd = connect(port, timeout: 1) else { return (nil, 0) }
        defer { close(fd) }
        send(fd, Array(prefix.utf8))
        while Date().timeIntervalSince(start) < duration {
            usleep(UInt32(interval * 1_000_000))
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&p, 1, 0) == 1 { return (status(fd, flags: Int32(MSG_DONTWAIT)), Date().timeIntervalSince(start)) }
            send(fd, [UInt8(ascii: "a")])
        }
        return (nil, Date().timeIntervalSince(start))
    }
}

/// Runs `body` on `count` new threads (not Swift's cooperative pool, which the
/// test's own awaits need) and collects the results.
final class Crowd<Result: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Result] = []
    private var running = 0

    /// Starts `count` threads running `body(i)`.
    func start(_ count: Int, _ body: @escaping @Sendable (Int) -> Result) {
        lock.withLock { running += count }
        for i in 0..<count {
            let t = Thread { [self] in
                let r = body(i)
                lock.withLock {
                    results.append(r)
                    running -= 1
                }
            }
            t.stackSize = 1 << 20
            t.start()
        }
    }

    /// Results of the threads that have finished.
    var finished: [Result] { lock.withLock { results } }
    /// True while some thread still runs.
    var busy: Bool { lock.withLock { running > 0 } }
}
