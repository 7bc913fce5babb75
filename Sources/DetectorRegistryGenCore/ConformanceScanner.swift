/// A type whose declaration (or an extension of it) names the protocol in its inheritance list.
public struct Conformance: Equatable, Sendable {
    /// The name code in the module uses for it (`Outer.Inner` for a nested type).
    public var typeName: String
    /// Where it is declared.
    public var file: String
    /// 1-based line of the declaration's keyword.
    public var line: Int
    /// 1-based column of the declaration's keyword.
    public var column: Int
    /// Declared through `extension X: P` rather than on the type itself.
    public var viaExtension: Bool

    /// Creates a conformance record.
    public init(typeName: String, file: String, line: Int, column: Int, viaExtension: Bool) {
        self.typeName = typeName
        self.file = file
        self.line = line
        self.column = column
        self.viaExtension = viaExtension
    }
}

/// What one file declares: conformances, generic type names (an extension elsewhere that makes
/// one of them conform must be refused) and the problems found.
public struct FileDeclarations: Sendable {
    /// Types conforming to the protocol.
    public var conformances: [Conformance] = []
    /// Qualified names of the generic types declared in the file.
    public var genericTypes: Set<String> = []
    /// Conformances the generator cannot list, and unreadable source.
    public var errors: [GeneratorError] = []
}

/// Reads the declaration headers of one Swift file (after `SourceStripper`) and finds the types
/// conforming to a protocol: `struct|class|enum|actor X<…>: A, P` and `extension X: P`, across
/// lines, with attributes and modifiers, nested in other types. What it cannot list for certain
/// (generic or local types, private ones, conformances under `#if` or a `where` clause, a
/// protocol or typealias standing for the protocol) is an error, never a silent omission.
public struct ConformanceScanner {
    enum Scope: Equatable {
        case type(String, generic: Bool)
        case other
    }

    static let declarationKeywords: Set<String> = ["struct", "class", "enum", "actor", "protocol", "extension"]
    static let modifiers: Set<String> = [
        "public", "internal", "package", "open", "private", "fileprivate", "final", "indirect", "nonisolated",
    ]
    /// Words that follow `class` when it is a modifier (`class func`), not a declaration.
    static let notNames: Set<String> = [
        "func", "var", "let", "subscript", "init", "deinit", "override", "static", "final", "class", "case",
        "typealias", "convenience", "required", "mutating", "nonmutating", "dynamic", "lazy", "weak", "unowned",
    ]

    let protocolName: String
    let file: String
    let tokens: [Token]
    var scopes: [Scope] = []
    var pending: Scope?
    var conditionalDepth = 0
    var result = FileDeclarations()

    /// Scans one file's bytes for types conforming to `protocolName`.
    public static func scan(file: String, source: [UInt8], protocolName: String) -> FileDeclarations {
        let stripped: [UInt8]
        do {
            stripped = try SourceStripper.strip(source)
        } catch {
            let (line, column) = position(of: error.offset, in: source)
            var r = FileDeclarations()
            r.errors.append(
                GeneratorError(
                    file: file, line: line, column: column,
                    message: "unterminated \(error.what): cannot read the declarations after it"))
            return r
        }
        var s = ConformanceScanner(protocolName: protocolName, file: file, tokens: Tokenizer.tokens(stripped))
        s.run()
        return s.result
    }

    static func position(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        var line = 1
        var lineStart = 0
        for k in 0..<min(offset, bytes.count) where bytes[k] == UInt8(ascii: "\n") {
            line += 1
            lineStart = k + 1
        }
        return (line, offset - lineStart + 1)
    }

    mutating func run() {
        var t = 0
        while t < tokens.count {
            let text = tokens[t].text
            switch text {
            case "{":
                scopes.append(pending ?? .other)
                pending = nil
            case "}":
                if !scopes.isEmpty { scopes.removeLast() }
            case "#if": conditionalDepth += 1
            case "#endif": conditionalDepth = max(0, conditionalDepth - 1)
            case "typealias": checkTypealias(at: t)
            default:
                if Self.declarationKeywords.contains(text), isDeclaration(at: t) {
                    t = header(at: t)
                    continue
                }
            }
            t += 1
        }
    }

    func isDeclaration(at t: Int) -> Bool {
        guard t + 1 < tokens.count, tokens[t + 1].isWord, !Self.notNames.contains(tokens[t + 1].text) else {
            return false
        }
        guard t > 0 else { return true }
        // `import struct M.T` and member names such as `.class` are not declarations.
        return tokens[t - 1].text != "import" && tokens[t - 1].text != "."
    }

    func error(_ token: Token, _ message: String) -> GeneratorError {
        GeneratorError(file: file, line: token.line, column: token.column, message: message)
    }

    /// A typealias that names the protocol would hide conformances made through it.
    mutating func checkTypealias(at t: Int) {
        var j = t + 1
        while j < tokens.count && tokens[j].line == tokens[t].line {
            if tokens[j].name == protocolName {
                let name = t + 1 < tokens.count ? tokens[t + 1].name : "?"
                result.errors.append(
                    error(
                        tokens[t],
                        "typealias '\(name)' names \(protocolName): types conforming through it would not be "
                            + "found; name \(protocolName) itself in their declarations"))
                return
            }
            j += 1
        }
    }
}
