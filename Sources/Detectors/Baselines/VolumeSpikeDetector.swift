import Baselines
import Detection
import EventModel

/// `identity.volume_spike` — an identity makes far more calls in one hour
/// than it ever did.
///
/// Bulk collection (downloading every object, dumping every table), resource
/// hijacking and automated attack tools all show up as volume. The hour's
/// event count is compared with the identity's maximum per hour over its
/// baseline (earlier hours); the finding fires once, when the hour's count
/// reaches both the absolute minimum and the multiple of that maximum. Needs
/// at least `min_baseline_days` of baseline.
/// MITRE ATT&CK: T1119 (Automated Collection), T1530 (Data from Cloud Storage), T1496 (Resource Hijacking).
public final class VolumeSpikeDetector: Detector {
    /// Detector id.
    public static let detectorId = "identity.volume_spike"
    /// Text for `detectors explain`.
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
        public init(_ r: ConfigReader) {
            let d = Configuration()
            multiplier = r.double("multiplier", default: d.multiplier, in: 1...100_000)
            minEvents = r.int("min_events", default: d.minEvents, in: 1...100_000_000)
            minBaselineDays = r.double("min_baseline_days", default: d.minBaselineDays, in: 0...365)
        }
    }

    /// Detector id.
    public let id = VolumeSpikeDetector.detectorId
    /// Every event.
    public let interest = Interest.all
    /// Effective settings.
    public let configuration: Configuration

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
