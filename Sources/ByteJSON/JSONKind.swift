/// The kind of a JSON value, known from its first byte.
public enum JSONKind: UInt8, Sendable, Hashable {
    /// `{…}`
    case object
    /// `[…]`
    case array
    /// `"…"`
    case string
    /// `-1.5e3`
    case number
    /// `true`
    case `true`
    /// `false`
    case `false`
    /// `null`
    case null

    /// True for objects and arrays.
    @inlinable public var isContainer: Bool { self == .object || self == .array }
}
