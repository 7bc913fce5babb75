import EventModel

/// What the evidence says about one credential; the JSON report carries the raw value, the
/// Markdown and HTML reports its `label` in its `tone`.
public enum CredentialVerdict: String, Sendable, CaseIterable {
    /// Used as before.
    case normal
    /// A new client, but from the usual networks.
    case suspicious
    /// Used outside the identity's networks, or from two networks at once.
    case stolen
    /// A key an investigated identity created.
    case createdByChain = "created_by_chain"
    /// Nothing before the window to compare with.
    case noBaseline = "no_baseline"

    /// The words the reports print.
    var label: String {
        switch self {
        case .stolen: "LOOKS STOLEN"
        case .suspicious: "suspicious"
        case .createdByChain: "created by the chain"
        case .noBaseline: "no baseline"
        case .normal: "normal"
        }
    }

    /// The HTML class of its colour: red, orange or green.
    var tone: String {
        switch self {
        case .stolen: "bad"
        case .suspicious, .createdByChain: "warn"
        case .normal, .noBaseline: "okv"
        }
    }

    /// Counted as "flagged" in the report's summary cards.
    var isFlagged: Bool { self == .stolen || self == .suspicious }

    /// Explained under the Markdown credentials table.
    var isNotable: Bool { isFlagged || self == .createdByChain }
}

extension InvestigationReport.Verdict {
    /// The words the reports print (the header's verdict).
    var label: String { rawValue.uppercased() }
}

/// Judgements: does a credential look stolen, and what does the whole report say.
enum Verdicts {
    /// Two networks within this time are "at once" (ms).
    static let concurrentWindow: Int64 = 300_000

    /// Verdict and reasons for one credential.
    static func credential(_ c: CredentialReport, hasBaseline: Bool, createdByChain: Bool) -> (
        CredentialVerdict, [String]
    ) {
        var reasons: [String] = []
        let who = IdentityName.short(c.identity)
        let newNets = c.sources.filter { $0.newNetwork == true }
        for s in newNets.prefix(4) {
            reasons.append("used from \(s.source) (\(s.network)), a network \(who) never used before the window")
        }
        if let pair = concurrent(c.sources) {
            reasons.append("used from \(pair.0) and \(pair.1) within \(concurrentWindow / 60_000) minutes")
        }
        var families: Set<UserAgentFamily> = []
        let newAgents = c.userAgents.filter { $0.newFamily == true && families.insert($0.family).inserted }
        for a in newAgents.prefix(3) {
            reasons.append("new client \(a.family.rawValue) (\(Clip.text(a.userAgent, 60)))")
        }
        if createdByChain {
            return (.createdByChain, ["this key was created by an investigated identity"] + reasons)
        }
        if !newNets.isEmpty || concurrent(c.sources) != nil { return (.stolen, reasons) }
        if !newAgents.isEmpty { return (.suspicious, reasons) }
        if !hasBaseline { return (.noBaseline, ["no baseline before the window to compare with"]) }
        return (.normal, [])
    }

    /// Two addresses of different networks used within `concurrentWindow` of each other.
    static func concurrent(_ sources: [SourceUse]) -> (String, String)? {
        let ips = sources.filter { $0.network != "via AWS service" && $0.network != "unknown" }
        for (i, a) in ips.enumerated() {
            for b in ips[(i + 1)...] where a.network != b.network {
                let gap = max(a.firstSeen, b.firstSeen) - min(a.lastSeen, b.lastSeen)
                if gap <= concurrentWindow { return (a.source, b.source) }
            }
        }
        return nil
    }

    /// Overall verdict and the reasons for it, most important first.
    static func assess(_ r: InvestigationReport) -> (InvestigationReport.Verdict, [String]) {
        if r.input.matched == 0 {
            return (.quiet, ["No activity of \(r.target.text) in the window: nothing to judge (see Notes)."])
        }
        var strong: [String] = []
        var weak: [String] = []
        let stolen = r.credentials.filter { $0.verdict == .stolen }
        for c in stolen.prefix(5) {
            strong.append(
                "Credential \(c.accessKeyId.isEmpty ? "(none)" : c.accessKeyId) of \(IdentityName.short(c.identity)) looks stolen: \(c.reasons.first ?? "")"
            )
        }
        let severe = r.findings.filter { $0.severity >= .high }
        if !severe.isEmpty {
            strong.append(
                "\(severe.count) high or critical finding(s): \(Lists.join(Array(Set(severe.map(\.detector))).sorted(), max: 6))"
            )
        }
        let planted = r.persistence.filter { $0.kind != .instance && $0.kind != .securityGroupRule }
        let external = r.persistence.filter { $0.kind == .roleTrust && !$0.detail.isEmpty }
        if !planted.isEmpty {
            let active = planted.filter { $0.status == "active" }.count
            let text =
                "\(planted.count) persistence change(s) (\(active) still active): \(Lists.join(planted.map { "\($0.kind.label) \(ReportText.artifactName($0))" }, max: 5))"
            if r.chain.contains(where: { $0.kind == .assumedRole }) || !external.isEmpty || !stolen.isEmpty {
                strong.append(text)
            } else {
                weak.append(text)
            }
        }
        if r.adjacent.contains(where: { $0.relation == "changed_trust" }) {
            strong.append("Another identity assumed a role whose trust policy was changed by the chain")
        }
        let medium = r.findings.filter { $0.severity == .medium }
        if !medium.isEmpty {
            weak.append(
                "\(medium.count) medium finding(s): \(Lists.join(Array(Set(medium.map(\.detector))).sorted(), max: 6))")
        }
        let suspicious = r.credentials.filter { $0.verdict == .suspicious }
        for c in suspicious.prefix(3) {
            weak.append("Credential \(c.accessKeyId) of \(IdentityName.short(c.identity)): \(c.reasons.first ?? "")")
        }
        let newSecrets = r.reads.filter {
            $0.firstTime == true && $0.count > 0 && [.secret, .parameter].contains($0.kind)
        }
        if newSecrets.count >= 3 {
            weak.append("\(newSecrets.count) secret(s) or parameter(s) read for the first time")
        }
        if !r.chain.filter({ $0.kind == .assumedRole && $0.from == r.rootIdentity }).isEmpty && !strong.isEmpty {
            strong.append(
                "Chained into \(Lists.join(Array(Set(r.chain.filter { $0.kind == .assumedRole }.map { IdentityName.short($0.to) })).sorted(), max: 4))"
            )
        }
        if !strong.isEmpty { return (.compromised, strong + weak) }
        if !weak.isEmpty { return (.suspicious, weak) }
        return (
            .quiet,
            [
                "Nothing unusual: no findings above low, no credential used from a new network or with a new client, no persistence created."
            ]
        )
    }
}
