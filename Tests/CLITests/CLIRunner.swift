import Foundation
import TestSupport
import Testing

/// Paths and files of the CLI tests; the binary is run by `Repository.run` (TestSupport).
enum CLI {
    /// Repository root (`TestSupport.Repository`).
    static var root: URL { Repository.root }

    /// Path of a corpus file or folder.
    static func corpus(_ rel: String) -> String { root.appendingPathComponent("corpora/\(rel)").path }

    /// A fresh temporary directory.
    static func tempDir() throws -> URL {
        try Repository.temporaryDirectory("trailhound-cli")
    }

    /// gzip-compresses `data` into `url` with the system gzip (a real, independent encoder).
    static func gzip(_ data: Data, to url: URL) throws {
        let raw = url.deletingPathExtension()
        try data.write(to: raw)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/gzip")
        p.arguments = ["-f", "-n", raw.path]
        try p.runToExit()
        #expect(p.terminationStatus == 0)
    }
}
