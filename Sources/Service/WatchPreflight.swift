import Config
import Detection
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What `trailhound watch` needs from the machine, checked before anything starts (by
/// `--check-config` and again at start, so both fail the same way): the state file's
/// directory exists and a file can be created in it (SQLite puts `-wal` and `-shm`
/// beside the state file); every input can be read, or, for a followed file, can appear
/// later in a directory that exists; the findings file's directory is writable; the
/// listen address can be bound. Writability is tested by creating and removing a file,
/// not with `access(2)`, which says yes to root on a read-only file system.
///
/// Codes: `preflight.state_dir_missing`, `preflight.state_not_writable`,
/// `preflight.input_missing`, `preflight.input_unreadable`, `preflight.output_dir_missing`,
/// `preflight.output_not_writable`, `preflight.listen_unavailable`.
public enum WatchPreflight {
    /// Every problem found, attributed to `configFile` (or "trailhound watch" for flags).
    public static func problems(_ c: WatchConfig, configFile: String?) -> [ConfigIssue] {
        let file = configFile ?? "trailhound watch"
        var out: [ConfigIssue] = []
        func issue(_ code: String, _ message: String) {
            out.append(ConfigIssue(file: file, code: code, message: message))
        }
        if let state = c.statePath {
            let dir = directory(of: state)
            if !isDirectory(dir) {
                issue(
                    "preflight.state_dir_missing",
                    "the state file's directory \(dir) does not exist: create it (owned by the service's user) or point state: elsewhere"
                )
            } else if let error = creationError(in: dir) {
                issue(
                    "preflight.state_not_writable",
                    "cannot create files in \(dir) (\(error)): the state file \(state) and SQLite's -wal/-shm files live there"
                )
            } else if FileManager.default.fileExists(atPath: state), let error = openError(state, O_RDWR) {
                issue("preflight.state_not_writable", "cannot open the state file \(state) for writing (\(error))")
            }
        }
        for input in c.inputs {
            if let problem = inputProblem(input) { issue(problem.code, problem.message) }
        }
        if let sink = c.file {
            let dir = directory(of: sink.path)
            if !isDirectory(dir) {
                issue("preflight.output_dir_missing", "the findings file's directory \(dir) does not exist")
            } else if let error = creationError(in: dir) {
                issue(
                    "preflight.output_not_writable",
                    "cannot create files in \(dir) (\(error)): the findings file \(sink.path) is rotated there")
            } else if FileManager.default.fileExists(atPath: sink.path), let error = openError(sink.path, O_WRONLY) {
                issue(
                    "preflight.output_not_writable", "cannot open the findings file \(sink.path) for writing (\(error))"
                )
            }
        }
        if let http = c.http, let error = bindError(host: http.host, port: http.port) {
            issue("preflight.listen_unavailable", "cannot listen on \(display(http.host)):\(http.port) (\(error))")
        }
        return out
    }

    private static func inputProblem(_ input: WatchConfig.Input) -> (code: String, message: String)? {
        let path = input.path
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir) {
            if isDir.boolValue {
                if input.kind == .tail {
                    return ("preflight.input_unreadable", "\(path) is a directory; kind: tail follows a file")
                }
                if let error = openError(path, O_RDONLY | O_DIRECTORY) {
                    return ("preflight.input_unreadable", "cannot list the input directory \(path) (\(error))")
                }
            } else {
                if input.kind == .directory {
                    return ("preflight.input_unreadable", "\(path) is a file; kind: directory watches a directory")
                }
                if let error = openError(path, O_RDONLY) {
                    return ("preflight.input_unreadable", "cannot read the input file \(path) (\(error))")
                }
            }
            return nil
        }
        if input.kind == .directory {
            return ("preflight.input_missing", "the input directory \(path) does not exist")
        }
        // A followed file may appear later (like `tail -F`), but only in a directory that exists.
        let dir = directory(of: path)
        if !isDirectory(dir) {
            return (
                "preflight.input_missing",
                "neither the input \(path) nor its directory \(dir) exists (a followed file may appear later, its directory must exist)"
            )
        }
        if let error = openError(dir, O_RDONLY | O_DIRECTORY) {
            return (
                "preflight.input_unreadable",
                "cannot list \(dir), where the followed file \(path) will appear (\(error))"
            )
        }
        return nil
    }

    private static func directory(of path: String) -> String {
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return dir.isEmpty ? "." : dir
    }

    private static func isDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }

    /// nil when `path` opens with `flags`, else the reason.
    private static func openError(_ path: String, _ flags: Int32) -> String? {
        let fd = open(path, flags | O_CLOEXEC)
        if fd < 0 { return errnoText() }
        close(fd)
        return nil
    }

    /// nil when a file can be created (and is removed again) in `dir`, else the reason.
    private static func creationError(in dir: String) -> String? {
        let probe = dir + "/.trailhound-preflight-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(probe, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        if fd < 0 { return errnoText() }
        close(fd)
        unlink(probe)
        return nil
    }

    /// nil when a TCP socket can be bound to host:port (and is closed again), else the reason.
    static func bindError(host: String, port: UInt16) -> String? {
        switch BoundSocket.make(host: host, port: port) {
        case .success(let fd):
            close(fd)
            return nil
        case .failure(let f): return f.reason
        }
    }

    private static func display(_ host: String) -> String { host.contains(":") ? "[\(host)]" : host }
}
