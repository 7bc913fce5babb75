import Baselines
import EventModel
import Foundation
import Ingest

/// Loads the network-class snapshots (`<detectors>/networks/*.tsv` and `*.tsv.gz`, sorted by
/// name, later files refining earlier ones) that `identity.new_source` uses to judge identities
/// whose sources churn by design. A missing folder is not an error (class judging is then off,
/// and `baseline show` says so); a bad line is a warning naming its file and line
/// (`config.network_classes`) and the other lines still load.
public enum NetworkClassLoader {
    /// Most bytes read from one snapshot file (inflated); the published ranges are ~2 MB.
    public static let maxFileBytes = 64 << 20

    /// Loads the snapshots of `dir` (when there is one) into `baselines`; problems go to `report`.
    public static func install(
        into baselines: BaselineStore, detectorsDirectory dir: String?, report: (Diagnostic) -> Void
    ) {
        guard let dir else { return }
        let loaded = load(detectorsDirectory: dir)
        for d in loaded.diagnostics { report(d) }
        baselines.networkClasses = loaded.classes
    }

    /// The classes and the problems found.
    public static func load(detectorsDirectory dir: String) -> (classes: NetworkClasses, diagnostics: [Diagnostic]) {
        let folder = (dir as NSString).appendingPathComponent("networks")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return (.none, []) }
        var text = ""
        var files: [(path: String, firstLine: Int, lines: Int)] = []
        var diagnostics: [Diagnostic] = []
        var line = 1
        for name in names.sorted() where name.hasSuffix(".tsv") || name.hasSuffix(".tsv.gz") {
            let path = (folder as NSString).appendingPathComponent(name)
            switch read(path) {
            case .text(let body):
                let n = newlines(in: body) + (body.hasSuffix("\n") ? 0 : 1)
                files.append((path, line, n))
                text += body.hasSuffix("\n") ? body : body + "\n"
                line += n
            case .problem(let d):
                diagnostics.append(d)
            }
        }
        let parsed = NetworkClasses.parse(text)
        for issue in parsed.issues {
            let f = files.last { $0.firstLine <= issue.line } ?? (folder, 1, 0)
            diagnostics.append(
                Diagnostic(
                    origin: Origin(path: f.path, record: issue.line - f.firstLine + 1), level: .warning,
                    code: "config.network_classes", message: issue.message))
        }
        return (parsed.classes, diagnostics)
    }

    /// Line feeds in `text`, counted on its bytes (a closure over `utf8` cost 40 instructions a byte).
    private static func newlines(in text: String) -> Int {
        var text = text
        return text.withUTF8 { u in
            var n = 0
            for c in u where c == 0x0A { n += 1 }
            return n
        }
    }

    /// A snapshot file's text, or why it could not be read.
    private enum Read {
        case text(String)
        case problem(Diagnostic)
    }

    /// The file's text, inflated when gzip; a diagnostic when it cannot be read.
    private static func read(_ path: String) -> Read {
        let origin = Origin(path: path, record: 0)
        guard let data = FileManager.default.contents(atPath: path) else {
            return .problem(
                Diagnostic(
                    origin: origin, level: .warning, code: "config.network_classes",
                    message: "cannot read the network-class snapshot"))
        }
        var out: [UInt8] = []
        var problems: [Diagnostic] = []
        let inflater = Inflater(path: path)
        data.withUnsafeBytes { raw in
            inflater.push(
                raw, onOutput: { if out.count + $0.count <= maxFileBytes { out.append(contentsOf: $0) } },
                onDiagnostic: { problems.append($0) })
        }
        inflater.finish(onOutput: { out.append(contentsOf: $0) }, onDiagnostic: { problems.append($0) })
        if let p = problems.first { return .problem(p) }
        return .text(String(decoding: out, as: UTF8.self))
    }
}
