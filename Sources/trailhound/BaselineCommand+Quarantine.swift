import ArgumentParser
import Baselines
import EventModel
import Runtime
import StateStore

extension BaselineCommand {
    /// Opens a state file for writing (taking its lock), restores the baselines,
    /// lets `change` edit them, and saves the changed baselines in one
    /// transaction; detector states are written back as they were.
    static func edit(_ path: String, _ change: (BaselineStore) throws -> Void) throws {
        let store: StateStore
        do { store = try StateStore(path: path) } catch {
            Terminal.err(error.description)
            throw ExitCode(ExitStatus.failure.rawValue)
        }
        defer { store.close() }
        let baselines = BaselineStore()
        do {
            try store.restore(into: baselines)
            let detectors = try store.loadDetectors()
            try change(baselines)
            try store.checkpoint(baselines: baselines.snapshotChanges(), detectors: detectors)
        } catch let error as StateError {
            Terminal.err(error.description)
            throw ExitCode(ExitStatus.failure.rawValue)
        }
    }

    struct Accept: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Learn an identity's quarantined observations: the analyst's verdict that they were benign.",
            discussion: """
                Observations are quarantined instead of learned when they are the evidence of a finding at medium \
                or above, or their identity had such a finding within --suspect-hours; they are dropped, unlearned, \
                after --quarantine-days unless accepted. Accepting also ends the identity's suspect mark. Takes the \
                state file's lock: stop a `watch` on it first.
                """)
        @Argument(help: "Identity key, session ARN or short name (web-app, role/web-app).") var identity: String
        @Option(name: .long, help: "State file written by `scan --state` or `watch`.") var state: String

        func validate() throws {
            if identity.hasPrefix("inc-") {
                throw ValidationError(
                    "accept takes an identity, not an incident id: a state file does not keep closed incidents; "
                        + "accept each identity listed in the incident's \"identities\"")
            }
        }

        func run() throws {
            try BaselineCommand.edit(state) { baselines in
                let key = try BaselineCommand.resolve(identity, in: baselines, state: state)
                let held = baselines.quarantined(key)?.observations.count ?? 0
                let suspect = baselines.quarantine.suspects.values.contains { $0.key == key }
                let n = baselines.acceptQuarantined(identity: key)
                print(
                    "accepted \(n) quarantined observation\(n == 1 ? "" : "s") of \(TerminalText.escape(key)) into its baseline"
                        + (suspect ? "; no longer suspect" : "")
                        + (held == 0 && !suspect ? " (nothing was quarantined)" : ""))
            }
        }
    }

    struct Forget: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove from an identity's baseline what it first learned in a time window.",
            discussion: """
                The clean-up after an incident the baseline learned: every API, network, user agent, region, resource, \
                session and role assumed whose first sighting is within [--since, --until] is removed, so the same \
                activity is novel again. Entries known before the window stay. Takes the state file's lock.
                """)
        @Argument(help: "Identity key, session ARN or short name (web-app, role/web-app).") var identity: String
        @Option(name: .long, help: "Start of the window (ISO 8601 date or time, UTC).") var since: String
        @Option(name: .long, help: "End of the window (default: no end; a date alone means the end of that day).")
        var until: String?
        @Option(name: .long, help: "State file written by `scan --state` or `watch`.") var state: String

        func validate() throws {
            guard let from = Timestamp.parse(since) else {
                throw ValidationError("--since: not an ISO 8601 date or time: \(since)")
            }
            if let until {
                guard Timestamp.parse(until) != nil else {
                    throw ValidationError("--until: not an ISO 8601 date or time: \(until)")
                }
                if end < from { throw ValidationError("--until is before --since") }
            }
        }

        /// End of the window: `--until`, a date alone meaning the end of that day; no end by default.
        var end: Int64 {
            guard let until, let t = Timestamp.parse(until) else { return .max }
            return until.count == 10 ? t + 86_400_000 - 1 : t
        }

        func run() throws {
            let from = Timestamp.parse(since) ?? 0
            let to = end
            try BaselineCommand.edit(state) { baselines in
                let key = try BaselineCommand.resolve(identity, in: baselines, state: state, quarantined: false)
                guard let summary = baselines.forget(identity: key, firstSeenIn: from...to) else { return }
                let parts = summary.removed.filter { $0.count > 0 }.map { "\($0.count) \($0.set)" }
                print(
                    "forgot \(summary.total) entr\(summary.total == 1 ? "y" : "ies") of \(TerminalText.escape(key)) first seen "
                        + "\(Timestamp.format(from)) → \(to == .max ? "now" : Timestamp.format(to))"
                        + (parts.isEmpty ? "" : ": " + parts.joined(separator: ", ")))
            }
        }
    }
}
