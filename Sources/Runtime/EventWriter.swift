import EventModel
import Foundation

/// Writes normalized events as JSON lines (`scan --events-out FILE`), so that
/// what the detectors saw can be audited or diffed. Not on the default path:
/// it uses Foundation's JSONEncoder and costs about as much as the scan.
public final class EventWriter {
    private let handle: FileHandle
    private let encoder = JSONEncoder()
    private var buffer = Data()

    /// Creates (truncates) the file; nil when it cannot be opened.
    public init?(path: String) {
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let h = FileHandle(forWritingAtPath: path)
        else { return nil }
        handle = h
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    }

    /// Appends one event.
    public func write(_ event: Event) {
        guard let data = try? encoder.encode(event) else { return }
        buffer.append(data)
        buffer.append(10)
        if buffer.count >= 1 << 20 { flush() }
    }

    /// Flushes and closes the file.
    public func close() {
        flush()
        try? handle.close()
    }

    private func flush() {
        handle.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
