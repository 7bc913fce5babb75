import Baselines
import Detection
import EventModel

extension SecretsEnumeration {
    /// Format of `snapshot()`. Version 1 held only the open low-and-slow windows; version 2
    /// appends the burst window, its evidence, the listing and the report mark to each
    /// entry and keeps every identity. Both are read.
    static let snapshotVersion: UInt8 = 2

    /// Saves every identity's burst and low-and-slow windows, evidence, listing and report marks.
    public func snapshot() -> [UInt8]? {
        BinaryWriter.encoded(version: Self.snapshotVersion) { w in
            states.encode(into: &w) { st, w in
                Self.encodeSlow(st, &w)
                Self.encodeBurst(st, &w)
            }
        }
    }

    /// Restores state saved by `snapshot()` (version 1 or 2); bad data is ignored as a whole.
    public func restore(_ bytes: [UInt8]) {
        let restored = StateCodec.decode(bytes, versions: 1...2) { version, r throws(BinaryDecodeError) in
            try states.decoded(from: &r) { r throws(BinaryDecodeError) in
                let st = try decodeSlow(&r)
                if version >= 2 { try decodeBurst(&r, into: st) }
                return st
            }
        }
        if let restored { states = restored }
    }

    /// The identity and the low-and-slow window (the layout of version 1).
    private static func encodeSlow(_ st: State, _ w: inout BinaryWriter) {
        w.string(st.identity.key)
        w.string(st.identity.type.rawValue)
        w.string(st.identity.accountId)
        w.string(st.identity.displayName)
        w.string(st.account)
        w.int(st.slowStart)
        w.int(st.slowLast)
        w.uint(st.slowOverflow)
        w.uint(st.slowItems.count)
        for h in st.slowItems { w.u64(h) }
        w.strings(st.slowNames)
        w.evidence(st.slowEvidence)
    }

    private static func encodeBurst(_ st: State, _ w: inout BinaryWriter) {
        st.burst.encodeFlagged(into: &w)
        w.uint(st.burst.overflow)
        w.strings(st.burst.names)
        w.evidence(st.burst.evidence)
        w.int(st.burst.start)
        w.int(st.listedAt)
        w.string(st.listing)
        w.int(st.burst.reportedAt)
    }

    private func decodeSlow(_ r: inout BinaryReader) throws(BinaryDecodeError) -> State {
        let key = try r.text()
        let type = IdentityType(rawValue: try r.text()) ?? .unknown
        let accountId = try r.text()
        let display = try r.text()
        let e = Event(
            time: 0, account: try r.text(),
            identity: Identity(key: key, type: type, accountId: accountId, displayName: display),
            action: Action(service: "", operation: ""))
        let st = State(e)
        st.slowStart = try r.mark()
        st.slowLast = try r.mark()
        // A slow window has both ends or neither (its span is their difference).
        guard (st.slowStart == .min) == (st.slowLast == .min) else {
            throw BinaryDecodeError("slow window with one end", offset: r.offset)
        }
        st.slowOverflow = try r.uint()
        for _ in 0..<(try r.uint(max: configuration.maxTracked)) { st.slowItems.append(try r.u64()) }
        st.slowNames = try r.strings(max: State.maxNames, maxLength: StateCodec.maxText)
        st.slowEvidence = try r.evidence()
        return st
    }

    private func decodeBurst(_ r: inout BinaryReader, into st: State) throws(BinaryDecodeError) {
        let entries = try WindowedCounter<Bool>.decodeFlagged(from: &r, max: configuration.maxTracked)
        let overflow = try r.uint()
        let names = try r.strings(max: State.maxNames, maxLength: StateCodec.maxText)
        let evidence = try r.evidence()
        let start = try r.time()
        st.listedAt = try r.mark()
        st.listing = try r.text()
        st.burst = WindowedCounter(
            entries: entries, overflow: overflow, names: names, evidence: evidence, start: start,
            reportedAt: try r.mark())
    }
}
