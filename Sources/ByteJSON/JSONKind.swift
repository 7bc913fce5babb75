/// The kind of a JSON value, known from its first byte.
public enum JSONKind: UInt8, Sendable, Hashable {
    case object
    case array
    case string
    case number
    case `true`
    case `false`
    case null

    /// True for objects and arrays.
    @inlinable public var isContainer: Bool { self == .object || self == .array }
}
