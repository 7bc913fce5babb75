import EventModel
import Formats
import Ingest

/// What decoding a file produces, in input order: events and diagnostics.
public enum DecodedItem: Sendable {
    /// A decoded event.
    case event(Event)
    /// A problem with the input (counted and reported by the consumer).
    case diagnostic(Diagnostic)
}

/// inflate → frame → decode for one file at a time, with no detection, so that
/// several files can be decoded on several threads while detection stays
/// single-threaded and in order. One instance per thread (buffers are reused).
public final class FileDecoder {
    private let reader: RecordReader
    private var decoder: RecordDecoder

    /// Creates a decoder with the ingest limits, the workflow-log mappings, the rules'
    /// interest in raw records and the front-door endpoint catalogue.
    public init(
        options: IngestOptions, mappings: [WorkflowMapping] = [], rawInterest: RawInterest = .none,
        frontDoor: FrontDoorConfig = FrontDoorConfig()
    ) {
        reader = RecordReader(options: options)
        decoder = RecordDecoder(mappings: mappings, rawInterest: rawInterest, frontDoor: frontDoor)
    }

    /// Which events keep their provider record (`Event.raw`); set when the loaded rules change.
    public var rawInterest: RawInterest {
        get { decoder.rawInterest }
        set { decoder.rawInterest = newValue }
    }

    /// Decodes a whole file, calling `sink` with items in order and `progress`
    /// with the compressed bytes consumed so far. Returns the file's stats and
    /// the number of records framed.
    public func decode(
        _ file: InputFile, progress: ((Int64) -> Void)? = nil, sink: (DecodedItem) -> Void
    ) -> FileStats {
        reader.read(
            file, onProgress: progress,
            onRecord: { bytes, info in self.record(bytes, info.origin, isText: info.isText, sink) },
            onDiagnostic: { sink(.diagnostic($0)) })
    }

    /// Decodes one framed record (`isText`: a text line, for the text formats).
    public func record(
        _ bytes: UnsafeRawBufferPointer, _ origin: Origin, isText: Bool = false, _ sink: (DecodedItem) -> Void
    ) {
        let result = isText ? decoder.decodeText(bytes, origin: origin) : decoder.decode(bytes, origin: origin)
        for w in decoder.warnings { sink(.diagnostic(w)) }
        deliver(result, origin, sink)
    }

    private func deliver(_ result: DecodeResult, _ origin: Origin, _ sink: (DecodedItem) -> Void) {
        switch result {
        case .event(let event):
            // `decode.missing_identity` comes with the decoder's warnings, in the format's terms.
            sink(.event(event))
        case .skipped(let d), .failed(let d):
            sink(.diagnostic(d))
        case .omitted(let reason):
            // A note: counted in the summary by code, never printed (see DiagnosticReporter).
            sink(
                .diagnostic(
                    Diagnostic(
                        origin: origin, level: .note, code: reason,
                        message: "record repeats a request counted once; omitted")))
        case .batch(let list):
            for r in list { deliver(r, origin, sink) }
        }
    }
}
