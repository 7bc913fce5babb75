import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A response of the endpoint's handler.
struct HTTPReply: Sendable {
    /// Status code.
    var status: Int
    /// Headers besides `Content-Length` and `Connection`, which the server sets.
    var headers: [(name: String, value: String)] = []
    /// The body (not sent for HEAD).
    var body: [UInt8] = []

    /// A `text/plain` reply.
    static func text(_ status: Int, _ text: String, headers: [(name: String, value: String)] = []) -> HTTPReply {
        HTTPReply(
            status: status, headers: [("Content-Type", "text/plain; charset=utf-8")] + headers, body: Array(text.utf8))
    }
}

/// A failure to open the listening socket.
struct HTTPServerError: Error, CustomStringConvertible {
    /// What went wrong, with the address.
    var description: String
}

/// A small HTTP/1.1 server on POSIX sockets: one thread, one `poll()` loop,
/// non-blocking sockets. Written for an endpoint that must stay up while
/// anyone who can reach the port misbehaves: every request head is read into
/// a buffer of at most `HTTPLimits.maxHead` bytes by `HTTPHeadScanner` (each
/// byte looked at once) under a deadline, and only a complete, bounded head
/// reaches the handler. It runs on its own thread, so neither hostile clients
/// nor the handler can occupy Swift's cooperative pool (2 threads on 2 cores)
/// on which signal handling and shutdown run. Responses carry `Content-Length`;
/// connections are kept alive (HTTP/1.1) and pipelined requests are answered
/// in order.
final class HTTPServerLoop: @unchecked Sendable {
    /// Answers one request; called on the server's thread, so it must be quick.
    typealias Handler = @Sendable (HTTPHead) -> HTTPReply

    private let limits: HTTPLimits
    private let handler: Handler
    private var listenFD: Int32 = -1
    private var wake: [Int32] = [-1, -1]
    private var connections: [Int32: Connection] = [:]
    private var acceptPausedUntil = 0.0
    private let done = Locked(false)
    private let waiters = Locked<[CheckedContinuation<Void, Never>]>([])

    /// A server that will answer with `handler` (not listening yet).
    init(limits: HTTPLimits, handler: @escaping Handler) {
        self.limits = limits
        self.handler = handler
    }

    deinit {
        for fd in [listenFD] + wake where fd >= 0 { close(fd) }
    }

    /// Binds `host` (an IPv4 or IPv6 literal) and `port` (0: any free port) and listens; returns the port.
    func bind(host: String, port: UInt16) throws -> UInt16 {
        let fd: Int32
        switch BoundSocket.make(host: host, port: port, nonBlocking: true) {
        case .success(let bound): fd = bound
        case .failure(let f): throw HTTPServerError(description: "cannot listen on \(host):\(port): \(f.reason)")
        }
        guard listen(fd, 128) == 0 else {
            let why = Self.errorText()
            close(fd)
            throw HTTPServerError(description: "cannot listen on \(host):\(port): \(why)")
        }
        listenFD = fd
        guard pipe(&wake) == 0 else { throw HTTPServerError(description: "pipe: \(Self.errorText())") }
        for w in wake { Self.configure(w) }
        var storage = sockaddr_storage()
        var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        let v6 = Int32(storage.ss_family) == AF_INET6
        return withUnsafePointer(to: &storage) { p in
            v6
                ? UInt16(bigEndian: p.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_port })
                : UInt16(bigEndian: p.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_port })
        }
    }

    /// Starts the server's thread (after `bind`).
    func start() {
        let t = Thread { [self] in
            run()
            for c in connections.values { close(c.fd) }
            connections = [:]
            done.with { $0 = true }
            for c in waiters.with({ w -> [CheckedContinuation<Void, Never>] in
                defer { w = [] }; return w
            }) { c.resume() }
        }
        t.name = "trailhound-http"
        t.start()
    }

    /// Asks the thread to close every connection and exit.
    func stop() {
        var b: UInt8 = 1
        _ = write(wake[1], &b, 1)
    }

    /// Waits until the thread has exited.
    func waitUntilFinished() async {
        await withCheckedContinuation { c in
            let already = done.with { d -> Bool in
                if !d { waiters.with { $0.append(c) } }
                return d
            }
            if already { c.resume() }
        }
    }

    // MARK: - The loop

    private func run() {
        while true {
            let now = Self.now()
            for c in Array(connections.values) where now >= c.deadline { expire(c, now) }
            var fds = [pollfd(fd: wake[0], events: Int16(POLLIN), revents: 0)]
            let accepting =
                now >= acceptPausedUntil && (connections.count < limits.maxConnections || evictable() != nil)
            fds.append(pollfd(fd: accepting ? listenFD : -1, events: Int16(POLLIN), revents: 0))
            var next = now + 1
            var ready = false
            for c in connections.values {
                fds.append(pollfd(fd: c.fd, events: Int16(c.state == .writing ? POLLOUT : POLLIN), revents: 0))
                next = min(next, c.deadline)
                ready = ready || c.pending
            }
            if !accepting { next = min(next, max(acceptPausedUntil, now + 0.05)) }
            let timeout = ready ? 0 : Int32(max(0, min(1000, ((next - now) * 1000).rounded(.up))))
            let n = poll(&fds, nfds_t(fds.count), timeout)
            if n < 0 && errno != EINTR { return }
            if fds[0].revents != 0 { return }
            let later = Self.now()
            for p in fds.dropFirst(2) where p.revents != 0 {
                guard let c = connections[p.fd] else { continue }
                c.state == .writing ? flush(c, later) : receive(c, later)
            }
            for c in Array(connections.values) where c.pending {
                c.pending = false
                process(c, later)
            }
            if fds[1].revents != 0 { acceptAll(later) }
        }
    }

    private func acceptAll(_ now: Double) {
        for _ in 0..<64 {
            if connections.count >= limits.maxConnections {
                guard let victim = evictable() else { return }
                drop(victim)
            }
            let fd = accept(listenFD, nil, nil)
            if fd < 0 {
                if errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR && errno != ECONNABORTED {
                    acceptPausedUntil = now + 0.1  // out of descriptors: try again shortly rather than spin
                }
                return
            }
            Self.configure(fd)
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            connections[fd] = Connection(fd: fd, limits: limits, now: now, deadline: now + limits.idleTimeout)
        }
    }

    /// The connection that has waited longest for a request head, if any.
    private func evictable() -> Connection? {
        connections.values.filter { $0.state == .idle || $0.state == .head }.min { $0.waitingSince < $1.waitingSince }
    }

    private func expire(_ c: Connection, _ now: Double) {
        switch c.state {
        case .head:
            respond(c, .text(408, "request head not received within \(Int(limits.headTimeout)) s\n"), close: true, now)
        case .idle, .writing, .lingering:
            drop(c)
        }
    }

    private func receive(_ c: Connection, _ now: Double) {
        if c.state == .lingering {
            var sink = [UInt8](repeating: 0, count: 64 << 10)
            for _ in 0..<16 {
                let n = sink.withUnsafeMutableBytes { recv(c.fd, $0.baseAddress, $0.count, 0) }
                if n > 0 { continue }
                if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) { return }
                drop(c)
                return
            }
            return
        }
        // Never more than one byte past the head limit is held.
        let room = max(1, limits.maxHead + 1 - c.input.count)
        var chunk = [UInt8](repeating: 0, count: min(room, 16 << 10))
        let n = chunk.withUnsafeMutableBytes { recv(c.fd, $0.baseAddress, $0.count, 0) }
        if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) { return }
        guard n > 0 else {
            drop(c)
            return
        }
        c.input.append(contentsOf: chunk[..<n])
        if c.state == .idle {
            c.state = .head
            c.deadline = now + limits.headTimeout
        }
        process(c, now)
    }

    private func process(_ c: Connection, _ now: Double) {
        guard c.state == .head else { return }
        switch c.scanner.scan(c.input) {
        case .incomplete:
            return
        case .rejected(let status, let reason):
            respond(c, .text(status, reason + "\n"), close: true, now)
        case .complete(let head, let end):
            c.input.removeFirst(end)
            c.served += 1
            var reply = handler(head)
            if head.method == "HEAD" { reply.headers.append(("Content-Length", String(reply.body.count))) }
            let close = !head.keepAlive || c.served >= limits.maxRequestsPerConnection
            respond(c, reply, close: close, now, omitBody: head.method == "HEAD")
        }
    }

    private func respond(_ c: Connection, _ reply: HTTPReply, close: Bool, _ now: Double, omitBody: Bool = false) {
        var text = "HTTP/1.1 \(reply.status) \(Self.reason(reply.status))\r\n"
        for h in reply.headers { text += "\(h.name): \(h.value)\r\n" }
        if !omitBody { text += "Content-Length: \(reply.body.count)\r\n" }
        text += close ? "Connection: close\r\n\r\n" : "\r\n"
        c.output = Array(text.utf8) + (omitBody ? [] : reply.body)
        c.written = 0
        c.closeAfterWrite = close
        c.state = .writing
        c.deadline = now + limits.writeTimeout
        flush(c, now)
    }

    private func flush(_ c: Connection, _ now: Double) {
        while c.written < c.output.count {
            let n = c.output.withUnsafeBytes {
                send(c.fd, $0.baseAddress! + c.written, $0.count - c.written, Int32(MSG_NOSIGNAL))
            }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) { return }
            guard n > 0 else {
                drop(c)
                return
            }
            c.written += n
        }
        c.output = []
        if c.closeAfterWrite {
            // Read and discard what the client still sends for a moment, so that it sees the
            // response instead of a reset (closing with unread input makes the kernel send RST).
            shutdown(c.fd, Int32(SHUT_WR))
            c.input = []
            c.state = .lingering
            c.deadline = now + limits.lingerTimeout
            return
        }
        c.scanner = HTTPHeadScanner(limits: limits)
        c.waitingSince = now
        if c.input.isEmpty {
            c.state = .idle
            c.deadline = now + limits.idleTimeout
        } else {
            c.state = .head
            c.deadline = now + limits.headTimeout
            c.pending = true  // a pipelined request: answered in the next round
        }
    }

    private func drop(_ c: Connection) {
        close(c.fd)
        connections[c.fd] = nil
    }

    private static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Non-blocking and close-on-exec (`accept4` and `pipe2` are not in Glibc's Swift module).
    private static func configure(_ fd: Int32) {
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        _ = fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC)
    }

    private static func errorText() -> String { String(cString: strerror(errno)) }

    private static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 413: "Content Too Large"
        case 414: "URI Too Long"
        case 431: "Request Header Fields Too Large"
        case 505: "HTTP Version Not Supported"
        default: "Status"
        }
    }
}

/// One client connection; touched only by the server's thread.
private final class Connection {
    enum State { case idle, head, writing, lingering }

    let fd: Int32
    var state = State.idle
    var input: [UInt8] = []
    var scanner: HTTPHeadScanner
    var output: [UInt8] = []
    var written = 0
    var closeAfterWrite = false
    var deadline: Double
    var waitingSince: Double
    var served = 0
    var pending = false

    init(fd: Int32, limits: HTTPLimits, now: Double, deadline: Double) {
        self.fd = fd
        self.scanner = HTTPHeadScanner(limits: limits)
        self.deadline = deadline
        self.waitingSince = now
    }
}
