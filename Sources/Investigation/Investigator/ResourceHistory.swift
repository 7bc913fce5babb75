import EventModel

/// What the logs say about resources as they were before the intrusion changed or exposed
/// them, for remediation commands that restore rather than guess: the last trust policy
/// of each role (from `CreateRole` and `UpdateAssumeRolePolicy`), and the type and KMS key
/// of each SSM parameter (from `PutParameter`). Fed every successful event of the input,
/// whoever made it, before, in and after the window; bounded.
struct ResourceHistory {
    /// A trust policy as logged.
    struct Trust: Sendable, Hashable {
        /// The policy document, compacted to one line.
        var document: String
        /// When it was set (ms).
        var time: Int64
        /// Evidence.
        var eventId: String
    }

    /// A parameter's settings as last written.
    struct Parameter: Sendable, Hashable {
        /// `String`, `StringList` or `SecureString`.
        var type: String
        /// KMS key of a `SecureString` (empty: the account's default key, or not logged).
        var keyId: String
    }

    static let maxRoles = 2_000
    static let maxParameters = 5_000

    private(set) var trust: [String: Trust] = [:]
    private(set) var parameters: [String: Parameter] = [:]

    /// Folds an event in (cheap for every call other than the three it reads).
    mutating func observe(_ e: Event) {
        guard e.outcome.isSuccess, e.action.service == "iam" || e.action.service == "ssm" else { return }
        let p = e.parameters
        switch (e.action.service, e.action.operation) {
        case ("iam", "CreateRole"), ("iam", "UpdateAssumeRolePolicy"):
            let key = e.action.operation == "CreateRole" ? "assumeRolePolicyDocument" : "policyDocument"
            guard let name = p["requestParameters.roleName"], let doc = p["requestParameters." + key],
                doc.utf8.count < Limits.maxParameterValue  // a cut document cannot be restored
            else { return }
            let role = ChainEdges.roleArn(e, name)
            guard trust[role] != nil || trust.count < Self.maxRoles else { return }
            trust[role] = Trust(document: Self.compact(doc), time: e.time, eventId: e.eventId)
        case ("ssm", "PutParameter"):
            guard let name = p["requestParameters.name"], let type = p["requestParameters.type"], !type.isEmpty
            else { return }
            let id = ReadRules.canonical(.parameter, name)
            guard parameters[id] != nil || parameters.count < Self.maxParameters else { return }
            parameters[id] = Parameter(type: type, keyId: p["requestParameters.keyId"] ?? "")
        default: return
        }
    }

    /// A JSON document on one line: whitespace outside strings removed (a policy may be
    /// logged pretty-printed; JSON strings cannot hold a raw newline).
    static func compact(_ json: String) -> String {
        var out = ""
        var inString = false
        var escaped = false
        for c in json.unicodeScalars {
            if inString {
                if escaped {
                    escaped = false
                } else if c == "\\" {
                    escaped = true
                } else if c == "\"" {
                    inString = false
                }
                out.unicodeScalars.append(c)
            } else if c == " " || c == "\n" || c == "\r" || c == "\t" {
                continue
            } else {
                if c == "\"" { inString = true }
                out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
