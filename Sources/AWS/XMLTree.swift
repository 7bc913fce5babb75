import EventModel
import Foundation

/// A small element tree read from an AWS XML answer (ListObjectsV2, error bodies, STS).
/// Parsed here, byte by byte, rather than with FoundationXML: that would link libxml2 into the
/// release binary, which must run on a machine with nothing but glibc, zlib and SQLite. Only what
/// AWS answers use is read: elements, text, the five named entities and character references,
/// CDATA; declarations, comments and attributes are skipped, and a DOCTYPE is refused (no entity
/// definitions, so no expansion). Bounded: the body size is capped by the client, the tree by
/// `maxNodes` elements, `maxDepth` levels and `maxText` bytes of text per element.
public final class XMLNode: @unchecked Sendable {
    /// Element name without namespace prefix.
    public let name: String
    /// Text directly inside the element, trimmed of surrounding whitespace.
    public fileprivate(set) var text = ""
    /// Child elements in document order.
    public fileprivate(set) var children: [XMLNode] = []
    /// Raw bytes of the text while the element is open.
    fileprivate var buffer: [UInt8] = []

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
    /// Deepest nesting read (AWS answers are a few levels deep).
    public static let maxDepth = 64
    /// Most text bytes kept per element (keys are at most 1024 bytes, tokens a few KB).
    public static let maxText = 16_384

    /// Parses `data`; nil when it is not well-formed XML or exceeds the bounds.
    public static func parse(_ data: Data) -> XMLNode? {
        var reader = XMLReader(bytes: Array(data))
        return reader.document()
    }
}

/// The parser behind `XMLNode.parse`.
private struct XMLReader {
    let bytes: [UInt8]
    var i = 0
    var stack: [(raw: [UInt8], node: XMLNode)] = []
    var root: XMLNode?
    var count = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func document() -> XMLNode? {
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "<") {
                guard markup() else { return nil }
            } else {
                guard text() else { return nil }
            }
        }
        return stack.isEmpty ? root : nil
    }

    /// `<…>` at `i`: a declaration, comment, CDATA, end tag or start tag.
    mutating func markup() -> Bool {
        if starts("<?") { return skip(past: "?>") }
        if starts("<!--") { return skip(past: "-->") }
        if starts("<![CDATA[") {
            let from = i + 9
            guard let end = find("]]>", from: from) else { return false }
            append(bytes[from..<end])
            i = end + 3
            return true
        }
        if starts("<!") { return false }  // DOCTYPE and other declarations: refused
        if starts("</") { return endTag() }
        return startTag()
    }

    mutating func startTag() -> Bool {
        i += 1
        let nameStart = i
        while i < bytes.count, !isSpace(bytes[i]), bytes[i] != UInt8(ascii: ">"), bytes[i] != UInt8(ascii: "/") {
            i += 1
        }
        guard i > nameStart, i < bytes.count else { return false }
        let raw = Array(bytes[nameStart..<i])
        var quote: UInt8 = 0
        while i < bytes.count {
            let c = bytes[i]
            if quote != 0 {
                if c == quote { quote = 0 }
            } else if c == 0x22 || c == 0x27 {
                quote = c
            } else if c == UInt8(ascii: ">") {
                break
            }
            i += 1
        }
        guard i < bytes.count else { return false }
        let selfClosing = bytes[i - 1] == UInt8(ascii: "/")
        i += 1
        count += 1
        guard count <= XMLNode.maxNodes, stack.count < XMLNode.maxDepth else { return false }
        let full = String(decoding: raw, as: UTF8.self)
        let node = XMLNode(name: full.split(separator: ":").last.map(String.init) ?? full)
        if let parent = stack.last {
            parent.node.children.append(node)
        } else {
            guard root == nil else { return false }
            root = node
        }
        if selfClosing { return true }
        stack.append((raw, node))
        return true
    }

    mutating func endTag() -> Bool {
        i += 2
        let nameStart = i
        while i < bytes.count, bytes[i] != UInt8(ascii: ">") { i += 1 }
        guard i < bytes.count, let top = stack.popLast() else { return false }
        var name = bytes[nameStart..<i]
        while let last = name.last, isSpace(last) { name = name.dropLast() }
        guard name.elementsEqual(top.raw) else { return false }
        i += 1
        let text = String(decoding: top.node.buffer, as: UTF8.self)
        top.node.text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        top.node.buffer = []
        return true
    }

    /// Character data up to the next `<`, entities decoded.
    mutating func text() -> Bool {
        var out: [UInt8] = []
        while i < bytes.count, bytes[i] != UInt8(ascii: "<") {
            if bytes[i] == UInt8(ascii: "&") {
                guard let semi = find(";", from: i), semi - i <= 10, let decoded = entity(bytes[(i + 1)..<semi]) else {
                    return false
                }
                out.append(contentsOf: decoded)
                i = semi + 1
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        if stack.isEmpty { return out.allSatisfy(isSpace) }
        append(out[...])
        return true
    }

    func entity(_ name: ArraySlice<UInt8>) -> [UInt8]? {
        switch String(decoding: name, as: UTF8.self) {
        case "amp": return [0x26]
        case "lt": return [0x3C]
        case "gt": return [0x3E]
        case "quot": return [0x22]
        case "apos": return [0x27]
        case let n where n.hasPrefix("#x"):
            return UInt32(n.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { Array(String($0).utf8) }
        case let n where n.hasPrefix("#"):
            return UInt32(n.dropFirst(1)).flatMap(Unicode.Scalar.init).map { Array(String($0).utf8) }
        default: return nil
        }
    }

    mutating func append(_ text: ArraySlice<UInt8>) {
        guard let top = stack.last, top.node.buffer.count + text.count <= XMLNode.maxText else { return }
        top.node.buffer.append(contentsOf: text)
    }

    func starts(_ s: StaticString) -> Bool {
        let n = s.utf8CodeUnitCount
        guard i + n <= bytes.count else { return false }
        return s.withUTF8Buffer { bytes[i..<(i + n)].elementsEqual($0) }
    }

    func find(_ s: StaticString, from: Int) -> Int? {
        let n = s.utf8CodeUnitCount
        guard n > 0 else { return nil }
        return s.withUTF8Buffer { needle -> Int? in
            var k = from
            while k + n <= bytes.count {
                if bytes[k] == needle[0], bytes[k..<(k + n)].elementsEqual(needle) { return k }
                k += 1
            }
            return nil
        }
    }

    mutating func skip(past s: StaticString) -> Bool {
        guard let end = find(s, from: i + 2) else { return false }
        i = end + s.utf8CodeUnitCount
        return true
    }

    func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }
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
