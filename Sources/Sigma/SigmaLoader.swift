import Config
import Detection
import EventModel
import Foundation

/// Rules loaded from one or more directories: detectors ready for the engine, what the decoders
/// must keep (`rawInterest`), and every problem found. Skipped rules are warnings (third-party
/// rules the engine cannot honour); `configIssues` are errors in the project's own tuning file,
/// which refuse the run like a bad detector file.
public struct SigmaRuleSet: Sendable {
    /// One loaded rule and its detector id.
    public struct Loaded: Sendable {
        /// Detector id.
        public var id: String
        /// The rule.
        public var rule: SigmaRule
        /// Settings after tuning.
        public var spec: DetectorSpec
    }

    /// Loaded rules, sorted by detector id (set by the loader only: `prematcher` numbers them).
    public internal(set) var rules: [Loaded] = []
    /// The enabled rules, for the decoders to run (`rawInterest.prematcher`); each detector knows
    /// its rule's number in it. Nil when no rule is enabled.
    public internal(set) var prematcher: SigmaPrematcher?
    /// Each rule's number in `prematcher` (nil for a disabled rule), in `rules` order.
    var prematchIndex: [UInt32?] = []
    /// Problems of rule files (skipped rules and warnings), in file order.
    public var issues: [Diagnostic] = []
    /// Errors in tuning files (the caller refuses to start).
    public var configIssues: [ConfigIssue] = []
    /// Rule files read (tuning files excluded).
    public var files: [String] = []
    /// Rule files that did not load.
    public var skipped: Int = 0

    /// An empty set (`--no-rules`).
    public init() {}

    /// Detectors for the engine (disabled ones included; the engine leaves them out).
    public var detectors: [LoadedDetector] {
        rules.indices.map { i in
            let verdict = prematcher.flatMap { set in prematchIndex[i].map { (set.serial, $0) } }
            return LoadedDetector(
                spec: rules[i].spec, detector: SigmaDetector(rule: rules[i].rule, id: rules[i].id, prematched: verdict))
        }
    }

    /// Numbers the enabled rules into `prematcher` (the loader calls it once the rules are final).
    mutating func buildPrematcher() {
        var enabled: [SigmaRule] = []
        prematchIndex = rules.map { l in
            guard l.spec.enabled else { return nil }
            enabled.append(l.rule)
            return UInt32(enabled.count - 1)
        }
        prematcher = enabled.isEmpty ? nil : SigmaPrematcher(enabled)
    }

    /// What the decoders keep for the enabled rules.
    public var rawInterest: RawInterest {
        var r = RawInterest()
        for l in rules where l.spec.enabled { r.formUnion(l.rule.rawInterest) }
        r.prematcher = prematcher
        return r
    }

    /// `N rules loaded, M skipped`.
    public var summary: String { "\(rules.count) rules loaded, \(skipped) skipped" }
}

/// Finds and loads rule files: `.yml`/`.yaml` anywhere under each directory (sorted paths),
/// `tuning.yaml` files as tuning, the rest as Sigma rules.
public enum SigmaLoader {
    /// Rule files read per directory at most.
    public static let maxFiles = 10_000
    /// Name of a tuning file.
    public static let tuningFileName = "tuning.yaml"

    /// Loads every rule under `directories`; ids already taken (built-in detectors) are in `reserved`.
    public static func load(directories: [String], reserved: Set<String> = []) -> SigmaRuleSet {
        var set = SigmaRuleSet()
        var tuning = SigmaTuning()
        let sink = IssueSink()
        var texts: [(file: String, dir: String, text: String)] = []
        for dir in directories {
            guard let files = ruleFiles(dir, &set) else { continue }
            for file in files {
                guard let text = read(file, &set) else { continue }
                if (file as NSString).lastPathComponent == tuningFileName {
                    tuning.entries += SigmaTuning.parse(yaml: text, file: file, sink: sink).entries
                    continue
                }
                set.files.append(file)
                texts.append((file, dir, text))
            }
        }
        var parsed: [SigmaRule] = []
        for (i, outcome) in parseAll(texts.map { ($0.file, $0.text) }).enumerated() {
            set.issues += outcome.issues
            if var r = outcome.rule {
                r.displayFile = display(texts[i].file, under: texts[i].dir)
                parsed.append(r)
            } else {
                set.skipped += 1
            }
        }
        set.configIssues = sink.issues
        assign(parsed, tuning, reserved: reserved, &set)
        return set
    }

    /// Each text parsed, in order, on as many threads as there are cores (at most four): a scan
    /// loads its rules before it reads any input, so this is start-up time on one core, and
    /// parsing one file needs nothing from another.
    static func parseAll(_ texts: [(file: String, text: String)]) -> [SigmaParser.Outcome] {
        let workers = max(1, min(4, ProcessInfo.processInfo.activeProcessorCount, texts.count / 8))
        guard workers > 1 else { return texts.map { SigmaParser.parse(yaml: $0.text, file: $0.file) } }
        let out = Slots(count: texts.count)
        defer { out.free() }
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            for i in stride(from: w, to: texts.count, by: workers) {
                (out.base + i).initialize(to: SigmaParser.parse(yaml: texts[i].text, file: texts[i].file))
            }
        }
        return Array(UnsafeBufferPointer(start: out.base, count: texts.count))
    }

    /// One uninitialized slot per text; each worker initializes its own (workers take
    /// disjoint indices, so no slot is touched by two threads), hence `@unchecked Sendable`.
    private struct Slots: @unchecked Sendable {
        let base: UnsafeMutablePointer<SigmaParser.Outcome>
        let count: Int

        init(count: Int) {
            base = .allocate(capacity: count)
            self.count = count
        }

        /// Destroys the outcomes (all initialized by then) and frees the slots.
        func free() {
            base.deinitialize(count: count)
            base.deallocate()
        }
    }

    /// `file` relative to `dir`, under `dir`'s own name; the file itself when it is not inside.
    static func display(_ file: String, under dir: String) -> String {
        let base = dir.hasSuffix("/") ? String(dir.dropLast()) : dir
        guard file.hasPrefix(base + "/") else { return file }
        return (base as NSString).lastPathComponent + "/" + file.dropFirst(base.count + 1)
    }

    /// Loads rules from texts (tests): `(file, yaml)` pairs.
    public static func load(texts: [(String, String)], tuning: SigmaTuning = SigmaTuning()) -> SigmaRuleSet {
        var set = SigmaRuleSet()
        var parsed: [SigmaRule] = []
        for (file, text) in texts {
            set.files.append(file)
            let outcome = SigmaParser.parse(yaml: text, file: file)
            set.issues += outcome.issues
            if let r = outcome.rule { parsed.append(r) } else { set.skipped += 1 }
        }
        assign(parsed, tuning, reserved: [], &set)
        return set
    }

    private static func assign(
        _ parsed: [SigmaRule], _ tuning: SigmaTuning, reserved: Set<String>, _ set: inout SigmaRuleSet
    ) {
        var taken = reserved
        var used = Set<Int>()
        for r in parsed {
            var id = r.name ?? "sigma." + slug(r.title)
            if taken.contains(id), r.name == nil, !r.ruleId.isEmpty { id += "_" + String(r.ruleId.prefix(8)) }
            guard !taken.contains(id) else {
                set.issues.append(
                    Diagnostic(
                        origin: Origin(path: r.file, record: r.line), column: r.column, level: .warning,
                        code: SigmaCode.duplicateId, message: "detector id '\(id)' is already taken; rule skipped"))
                set.skipped += 1
                continue
            }
            taken.insert(id)
            let base = DetectorSpec(
                id: id, file: r.file, severity: r.severity, failedSeverity: min(r.severity, .low))
            set.rules.append(.init(id: id, rule: r, spec: tuning.apply(to: base, id: id, rule: r, used: &used)))
        }
        for (i, e) in tuning.entries.enumerated() where !used.contains(i) {
            set.issues.append(
                Diagnostic(
                    origin: Origin(path: e.file, record: e.line), level: .warning, code: SigmaCode.tuningUnmatched,
                    message: "tuning entry '\(e.match.prefix(80))' matches no loaded rule"))
        }
        set.rules.sort { $0.id < $1.id }
        set.buildPrematcher()
    }

    /// `sigma.<slug>`: lower case, `_` between words, at most 60 characters.
    public static func slug(_ title: String) -> String {
        // As bytes: ASCII letters and digits are what `CharacterSet.alphanumerics` admits of
        // ASCII, and counting a `String` per character made this 85,000 instructions a title.
        var out: [UInt8] = []
        var gap = false
        for u in title.lowercased().unicodeScalars {
            let v = u.value
            if (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) {
                if gap, !out.isEmpty { out.append(0x5F) }
                gap = false
                out.append(UInt8(v))
            } else {
                gap = true
            }
            if out.count >= 60 { break }
        }
        return out.isEmpty ? "rule" : String(decoding: out.prefix(60), as: UTF8.self)
    }

    private static func ruleFiles(_ dir: String, _ set: inout SigmaRuleSet) -> [String]? {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue,
            let walker = FileManager.default.enumerator(atPath: dir)
        else {
            set.configIssues.append(
                ConfigIssue(file: dir, code: "config.unreadable", message: "cannot read rules directory"))
            return nil
        }
        var out: [String] = []
        while let rel = walker.nextObject() as? String, out.count < maxFiles {
            guard rel.hasSuffix(".yml") || rel.hasSuffix(".yaml") else { continue }
            out.append((dir as NSString).appendingPathComponent(rel))
        }
        return out.sorted()
    }

    private static func read(_ file: String, _ set: inout SigmaRuleSet) -> String? {
        guard let data = FileManager.default.contents(atPath: file), data.count <= SigmaParser.maxFileBytes,
            let text = String(data: data, encoding: .utf8)
        else {
            set.issues.append(
                Diagnostic(
                    origin: Origin(path: file, record: 0), level: .error, code: SigmaCode.unreadable,
                    message: "cannot read rule file as UTF-8 (or larger than \(SigmaParser.maxFileBytes) bytes)"))
            set.skipped += 1
            return nil
        }
        return text
    }
}
