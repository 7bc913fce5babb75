import EventModel
import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A small element tree read from an AWS XML answer (ListObjectsV2, error bodies, STS).
/// Off the hot path, so FoundationXML's parser is fine; it is bounded: the body size is capped
/// by the client, and the tree by `maxNodes` elements and `maxText` bytes of text per element.
public final class XMLNode: @unchecked Sendable {
    /// Element name without namespace prefix.
    public let name: String
    /// Text directly inside the element, trimmed of surrounding whitespace.
    public fileprivate(set) var text = ""
    /// Child elements in document order.
    public fileprivate(set) var children: [XMLNode] = []

    init(name: String) { self.name = name }

    /// The first child called `name`.
    public func child(_ name: String) -> XMLNode? { children.first { $0.name == name } }

    /// All children called `name`.
    public func all(_ name: String) -> [XMLNode] { children.filter { $0.name == name } }

    /// The text of the element at `path` below this one (`["Error", "Code"]`), nil when absent.
    public func text(_ path: String...) -> String? {
        var node: XMLNode? = self
        for p in path { node = node?.child(p) }
        return node?.text
    }

    /// Most elements one document may have.
    public static let maxNodes = 200_000
    /// Most text bytes kept per element (keys are at most 1024 bytes, tokens a few KB).
    public static let maxText = 16_384

    /// Parses `data`; nil when it is not well-formed XML or exceeds the bounds.
    public static func parse(_ data: Data) -> XMLNode? {
        let builder = Builder()
        let parser = XMLParser(data: data)
        parser.delegate = builder
        parser.shouldProcessNamespaces = false
        guard parser.parse(), !builder.overflow, let root = builder.root else { return nil }
        return root
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var root: XMLNode?
        var stack: [XMLNode] = []
        var count = 0
        var overflow = false

        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            count += 1
            guard count <= XMLNode.maxNodes else {
                overflow = true
                parser.abortParsing()
                return
            }
            let local = name.split(separator: ":").last.map(String.init) ?? name
            let node = XMLNode(name: local)
            if let parent = stack.last { parent.children.append(node) } else if root == nil { root = node }
            stack.append(node)
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard let top = stack.last, top.text.utf8.count + string.utf8.count <= XMLNode.maxText else { return }
            top.text += string
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if let top = stack.popLast() {
                top.text = top.text.trimmingCharacters(in: .whitespacesAndNewlines)
            }
        }
    }
}

/// ISO 8601 times as AWS writes them (`2026-12-07T04:00:00Z`, `…00.000Z`, `…+00:00`) to
/// seconds since the epoch; nil for anything else.
func parseISO8601Seconds(_ s: String) -> Int64? {
    let b = Array(s.utf8)
    func num(_ at: Int, _ n: Int) -> Int? {
        guard at + n <= b.count else { return nil }
        var v = 0
        for k in at..<(at + n) {
            guard b[k] >= 48, b[k] <= 57 else { return nil }
            v = v * 10 + Int(b[k] - 48)
        }
        return v
    }
    guard b.count >= 19, let y = num(0, 4), let mo = num(5, 2), let d = num(8, 2), let h = num(11, 2),
        let mi = num(14, 2), let sec = num(17, 2), (1...12).contains(mo), (1...31).contains(d)
    else { return nil }
    var i = 19
    if i < b.count, b[i] == UInt8(ascii: ".") {
        i += 1
        while i < b.count, b[i] >= 48, b[i] <= 57 { i += 1 }
    }
    var offset = 0
    if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-"), let oh = num(i + 1, 2),
        let om = num(i + 4, 2)
    {
        offset = (oh * 3600 + om * 60) * (b[i] == UInt8(ascii: "-") ? -1 : 1)
    } else if !(i < b.count && b[i] == UInt8(ascii: "Z")) {
        return nil
    }
    let days = Int64(Timestamp.daysFromCivil(y, mo, d))
    return days * 86_400 + Int64(h * 3600 + mi * 60 + sec - offset)
}
