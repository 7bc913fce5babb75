import EventModel
import Foundation

/// Writes normalized events as JSON lines (`scan --events-out FILE`), so that
/// what the detectors saw can be audited or diffed. Not on the default path:
/// it uses Foundation's JSONEncoder and costs about as much as the scan.
/// Output goes through `OutputFile` (temporary file + rename, devices and FIFOs
/// as streams), so a full disk is an error naming the file, never a trap.
public final class EventWriter {
    private let file: OutputFile
    private let encoder = JSONEncoder()
    private var reported = false
    /// Called once with the first write error (the scan reports it at once and exits 1 at the end).
    public var onFailure: (OutputFile.Failure) -> Void = { _ in }

    /// Opens the output; throws when it cannot be written at all.
    public init(path: String) throws(OutputFile.Failure) {
        file = try OutputFile.open(path)
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    }

    /// Appends one event.
    public func write(_ event: Event) {
        guard !file.failed, let data = try? encoder.encode(event) else { return }
        file.write(data)
        file.write(CollectionOfOne(UInt8(10)))
        if file.failed && !reported {
            reported = true
            do { try file.commit() } catch { onFailure(error) }
        }
    }

    /// Flushes and puts the file in place; throws the first error of the whole write.
    public func close() throws(OutputFile.Failure) {
        try file.commit()
    }
}
