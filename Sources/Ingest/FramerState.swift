/// What the framer is inside of at the top level of the stream.
enum FramerTop: UInt8 {
    /// Between top-level values: whitespace, or the start of the next value.
    case between
    /// A top-level object that may still turn out to be a `{"Records":[…]}` document.
    case object
    /// A top-level object known to hold a `Records` array; its elements are the records.
    case records
    /// A top-level array; its elements are the records.
    case array
}

/// The state of a record that is being skipped.
enum FramerProblem: UInt8 {
    /// Not diagnosed yet; a skipped record with this state is too large, which
    /// is reported (with its exact size) when the record ends.
    case none
    /// A top-level object nested too deep: reported when the object ends,
    /// because finding a `Records` array in it first would make it irrelevant.
    case tooDeep
    /// Already diagnosed; nothing more to say when it ends.
    case reported
}

/// The framer's whole scanning state, copied into a local for each chunk so
/// the hot loop works on registers/stack rather than class properties (which
/// would cost a dynamic exclusivity check per access).
struct FramerState {
    var top = FramerTop.between
    /// Current nesting depth in the stream (0 between top-level values).
    var depth = 0
    var inString = false
    /// The chunk ended right after a backslash inside a string.
    var escapePending = false
    /// Current 1-based line.
    var line = 1
    /// Decompressed offset of the current chunk's first byte.
    var streamOffset: Int64 = 0
    /// Skipping the rest of a line after `frame.not_json` (or a skipped record in JSON lines).
    var skipLine = false
    /// The last complete top-level value sat on one line: the input is JSON
    /// lines, so a value still open at a newline is a broken line.
    var linesMode = false
    /// Line where the current top-level value started.
    var topLine = 1

    /// Depth at which array elements are records (1: top-level array, 2: `Records`); 0 for none.
    var elemDepth = 0
    /// After `[` or `,` at `elemDepth`: the next non-blank byte starts an element.
    var awaitElem = false
    /// Elements seen in this stream (1-based index of the latest).
    var elemCount = 0

    /// A record is being framed.
    var inRecord = false
    /// The record being framed is a text line (not JSON): it ends at the next newline.
    var inText = false
    /// Depth outside the record (0 for a top-level value, `elemDepth` for an element).
    var recBase = 0
    /// Index in the current chunk where the record's not-yet-carried bytes start.
    var recStart = 0
    var recLine = 0
    var recOffset: Int64 = 0
    /// Element index, or 0 for a top-level value.
    var recIndex = 0
    /// The element is not an object/array: it ends at the next `,` or `]`.
    var recScalar = false
    /// Skipping the record (too large/deep): its bytes are neither kept nor emitted.
    var recSkip = false
    var pending = FramerProblem.none

    /// At depth 1 of a top-level object the next string is a key.
    var expectKey = false
    /// Inside a depth-1 key: comparing it with `Records`.
    var keyTrack = false
    /// Bytes of `Records` matched so far, -1 on mismatch.
    var keyMatch = 0
    /// The last depth-1 key was `Records`; an `[` now starts the records array.
    var pendingRecords = false
}
