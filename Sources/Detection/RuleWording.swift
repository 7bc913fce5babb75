import EventModel

/// What a rule detector found in one event. `RuleHit.signal(for:)` turns it into
/// a `Signal` with the wording every rule detector shares, so that findings read
/// alike: a title naming the identity and what it did, an explanation in words
/// (who, what, which target, from where, with which client, in which region,
/// whether it failed) and the same content as structured facts.
public struct RuleHit {
    /// Severity of a successful occurrence (the engine lowers failed attempts).
    public var severity: Severity
    /// Verb in the past tense, used for successful calls (`stopped`).
    public var past: String
    /// Verb in its base form, used for failed calls (`tried to stop`).
    public var base: String
    /// What the verb applies to (`CloudTrail logging on trail org-trail`).
    public var object: String
    /// The target's name as logged (trail, user, policy ARN, role): the dedup
    /// key, the allow-list resource and the `target` fact unless overridden.
    public var target: String
    /// Dedup key when it differs from `target`.
    public var key: String? = nil
    /// Allow-list resource when it differs from `target`.
    public var resource: String? = nil
    /// Extra sentences of explanation (details of the request).
    public var details: [String] = []
    /// Extra structured facts (same content as `details`).
    public var facts: [Fact] = []
    /// Why this matters for a compromised workload identity (one sentence).
    public var why: String
    /// MITRE ATT&CK technique ids.
    public var mitre: [String]

    /// Creates a hit; `key` and `resource` default to `target`.
    public init(
        severity: Severity, past: String, base: String, object: String, target: String, key: String? = nil,
        resource: String? = nil, details: [String] = [], facts: [Fact] = [], why: String, mitre: [String]
    ) {
        self.severity = severity
        self.past = past
        self.base = base
        self.object = object
        self.target = target
        self.key = key
        self.resource = resource
        self.details = details
        self.facts = facts
        self.why = why
        self.mitre = mitre
    }

    /// Builds the signal for `event`. Title and explanation are appended as bytes into one
    /// buffer and made strings once: appending to a `String` piece by piece cost several hundred
    /// instructions a piece, and every finding of a rule detector is worded here.
    public func signal(for event: Event) -> Signal {
        let failed = !event.outcome.isSuccess
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        RuleText.appendName(event.identity, to: &out)
        if failed {
            RuleText.append(" tried to ", to: &out)
            RuleText.append(base, to: &out)
            out.append(0x20)
            RuleText.append(object, to: &out)
            RuleText.append(" (", to: &out)
            RuleText.appendBounded(event.outcome.errorCode, 60, to: &out)
            out.append(0x29)
        } else {
            out.append(0x20)
            RuleText.append(past, to: &out)
            out.append(0x20)
            RuleText.append(object, to: &out)
        }
        let title = String(decoding: out, as: UTF8.self)
        out.removeAll(keepingCapacity: true)
        RuleText.appendDescribe(event.identity, to: &out)
        RuleText.append(failed ? " tried to " : " ", to: &out)
        RuleText.append(failed ? base : past, to: &out)
        out.append(0x20)
        RuleText.append(object, to: &out)
        RuleText.append(" with ", to: &out)
        RuleText.append(event.action.service, to: &out)
        out.append(0x3A)
        RuleText.append(event.action.operation, to: &out)
        RuleText.append(", ", to: &out)
        RuleText.appendOrigin(event, to: &out)
        out.append(0x2E)
        if failed {
            RuleText.append(" The call failed with ", to: &out)
            RuleText.appendBounded(event.outcome.errorCode, 60, to: &out)
            if !event.outcome.errorMessage.isEmpty {
                RuleText.append(" (", to: &out)
                RuleText.appendBounded(event.outcome.errorMessage, 160, to: &out)
                out.append(0x29)
            }
            RuleText.append(", so the change was probably not made; the attempt still shows intent.", to: &out)
        }
        // The details and the why are valid text already (often the longest part, and constant
        // for a rule): joined as strings, they are copied, not checked again.
        var text = String(decoding: out, as: UTF8.self)
        for d in details {
            text += " "
            text += d
        }
        text += " "
        text += why
        return Signal(
            severity: severity, title: title, explanation: text,
            facts: RuleText.facts(event, target: target) + facts, mitre: mitre,
            key: key ?? target, failedAttempt: failed, resource: resource ?? target)
    }
}

/// Wording and bounded text shared by the rule detectors. Every piece of log text
/// that goes into a finding passes through `bounded`, because it is attacker-controlled.
public enum RuleText {
    /// Longest piece of logged text quoted in a title, explanation or fact.
    public static let maxQuoted = 200

    /// `bounded` for a String: printable ASCII within the limit (most log text) is returned as
    /// is after one scan of its bytes. Every signal's wording passes here, and the generic
    /// version reads the bytes through the protocol, several times slower.
    public static func bounded(_ text: String, _ limit: Int = maxQuoted) -> String {
        var t = text
        let printable = t.withUTF8 { u in !u.contains { $0 < 0x20 || $0 >= 0x7F } }
        guard printable else { return bounded(Substring(text), limit) }
        if t.utf8.count <= limit { return text }
        // Printable ASCII over the limit (a long user agent, in every finding): cut without a second scan.
        return t.withUTF8 { String(decoding: UnsafeBufferPointer(rebasing: $0[..<limit]), as: UTF8.self) } + "…"
    }

    /// `text` cut to `limit` characters (with an ellipsis when cut), with control
    /// characters (newlines, tabs, escapes) replaced by spaces so a title stays one line.
    public static func bounded(_ text: some StringProtocol, _ limit: Int = maxQuoted) -> String {
        // Fast path (most log text): printable ASCII no longer than the limit is kept as is.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            return text.utf8.count <= limit
                ? String(text) : String(decoding: text.utf8.prefix(limit), as: UTF8.self) + "…"
        }
        // As bytes: appending to a `String.UnicodeScalarView` and looking up each scalar's
        // general category cost some 500 instructions a character (rule descriptions, loaded
        // by the hundred, are multi-line). Category Cc is exactly U+0000–U+001F and U+007F–U+009F.
        var out: [UInt8] = []
        out.reserveCapacity(min(text.utf8.count, limit * 4) + 3)
        var n = 0
        for u in text.unicodeScalars {
            if n == limit {
                out.append(contentsOf: [0xE2, 0x80, 0xA6])  // …
                break
            }
            if isControl(u) {
                out.append(0x20)
            } else {
                UTF8.encode(u) { out.append($0) }
            }
            n += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// True for the control characters (general category Cc), which have a range of their own.
    @inline(__always) static func isControl(_ u: Unicode.Scalar) -> Bool {
        u.value < 0x20 || (u.value >= 0x7F && u.value <= 0x9F)
    }

    /// Short readable name of the identity: display name, else key, else `unknown identity`.
    public static func name(_ identity: Identity) -> String {
        if !identity.displayName.isEmpty { return bounded(identity.displayName, 120) }
        if !identity.key.isEmpty { return bounded(identity.key, 120) }
        return "unknown identity"
    }

    /// Appends `name(identity)`.
    static func appendName(_ identity: Identity, to out: inout [UInt8]) {
        if !identity.displayName.isEmpty {
            appendBounded(identity.displayName, 120, to: &out)
        } else if !identity.key.isEmpty {
            appendBounded(identity.key, 120, to: &out)
        } else {
            append("unknown identity", to: &out)
        }
    }

    /// The identity with its kind and canonical key, e.g. `Role ci-deployer (arn:…, session i-0abc)`.
    public static func describe(_ identity: Identity) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        appendDescribe(identity, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `describe(identity)`.
    static func appendDescribe(_ identity: Identity, to out: inout [UInt8]) {
        let kind: StaticString =
            switch identity.type {
            case .iamUser: "IAM user"
            case .assumedRole: "Role"
            case .root: "The root user"
            case .awsService: "AWS service"
            case .federatedUser: "Federated user"
            case .webIdentityUser: "Web-identity session"
            case .samlUser: "SAML session"
            case .identityCenterUser: "Identity Center user"
            case .awsAccount: "Account"
            default: "Identity"
            }
        append(kind, to: &out)
        if identity.type != .root {
            out.append(0x20)
            appendName(identity, to: &out)
        }
        // ` (key, session …, invoked by …)`, the parts that are present.
        var open = false
        func part(_ label: StaticString, _ text: String, _ limit: Int) {
            append(open ? ", " : " (", to: &out)
            append(label, to: &out)
            appendBounded(text, limit, to: &out)
            open = true
        }
        if !identity.key.isEmpty && identity.key != identity.displayName { part("", identity.key, 160) }
        if !identity.sessionName.isEmpty { part("session ", identity.sessionName, 80) }
        if !identity.invokedBy.isEmpty { part("invoked by ", identity.invokedBy, 80) }
        if open { out.append(0x29) }
    }

    /// `from source IP 203.0.113.7 using aws-cli (aws-cli/2.13 …) in us-east-1, account 111122223333`.
    public static func origin(_ event: Event) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        appendOrigin(event, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `origin(event)`: every full signal of a rule detector carries it.
    static func appendOrigin(_ event: Event, to out: inout [UInt8]) {
        switch event.source.kind {
        case .ip:
            let ips = event.source.ips
            append("from source IP ", to: &out)
            if ips.count > 1 {
                appendBounded(ips.joined(separator: ", "), 120, to: &out)
            } else {
                appendBounded(ips.isEmpty ? event.source.raw : ips[0], 120, to: &out)
            }
        case .awsService:
            append("from AWS service ", to: &out)
            appendBounded(event.source.raw, 120, to: &out)
        case .unknown: append("from an unknown source", to: &out)
        }
        append(" using ", to: &out)
        append(event.userAgent.family.rawValue, to: &out)
        if !event.userAgent.raw.isEmpty {
            append(" (", to: &out)
            appendBounded(event.userAgent.raw, 120, to: &out)
            out.append(0x29)
        }
        if event.region.isEmpty {
            append(" (no region)", to: &out)
        } else {
            append(" in ", to: &out)
            appendBounded(event.region, 40, to: &out)
        }
        if !event.account.isEmpty {
            append(", account ", to: &out)
            appendBounded(event.account, 40, to: &out)
        }
    }

    /// Appends the UTF-8 bytes of `text`.
    static func append(_ text: String, to out: inout [UInt8]) {
        var t = text
        t.withUTF8 { out.append(contentsOf: $0) }
    }

    /// Appends the UTF-8 bytes of `text`.
    static func append(_ text: StaticString, to out: inout [UInt8]) {
        text.withUTF8Buffer { out.append(contentsOf: $0) }
    }

    /// Appends `bounded(text, limit)`, without making the string when the text is printable ASCII.
    static func appendBounded(_ text: String, _ limit: Int, to out: inout [UInt8]) {
        var t = text
        let done = t.withUTF8 { u -> Bool in
            guard !u.contains(where: { $0 < 0x20 || $0 >= 0x7F }) else { return false }
            if u.count <= limit {
                out.append(contentsOf: u)
            } else {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: u[..<limit]))
                out.append(0xE2)  // U+2026 …
                out.append(0x80)
                out.append(0xA6)
            }
            return true
        }
        if !done { append(bounded(Substring(text), limit), to: &out) }
    }

    /// Facts every rule finding carries, in a stable order.
    public static func facts(_ event: Event, target: String) -> [Fact] {
        var out = [
            Fact("operation", bounded(event.action.operation, 120)),
            Fact("service", bounded(event.action.service, 60)),
            Fact("target", bounded(target)),
            Fact("source_ip", bounded(event.source.ips.joined(separator: ","), 120)),
            Fact("source", bounded(event.source.raw, 120)),
            Fact("user_agent_family", event.userAgent.family.rawValue),
            Fact("user_agent", bounded(event.userAgent.raw)),
            Fact("region", bounded(event.region, 40)),
            Fact("account", bounded(event.account, 40)),
        ]
        if !event.outcome.isSuccess {
            out.append(Fact("error_code", bounded(event.outcome.errorCode, 60)))
            if !event.outcome.errorMessage.isEmpty {
                out.append(Fact("error_message", bounded(event.outcome.errorMessage)))
            }
        }
        return out
    }

    /// `a, b and c` (bounded to the first 10 items).
    public static func list(_ items: [String]) -> String {
        let shown = items.prefix(10).map { bounded($0, 120) }
        let more = items.count > 10 ? ["\(items.count - 10) more"] : []
        let all = shown + more
        if all.count <= 1 { return all.first ?? "" }
        return all.dropLast().joined(separator: ", ") + " and " + all.last!
    }
}
