#if canImport(Glibc)
    import Glibc
#endif

/// A TCP socket bound to an IP literal and port: the one way the endpoint binds its
/// listener and `--check-config` proves the address is free, so the check and the
/// start can never disagree on how an address is parsed or bound.
enum BoundSocket {
    /// A socket (close-on-exec, `SO_REUSEADDR`, non-blocking when asked) bound to
    /// `host`:`port`; the descriptor, or why it failed (`strerror` text).
    static func make(host: String, port: UInt16, nonBlocking: Bool = false) -> Result<Int32, BindFailure> {
        var a4 = in_addr()
        var a6 = in6_addr()
        let v4 = inet_pton(AF_INET, host, &a4) == 1
        guard v4 || inet_pton(AF_INET6, host, &a6) == 1 else { return .failure(BindFailure("not an IP address")) }
        var type = Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue)
        if nonBlocking { type |= Int32(SOCK_NONBLOCK.rawValue) }
        let fd = socket(v4 ? AF_INET : AF_INET6, type, 0)
        guard fd >= 0 else { return .failure(BindFailure(errnoText())) }
        var one: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let rc = v4 ? bind(fd, sockaddrIn4(a4, port)) : bind(fd, sockaddrIn6(a6, port))
        guard rc == 0 else {
            let why = errnoText()
            close(fd)
            return .failure(BindFailure(why))
        }
        return .success(fd)
    }

    /// Why binding failed.
    struct BindFailure: Error {
        /// `strerror` text or "not an IP address".
        var reason: String
        init(_ reason: String) { self.reason = reason }
    }

    private static func sockaddrIn4(_ a: in_addr, _ port: UInt16) -> sockaddr_in {
        var sa = sockaddr_in()
        sa.sin_family = sa_family_t(AF_INET)
        sa.sin_port = port.bigEndian
        sa.sin_addr = a
        return sa
    }

    private static func sockaddrIn6(_ a: in6_addr, _ port: UInt16) -> sockaddr_in6 {
        var sa = sockaddr_in6()
        sa.sin6_family = sa_family_t(AF_INET6)
        sa.sin6_port = port.bigEndian
        sa.sin6_addr = a
        return sa
    }

    private static func bind<A>(_ fd: Int32, _ address: A) -> Int32 {
        var a = address
        return withUnsafePointer(to: &a) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.bind(fd, $0, socklen_t(MemoryLayout<A>.size))
            }
        }
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}
