import Foundation

/// Where the running `trailhound` binary is, so the detectors and formats shipped beside it
/// (the release tarball's layout) are found whatever the working directory and however it
/// was started: `/proc/self/exe` on Linux (argv[0] is only `trailhound` when found on PATH),
/// else argv[0]; symbolic links resolved (a link in /usr/local/bin finds the unpacked tree).
enum ExecutableLocation {
    /// The directory holding the executable.
    static let directory: URL = {
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"),
            target.hasPrefix("/")
        {
            return URL(fileURLWithPath: target).resolvingSymlinksInPath().deletingLastPathComponent()
        }
        return URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    }()

    /// Directories named `name` where an installed trailhound keeps it, most specific first:
    /// beside the binary (release tarball), `<prefix>/share/trailhound/<name>` (a binary in
    /// `<prefix>/bin`), the repository root (a binary under `.build/<triple>/<config>/`).
    static func candidates(_ name: String) -> [String] {
        let exe = directory
        return [
            exe.appendingPathComponent(name).path,
            exe.appendingPathComponent("../share/trailhound/\(name)").standardized.path,
            exe.appendingPathComponent("../../../\(name)").standardized.path,
            exe.appendingPathComponent("../../../../\(name)").standardized.path,
        ]
    }
}
