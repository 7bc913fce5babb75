import Baselines
import Config
import Detection
import EventModel

/// Built-in detector `identity.volume_spike`; `explanation` says what it detects and why (it is the
/// `detectors explain` text, written once).
public final class VolumeSpike: BuiltInDetector {
    /// Detector id.
    public static let id = "identity.volume_spike"
    /// One line for `detectors list` and the docs table.
    public static let summary = "An hour's call count far beyond the identity's maximum per hour"
    /// Severity when the YAML does not set one.
    public static let defaultSeverity = Severity.medium
    /// Every MITRE ATT&CK technique its findings may carry.
    public static let mitre = ["T1119", "T1496", "T1530"]
    /// What it is built on.
    public static let kind = DetectorKind.baseline
    /// What it detects and why: the text of `trailhound detectors explain`.
    public static let explanation = """
        An hour's event count far beyond the identity's maximum per hour over its baseline (default at least \
        10x that maximum and 200 events), once the identity has at least 7 days of baseline. Fires once per hour \
        when the count crosses the threshold. MITRE: T1119, T1530, T1496.
        """

    /// Settings (`settings:` in `detectors/identity.volume_spike.yaml`).
    public struct Configuration: Sendable {
        /// The hour's count must reach this multiple of the previous maximum per hour…
        public var multiplier = 10.0
        /// …and at least this many events.
        public var minEvents = 200
        /// Days of baseline needed before spikes are reported.
        public var minBaselineDays = 7.0

        /// Defaults.
        public init() {}

        /// Reads `settings:`.
        public init(reading r: ConfigReader) {
            let d = Configuration()
            multiplier = r.double("multiplier", default: d.multiplier, in: 1...100_000)
            minEvents = r.int("min_events", default: d.minEvents, in: 1...100_000_000)
            minBaselineDays = r.double("min_baseline_days", default: d.minBaselineDays, in: 0...365)
        }
    }

    /// Every event.
    public let interest = Interest.all
    /// Effective settings.
    public let configuration: Configuration

    /// Builds the detector from its `settings:` mapping (problems go to the reader).
    public convenience init(settings: ConfigReader) { self.init(configuration: Configuration(reading: settings)) }

    /// Creates the detector.
    public init(configuration: Configuration = Configuration()) { self.configuration = configuration }

    /// Looks at one event.
    public func evaluate(_ e: Event, context: DetectionContext, into signals: inout [Signal]) {
        let now = e.time
        guard let p = context.baselines.profile(e.identity.key) else { return }
        let count = Int(p.eventsThisHour(now: now)) + 1
        guard count >= configuration.minEvents else { return }
        let maxHour = Int(p.priorMaxHourly(now: now))
        let threshold = max(configuration.minEvents, Int((configuration.multiplier * Double(maxHour)).rounded(.up)))
        guard count == threshold, p.baselineDays(now: now) >= configuration.minBaselineDays else { return }
        let who = BaselineWords.who(e)
        let hourStart = now - ((now % 3_600_000) + 3_600_000) % 3_600_000
        let how = Timestamp.hourOfWeek(now)
        let usual = p.hourOfWeek[how]
        let text =
            "\(who) made \(BaselineText.count(count)) calls in the hour starting \(BaselineText.date(hourStart)) "
            + "(so far, at \(BaselineText.date(now))); its previous maximum was \(BaselineText.count(maxHour)) per hour and its "
            + "mean \(BaselineText.decimal(p.meanPerActiveHour)) per active hour in \(BaselineWords.span(p, now)); "
            + "\(BaselineText.count(usual)) calls fell in this hour of the week (\(BaselineText.hourOfWeek(how)) UTC) in that time."
        let facts =
            [
                Fact("observed_events_hour", String(count)), Fact("hour_start", BaselineText.date(hourStart)),
                Fact("baseline_max_per_hour", String(maxHour)),
                Fact("baseline_mean_per_active_hour", BaselineText.decimal(p.meanPerActiveHour)),
                Fact("baseline_hour_of_week_events", String(usual)), Fact("threshold", String(threshold)),
                Fact("last_api", e.action.key),
            ] + BaselineWords.facts(p, now)
        signals.append(
            Signal(
                severity: context.spec.severity, title: "\(who) made \(BaselineText.count(count)) calls in one hour",
                explanation: text, facts: facts, mitre: ["T1119", "T1530", "T1496"], key: BaselineText.date(hourStart),
                firstSeen: hourStart, count: count))
    }
}
