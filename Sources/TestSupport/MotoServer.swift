import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A real moto server (`moto_server`, PyPI `moto[server]`) on loopback for tests of the S3,
/// SQS and STS code paths: started as a child process on a free port, waited for until it
/// answers, stopped when the test is done. Tests skip visibly (`unavailableReason`) when
/// `moto_server` is not on PATH (scripts/setup.sh installs it).
public final class MotoServer: @unchecked Sendable {
    /// The port it listens on.
    public let port: Int
    /// `http://127.0.0.1:<port>`, for `--endpoint-url`.
    public var endpoint: String { "http://127.0.0.1:\(port)" }
    private let process: Process

    /// Credentials moto accepts (any will do; these make the signing path real).
    public static let environment: [String: String] = [
        "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": "us-east-1",
        "AWS_EC2_METADATA_DISABLED": "true",
    ]

    /// The `moto_server` executable on PATH, nil when it is not installed.
    public static var executable: String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/moto_server"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Why moto tests cannot run here, or nil when they can (for `.enabled(if:)` and skip notes).
    public static var unavailableReason: String? {
        executable == nil ? "moto_server is not on PATH (pip install 'moto[server]'; scripts/setup.sh does)" : nil
    }

    /// Starts a server and waits (up to `timeout` seconds) until it accepts connections.
    public init(timeout: Double = 30) throws {
        guard let exe = MotoServer.executable else { throw MotoError.unavailable }
        port = try MotoServer.freePort()
        process = Process()
        process.executableURL = URL(fileURLWithPath: exe)
        process.arguments = ["-H", "127.0.0.1", "-p", String(port)]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while !MotoServer.accepts(port) {
            guard process.isRunning, Date() < deadline else {
                stop()
                throw MotoError.didNotStart
            }
            usleep(100_000)
        }
    }

    deinit { stop() }

    /// Stops the server: SIGTERM, then SIGKILL when it has not gone within two seconds
    /// (moto's development server can ignore SIGTERM). Polls instead of `waitUntilExit`,
    /// which never returns for a child that does not exit.
    public func stop() {
        guard process.isRunning else { return }
        process.terminate()
        if waitGone(seconds: 2) { return }
        kill(process.processIdentifier, SIGKILL)
        _ = waitGone(seconds: 5)
    }

    private func waitGone(seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(50_000) }
        process.releaseExited()
        return !process.isRunning
    }

    /// Why a server could not be had.
    public enum MotoError: Error {
        /// `moto_server` is not installed.
        case unavailable
        /// It exited or did not answer in time.
        case didNotStart
    }

    /// A port the kernel just handed out (bound to port 0, then released).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw MotoError.didNotStart }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { p -> Bool in
                bind(fd, p, len) == 0 && getsockname(fd, p, &len) == 0
            }
        }
        guard bound else { throw MotoError.didNotStart }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    /// Whether something accepts TCP connections on the loopback port.
    static func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
