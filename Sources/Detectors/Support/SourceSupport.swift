import Baselines
import Detection
import EventModel

/// When a detector of the non-AWS sources may trust its own memory: the first
/// `learningPeriod` of an account's logs (by event time) only teaches habits. The start
/// of an account is the earlier of the first event this detector saw for it and the
/// account's first event in the baselines, so detectors that see few events still know
/// how long the logs have been running. Bounded: at most `maxAccounts` accounts.
struct LearningClock {
    private var first: [String: Int64] = [:]
    static let maxAccounts = 4096

    /// True while `e`'s account is younger than `period`.
    mutating func isLearning(_ e: Event, period: Int64, _ context: DetectionContext) -> Bool {
        var start = first[e.account] ?? e.time
        if first[e.account] == nil {
            if first.count >= Self.maxAccounts { first.removeAll(keepingCapacity: true) }
            first[e.account] = e.time
        } else if e.time < start {
            first[e.account] = e.time
            start = e.time
        }
        if let facts = context.baselines.account(e.account), facts.firstSeen < start { start = facts.firstSeen }
        return e.time - start < period
    }
}

extension LearningClock {
    /// Appends each account's start, sorted by account.
    func encode(into w: inout BinaryWriter) {
        let sorted = first.sorted { $0.key < $1.key }
        w.uint(sorted.count)
        for (account, start) in sorted {
            w.string(account)
            w.int(start)
        }
    }

    /// Reads what `encode` wrote.
    static func decoded(from r: inout BinaryReader) throws(BinaryDecodeError) -> LearningClock {
        var clock = LearningClock()
        for _ in 0..<(try r.uint(max: maxAccounts)) {
            let account = try r.text()
            clock.first[account] = try r.time()
        }
        return clock
    }
}

/// A bounded set of keys (identities, flows) with the time each was last seen.
final class SeenKey: RecentState {
    /// Event time the key was first added.
    var since: Int64 = 0
}

/// Text helpers shared by the non-AWS detectors.
enum SourceText {
    /// The identity in words: `service account system:serviceaccount:ci:runner`,
    /// `anonymous caller anonymous@lf-prod`, `user alice@example.com`.
    static func who(_ identity: Identity) -> String {
        let name = RuleText.name(identity)
        switch identity.type {
        case .serviceAccount: return "service account \(name)"
        case .anonymous: return "anonymous caller \(name)"
        case .user: return "user \(name)"
        default: return RuleText.describe(identity)
        }
    }

    /// `event` parameter, bounded for quoting; nil when absent or empty.
    static func param(_ e: Event, _ key: String, _ limit: Int = 200) -> String? {
        guard let v = e.parameters[key], !v.isEmpty else { return nil }
        return RuleText.bounded(v, limit)
    }
}
