/// A malformed-input error with a stable code and the byte offset where it was found.
///
/// Codes are the `decode.*` diagnostic codes used across the project, so callers can
/// turn a `JSONError` into a diagnostic without translating.
public struct JSONError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Sendable, Hashable {
        /// The input does not start like a JSON value at all (empty, plain text, binary).
        case notJSON = "decode.not_json"
        /// The input starts like JSON but breaks its grammar or ends early.
        case syntax = "decode.syntax"
        /// Containers are nested deeper than the reader's `maxDepth`.
        case tooDeep = "decode.too_deep"
    }

    /// Stable code.
    public var code: Code
    /// Byte offset from the start of the buffer given to the reader.
    public var offset: Int
    /// Short explanation; never quotes the input.
    public var message: StaticString

    /// Creates an error.
    public init(_ code: Code, at offset: Int, _ message: StaticString) {
        self.code = code
        self.offset = offset
        self.message = message
    }

    /// `message at byte N [code]`.
    public var description: String { "\(message) at byte \(offset) [\(code.rawValue)]" }

    /// Same code, offset and message.
    public static func == (a: JSONError, b: JSONError) -> Bool {
        a.code == b.code && a.offset == b.offset && a.message.description == b.message.description
    }

    /// Hashes code and offset.
    public func hash(into h: inout Hasher) {
        h.combine(code)
        h.combine(offset)
    }
}
