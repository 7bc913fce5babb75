extension WatchEngine {
    /// Requests from other threads (signals), read by the loop between steps.
    struct Control {
        var stop = false
        var reload = false
    }

    /// Shared with the sinks and the HTTP endpoint.
    final class Shared: @unchecked Sendable {
        let metrics = Locked(MetricValues())
        let recent: Locked<RecentFindings>
        init(recent: Int) { self.recent = Locked(RecentFindings(capacity: recent)) }
    }
}
