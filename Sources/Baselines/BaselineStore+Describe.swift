import EventModel
import Foundation

extension BaselineStore {
    /// `baseline show`: one identity's profile in words and numbers, nil when
    /// the identity is unknown. Each set lists its `limit` most used entries.
    public func describe(identity: String, limit: Int = 50) -> String? {
        guard let p = profile(identity) else {
            let q = describeQuarantine(identity: identity, limit: limit)
            return q.isEmpty ? nil : (["Identity \(identity): no baseline yet"] + q).joined(separator: "\n")
        }
        let now = p.lastSeen
        let c = configuration
        var out: [String] = []
        out.append("Identity \(p.key) (\(p.type.rawValue)), account \(p.account)")
        let learning =
            p.isLearning(now: now)
            ? "still learning until \(BaselineText.date(p.firstSeen + c.learningPeriod))"
            : "learned (learning period of \(BaselineText.days(Double(c.learningPeriod) / Double(BaselineConfiguration.day))) is over)"
        out.append(
            "Observed \(BaselineText.date(p.firstSeen)) → \(BaselineText.date(p.lastSeen)): "
                + "\(BaselineText.days(p.baselineDays(now: now))), \(BaselineText.count(p.events)) events, "
                + "errors \(BaselineText.percent(p.errorRatio)) (\(BaselineText.count(p.accessDenied)) access denied); \(learning)"
        )
        section(&out, "APIs", p.apis, c.maxAPIs, p, limit) { apiName($0) }
        section(&out, "Source networks", p.networks, c.maxNetworks, p, limit) { NetworkKey.describe($0) }
        out.append(describeClasses(p, now))
        section(&out, "User-agent families", p.userAgents, c.maxUserAgents, p, limit) { k in
            let name = UserAgentFamily(baselineKey: k)?.rawValue ?? "family#\(hex(k))"
            let tag = p.userAgents.stat(k)?.tag ?? 0
            return tag > 0 ? "\(name) v\(tag - 1)" : name
        }
        section(&out, "Regions", p.regions, c.maxRegions, p, limit) { regionName($0) }
        section(&out, "Resources", p.resources, c.maxResources, p, limit) { k in
            "\(ResourceCode.kind(p.resources.stat(k)?.tag ?? 0).rawValue) \(resourceName(k))"
        }
        section(&out, "Sessions / instances", p.sessions, c.maxSessions, p, limit) { k in
            (p.sessions.stat(k)?.tag == 1 ? "instance " : "session ") + sessionName(k)
        }
        out.append(activity(p, now))
        out.append(
            "Per \(BaselineText.duration(c.burstWindow)) window (maximum over earlier windows): "
                + "\(p.priorMaxSecretReads(now: now + 2 * c.burstWindow)) distinct secrets read, "
                + "\(p.priorMaxReadAPIs(now: now + 2 * c.burstWindow)) distinct List/Describe/Get APIs, "
                + "\(p.priorMaxDenied(now: now + 2 * c.burstWindow)) access-denied calls")
        let roles = assumedRoles(by: p.key).map {
            "\(BaselineText.shortIdentity($0.role)) ×\(BaselineText.count($0.count))"
        }
        let by = assumers(of: p.key).map {
            "\(BaselineText.shortIdentity($0.identity)) ×\(BaselineText.count($0.count))"
        }
        out.append("Trust graph: assumed \(BaselineText.list(roles)); assumed by \(BaselineText.list(by))")
        out.append("Memory: ~\(BaselineText.count(p.approximateBytes)) bytes")
        out += describeQuarantine(identity: p.key, limit: limit)
        return out.joined(separator: "\n")
    }

    /// How `identity.new_source` judges the identity's networks, in words.
    private func describeClasses(_ p: IdentityProfile, _ now: Int64) -> String {
        let classes = p.networkClasses(networkClasses, now: now).prefix(8).map {
            "\($0.key.map { networkClasses.describe(classKey: $0) } ?? "outside every published range") "
                + "(\($0.networks) network(s))"
        }
        let snapshot =
            networkClasses.classCount == 0
            ? "no network-class snapshot loaded, only private enclosures are classed"
            : "classes from the snapshot of \(networkClasses.date.isEmpty ? "unknown date" : networkClasses.date)"
        let how =
            p.churnsNetworks(now: now)
            ? "judged by network class: its sources churn by design (\(configuration.churnMinNetworks) or more "
                + "networks), so a new /24 inside a class it uses is not novel, a new class is"
            : "judged by /24: fewer than \(configuration.churnMinNetworks) networks, a stable source"
        return "Network classes (\(snapshot)): \(how); \(BaselineText.list(classes))"
    }

    private func section(
        _ out: inout [String], _ title: String, _ m: FeatureMap, _ cap: Int, _ p: IdentityProfile, _ limit: Int,
        _ name: (UInt64) -> String
    ) {
        let entries = m.sortedByCount()
        var head = "\(title): \(entries.count) (cap \(cap)"
        if m.overflow > 0 { head += ", \(BaselineText.count(m.overflow)) events refused: set full" }
        if m.forgotten > 0 { head += ", \(BaselineText.count(m.forgotten)) forgotten" }
        out.append(head + ")")
        for e in entries.prefix(limit) {
            out.append(
                "  \(name(e.key))  ×\(BaselineText.count(e.stat.count))  first \(BaselineText.date(e.stat.firstSeen))  last \(BaselineText.date(e.stat.lastSeen))"
            )
        }
        if entries.count > limit { out.append("  … and \(entries.count - limit) more") }
    }

    private func activity(_ p: IdentityProfile, _ now: Int64) -> String {
        let busiest = p.hourOfWeek.enumerated().filter { $0.element > 0 }.sorted {
            ($0.element, $1.offset) > ($1.element, $0.offset)
        }.prefix(3)
            .map { "\(BaselineText.hourOfWeek($0.offset)) (\(BaselineText.count($0.element)))" }
        let maxHour = max(p.priorMaxHourly(now: now + 2 * hourMs), p.eventsThisHour(now: now))
        return "Activity: \(BaselineText.count(p.activeHours)) active hours, "
            + "mean \(BaselineText.decimal(p.meanPerActiveHour)) events per active hour, "
            + "max \(BaselineText.count(maxHour)) in one hour; busiest hours of week (UTC): \(BaselineText.list(busiest))"
    }

    // MARK: - JSON export

    /// One baseline entry in the JSON export.
    public struct EntryExport: Codable, Sendable, Hashable {
        /// Display name (API, network, family, region, resource id, session).
        public var name: String
        /// Extra detail: resource kind, major version, `instance`.
        public var detail: String?
        /// First sighting.
        public var firstSeen: String
        /// Latest sighting.
        public var lastSeen: String
        /// Events.
        public var count: UInt32
    }

    /// One identity's profile in the JSON export.
    public struct ProfileExport: Codable, Sendable {
        /// Identity key.
        public var identity: String
        /// Identity type.
        public var type: String
        /// Account of the first event.
        public var account: String
        /// First event time.
        public var firstSeen: String
        /// Latest event time.
        public var lastSeen: String
        /// Events, errors, access denied.
        public var events: UInt64, errors: UInt64, accessDenied: UInt64
        /// True while in the learning period (as of the latest event).
        public var learning: Bool
        /// Feature sets.
        public var apis, networks, userAgents, regions, resources, sessions: [EntryExport]
        /// Events refused because a set was full, by set.
        public var refused: [String: UInt32]
        /// Events per hour of week (0 = Monday 00h UTC).
        public var hourOfWeek: [UInt32]
        /// Hours with events; maxima per hour and per burst window.
        public var activeHours: UInt32, maxEventsPerHour: UInt32
        /// Maximum distinct secrets read / read APIs / denied calls per burst window.
        public var maxDistinctSecretReads: UInt32, maxDistinctReadAPIs: UInt32, maxAccessDenied: UInt32
        /// Roles assumed (trust graph).
        public var assumedRoles: [String]
        /// Approximate bytes held.
        public var approximateBytes: Int
    }

    /// The JSON export of one identity's profile, nil when unknown.
    public func exportJSON(identity: String) -> String? {
        guard let p = profile(identity) else { return nil }
        return Self.json(export(p))
    }

    /// The JSON export of every profile (an array sorted by identity).
    public func exportJSON() -> String {
        Self.json(profiles.values.sorted { $0.key < $1.key }.map(export))
    }

    /// Structured export of one profile.
    public func export(_ p: IdentityProfile) -> ProfileExport {
        let now = p.lastSeen
        let later = now + 2 * max(configuration.burstWindow, hourMs)
        func entries(_ m: FeatureMap, _ name: (UInt64) -> String, _ detail: (FeatureStat) -> String?) -> [EntryExport] {
            m.sortedByCount().map {
                EntryExport(
                    name: name($0.key), detail: detail($0.stat), firstSeen: Timestamp.format($0.stat.firstSeen),
                    lastSeen: Timestamp.format($0.stat.lastSeen), count: $0.stat.count)
            }
        }
        let refused = [
            "apis": p.apis.overflow, "networks": p.networks.overflow, "user_agents": p.userAgents.overflow,
            "regions": p.regions.overflow, "resources": p.resources.overflow,
        ].filter { $0.value > 0 }
        return ProfileExport(
            identity: p.key, type: p.type.rawValue, account: p.account, firstSeen: Timestamp.format(p.firstSeen),
            lastSeen: Timestamp.format(p.lastSeen), events: p.events, errors: p.errors, accessDenied: p.accessDenied,
            learning: p.isLearning(now: now),
            apis: entries(p.apis, apiName) { _ in nil },
            networks: entries(p.networks, NetworkKey.describe) { _ in nil },
            userAgents: entries(p.userAgents, { UserAgentFamily(baselineKey: $0)?.rawValue ?? "unknown" }) {
                $0.tag > 0 ? "v\($0.tag - 1)" : nil
            },
            regions: entries(p.regions, regionName) { _ in nil },
            resources: entries(p.resources, resourceName) { ResourceCode.kind($0.tag).rawValue },
            sessions: entries(p.sessions, sessionName) { $0.tag == 1 ? "instance" : nil },
            refused: refused, hourOfWeek: p.hourOfWeek, activeHours: p.activeHours,
            maxEventsPerHour: max(p.priorMaxHourly(now: later), p.eventsThisHour(now: now)),
            maxDistinctSecretReads: p.priorMaxSecretReads(now: later),
            maxDistinctReadAPIs: p.priorMaxReadAPIs(now: later),
            maxAccessDenied: p.priorMaxDenied(now: later),
            assumedRoles: assumedRoles(by: p.key).map(\.role), approximateBytes: p.approximateBytes)
    }

    private static func json<T: Encodable>(_ v: T) -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        enc.keyEncodingStrategy = .convertToSnakeCase
        guard let data = try? enc.encode(v) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }
}
