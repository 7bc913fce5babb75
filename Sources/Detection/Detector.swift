import Baselines
import Config
import EventModel

/// What a detector raises for one event or window, before the engine adds
/// identity fields, applies allow-lists, failure downgrades and dedup.
public struct Signal: Sendable {
    /// Severity before the engine's adjustments.
    public var severity: Severity
    /// One-line title.
    public var title: String
    /// Explanation in words, with baseline facts and numbers.
    public var explanation: String
    /// Structured facts (same content as `explanation`).
    public var facts: [Fact]
    /// MITRE ATT&CK technique ids.
    public var mitre: [String]
    /// Dedup key within (detector, identity): the API, network, secret, … that the signal is about.
    public var key: String
    /// Evidence event ids; defaults to the current event.
    public var eventIds: [String]
    /// First evidence time; defaults to the current event's time.
    public var firstSeen: Int64?
    /// Number of events behind the signal.
    public var count: Int
    /// True when the signal is about a failed attempt (the engine then uses `failed_severity`).
    public var failedAttempt: Bool
    /// Resource the signal is about, matched by allow-list `resource:` patterns.
    public var resource: String
    /// The identity the finding is about when it is not the current event's: a detector that
    /// pairs records of two sources (a proxy's request and a server's record) reports the pair
    /// when the second arrives, about the identity of the first. Nil: the event's identity.
    public var about: Identity? {
        get { aboutBox?.identity }
        set { aboutBox = newValue.map(IdentityBox.init) }
    }
    /// `about`, boxed: few signals have one, and held inline it made every signal (copied several
    /// times on its way to a finding) some two hundred bytes larger.
    private var aboutBox: IdentityBox?
    /// True when `title`, `explanation`, `facts` and `mitre` were left empty because the signal
    /// repeats one its detector reported moments ago and will most likely be folded into that
    /// finding, which keeps only its count, key, times and evidence. When the engine needs the
    /// words after all (the dedup group did not take it), it asks the detector for them
    /// (`Detector.word(_:for:)`) with the event it was raised for. A broad rule repeats on most
    /// events; its words cost more than the rest of the fold. Only `evaluate` and `finish` may
    /// defer (the engine knows which detector raised their signals).
    public var wordingDeferred = false

    /// Creates a signal.
    public init(
        severity: Severity, title: String, explanation: String, facts: [Fact] = [], mitre: [String] = [],
        key: String = "", eventIds: [String] = [], firstSeen: Int64? = nil, count: Int = 1,
        failedAttempt: Bool = false, resource: String = ""
    ) {
        self.severity = severity
        self.title = title
        self.explanation = explanation
        self.facts = facts
        self.mitre = mitre
        self.key = key
        self.eventIds = eventIds
        self.firstSeen = firstSeen
        self.count = count
        self.failedAttempt = failedAttempt
        self.resource = resource
    }
}

/// An identity behind one reference (see `Signal.about`).
final class IdentityBox: Sendable {
    let identity: Identity
    init(_ identity: Identity) { self.identity = identity }
}

/// Which events a detector wants to see; the engine indexes detectors by
/// operation so that most detectors cost nothing on most events.
public enum Interest: Sendable {
    /// Every event.
    case all
    /// Only events whose `action.operation` is in the set.
    case operations(Set<String>)
    /// Only events whose `action.operation` is in the set when ASCII letters are compared
    /// without case (rule files: Sigma compares values case-insensitively).
    case operationsIgnoringCase(Set<String>)
    /// Every event of one provider (rules that name no operation).
    case provider(Provider)
}

/// What a detector sees besides the event: the identity's baseline as it was
/// *before* this event, and account-wide facts. No clocks, no I/O. A class, made
/// once per detector: passed for every event, a struct would copy (and retain)
/// the spec's strings and allow-list each time.
public final class DetectionContext {
    /// Baselines, read before the engine folds the current event in.
    public let baselines: BaselineStore
    /// Effective settings shared by all detectors.
    public let spec: DetectorSpec
    /// What detectors derive alike from the current event, shared by every detector of the engine.
    public let memo: EventMemo

    /// True for `identity.new_api`, whose findings the engine gathers into bursts and never folds
    /// quietly (read once: the engine asks on every repeat it folds).
    let isFirstTimeAPI: Bool

    /// Creates a context.
    public init(baselines: BaselineStore, spec: DetectorSpec, memo: EventMemo = EventMemo()) {
        self.baselines = baselines
        self.spec = spec
        self.memo = memo
        self.isFirstTimeAPI = spec.id == DetectionEngine.firstTimeAPIDetectorId
    }
}

/// A detector: one behaviour, configured by one YAML file, no I/O.
/// Detectors may keep bounded per-identity state (windows); they read the
/// event's own time as "now".
public protocol Detector: AnyObject {
    /// Detector id, `<area>.<behaviour>`.
    var id: String { get }
    /// Which events to route here.
    var interest: Interest { get }
    /// Looks at one event and appends zero or more signals.
    func evaluate(_ event: Event, context: DetectionContext, into signals: inout [Signal])
    /// End of input (or a flush in the live service): report what pending windows hold.
    func finish(now: Int64, context: DetectionContext, into signals: inout [(Identity, Signal)])
    /// Serialized bounded state for the state store (nil when stateless).
    func snapshot() -> [UInt8]?
    /// Restores state written by `snapshot()`; bad data is ignored.
    func restore(_ bytes: [UInt8])
    /// `signal` (raised by this detector for `event`, with `wordingDeferred`) with its words
    /// filled in, exactly as if they had been written when it was raised.
    func word(_ signal: Signal, for event: Event) -> Signal
    /// The rule set that decides this detector in the decoders and its number there
    /// (`Event.ruleHits`): the engine then skips it on an event that set decided against it,
    /// without a call. nil for detectors that decide for themselves.
    var prematched: (set: UInt64, index: UInt32)? { get }
}

extension Detector {
    /// Default: nothing pending.
    public func finish(now: Int64, context: DetectionContext, into signals: inout [(Identity, Signal)]) {}
    /// Default: stateless.
    public func snapshot() -> [UInt8]? { nil }
    /// Default: the signal as raised (a detector that never defers its wording).
    public func word(_ signal: Signal, for event: Event) -> Signal { signal }
    /// Default: stateless.
    public func restore(_ bytes: [UInt8]) {}
    /// Default: decides every event it is routed.
    public var prematched: (set: UInt64, index: UInt32)? { nil }
}

/// What a built-in detector is built on (the docs table's `basis` column).
public enum DetectorKind: String, Sendable {
    /// The event alone, no baseline.
    case rule
    /// The identity against its own past; left out by `scan --no-baselines`.
    case baseline
    /// The non-AWS log sources (Kubernetes audit, AI-workflow logs).
    case source
}

/// A built-in detector declares its own facts, so the registry is a list of types and a
/// detector's id, summary, severity and explanation are written once, in its own file.
public protocol BuiltInDetector: Detector {
    /// Detector id, `<area>.<behaviour>`; its YAML is `detectors/<id>.yaml`.
    static var id: String { get }
    /// One line for `detectors list` and the docs table (the YAML `description` repeats it).
    static var summary: String { get }
    /// Severity when the YAML does not set one.
    static var defaultSeverity: Severity { get }
    /// The `detectors explain` text: what it detects, why it matters, false positives, MITRE.
    static var explanation: String { get }
    /// Every MITRE ATT&CK technique id its findings may carry (a compliance test checks
    /// findings against it).
    static var mitre: [String] { get }
    /// What it is built on.
    static var kind: DetectorKind { get }
    /// Builds the detector from its `settings:` mapping, reporting problems to the reader.
    init(settings: ConfigReader)
}

extension BuiltInDetector {
    /// The instance id is the type's.
    public var id: String { Self.id }
}
