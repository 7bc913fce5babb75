extension String {
    /// Calls `body` with the string's UTF-8 bytes, read in place when they are contiguous (a
    /// native string's always are): `var` + `withUTF8` copied the string first, a retain and a
    /// release per call, on paths that run for every event or every string of a finding line.
    @inlinable @inline(__always)
    public func withUTF8Bytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        if let r = try utf8.withContiguousStorageIfAvailable(body) { return r }
        var copy = self
        return try copy.withUTF8(body)
    }
}
