import EventModel

/// What several detectors derive alike from one event, derived once: the first detector that
/// asks computes it, the others of the same engine read it (`DetectionContext.memo`). The four
/// AI-workflow detectors each built the same request from the event's parameters, about 5,000
/// instructions apiece on every workflow event.
///
/// A value is kept for one event, recognised by its id, time and origin (not by the engine's
/// order of calls), so a detector called on its own, as tests do, never reads another event's.
/// Holds at most `capacity` kinds of value; one thread (the engine's) uses it, so its properties
/// skip the runtime exclusivity check.
public final class EventMemo {
    /// Kinds of value kept at once; a detector asking for another computes it unshared.
    static let capacity = 4

    @exclusivity(unchecked) private var eventId = ""
    @exclusivity(unchecked) private var time: Int64 = .min
    @exclusivity(unchecked) private var origin = Origin(path: "", record: -1)
    @exclusivity(unchecked) private var kinds: [ObjectIdentifier] = []
    /// `Box<T>` of the kind at the same index: read back without a dynamic cast (an `Any` and
    /// `as?` cost more than the value they saved).
    @exclusivity(unchecked) private var values: [AnyObject] = []

    private final class Box<T> {
        let value: T
        init(_ value: T) { self.value = value }
    }

    /// An empty memo.
    public init() {}

    /// The value of kind `T` for `event`: computed by `make` the first time it is asked for.
    public func value<T>(_ type: T.Type, for event: Event, _ make: () -> T) -> T {
        if event.time != time || event.origin.record != origin.record || event.eventId != eventId
            || event.origin.path != origin.path
        {
            (eventId, time, origin) = (event.eventId, event.time, event.origin)
            kinds.removeAll(keepingCapacity: true)
            values.removeAll(keepingCapacity: true)
        }
        let kind = ObjectIdentifier(type)
        if let i = kinds.firstIndex(of: kind) { return unsafeDowncast(values[i], to: Box<T>.self).value }
        let v = make()
        if kinds.count < Self.capacity {
            kinds.append(kind)
            values.append(Box(v))
        }
        return v
    }
}
