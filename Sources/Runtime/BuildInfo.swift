import CBuildInfo

/// What `trailhound --version` prints and findings carry as `trailhound_version`.
/// The version is this constant (scripts/release.sh reads it from here to name the
/// tarball); the commit and build date are stamped by the build (scripts/release.sh
/// sets `TRAILHOUND_BUILD_COMMIT` / `TRAILHOUND_BUILD_DATE`, Package.swift passes
/// them to CBuildInfo), and read "dev" in a plain `swift build`.
public enum BuildInfo {
    /// The release version (semantic versioning).
    public static let version = "0.1.0"
    /// Short commit id the binary was built from, or "dev".
    public static let commit = String(cString: trailhound_build_commit())
    /// Build time (ISO 8601 UTC), or "dev".
    public static let date = String(cString: trailhound_build_date())

    /// `0.1.0 (commit 2dfd7e61, built 2026-11-20T10:00:00Z)`.
    public static var versionLine: String { "\(version) (commit \(commit), built \(date))" }
}
