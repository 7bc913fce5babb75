import Detection
import Detectors
import Foundation
import Sigma

/// Which rule directories a command loads and how their problems are reported: the bundled
/// `<detectors>/rules/` (when it exists) plus every `--rules DIR`, or none with `--no-rules`.
public enum RuleLoading {
    /// The directories to load, in order.
    public static func directories(detectorsDirectory: String, extra: [String], noRules: Bool) -> [String] {
        if noRules { return [] }
        var out: [String] = []
        let bundled = (detectorsDirectory as NSString).appendingPathComponent("rules")
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: bundled, isDirectory: &isDir), isDir.boolValue { out.append(bundled) }
        for d in extra where !out.contains(d) { out.append(d) }
        return out
    }

    /// Loads the rules of `directories`; built-in detector ids are reserved.
    public static func load(_ directories: [String]) -> SigmaRuleSet {
        SigmaLoader.load(directories: directories, reserved: Set(Registry.all.map { $0.id }))
    }

    /// Loads rules for a run: prints tuning errors (returns nil: the caller exits 64) and, when
    /// rules were skipped, one note pointing at `trailhound validate`.
    public static func loadForRun(_ directories: [String]) -> SigmaRuleSet? {
        let set = load(directories)
        if !set.configIssues.isEmpty {
            for i in set.configIssues { Terminal.err(i.description) }
            Terminal.err("trailhound: error: \(set.configIssues.count) problem(s) in rule tuning; nothing scanned")
            return nil
        }
        if set.skipped > 0 {
            Terminal.err("trailhound: note: \(set.summary); `trailhound validate` lists why")
        }
        return set
    }
}
