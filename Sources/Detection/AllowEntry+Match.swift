import EventModel

extension AllowEntry {
    /// True when every field that is set matches the event and signal, and the
    /// entry has not expired at the event's time.
    public func matches(_ event: Event, _ signal: Signal) -> Bool {
        if let expires, event.time > expires { return false }
        if let identity, !Glob(identity).matches(event.identity.key) { return false }
        if let account, !Glob(account).matches(event.account) { return false }
        if let operation, !Glob(operation).matches(event.action.operation) { return false }
        if let userAgentFamily, userAgentFamily != event.userAgent.family.rawValue { return false }
        if let resource, !Glob(resource).matches(signal.resource) { return false }
        if let key, !Glob(key).matches(signal.key) { return false }
        if let source, !sourceMatches(source, event.source) { return false }
        return true
    }

    private func sourceMatches(_ pattern: String, _ source: Source) -> Bool {
        if let net = CIDR(pattern) {
            return !source.ips.isEmpty && source.ips.allSatisfy { net.contains($0) }
        }
        return Glob(pattern).matches(source.raw)
    }
}
