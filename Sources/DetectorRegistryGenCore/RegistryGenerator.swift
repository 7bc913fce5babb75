/// Turns a module's sources into the generated registry file: every type conforming to the
/// protocol, sorted by name. Swift has no runtime type discovery, so without this list every
/// new detector would also need a line in a hand-written one; generating it keeps "one place
/// per detector" (its file, its YAML, its test).
public struct RegistryGenerator {
    /// The protocol looked for (`BuiltInDetector`).
    public let protocolName: String
    /// The name of the generated function. A function rather than a global `let`: a global
    /// array of metatypes of a non-`Sendable` protocol is a Swift 6 concurrency warning.
    public let functionName: String
    /// Modules the generated file imports (the protocol's own).
    public let imports: [String]
    private var files: [FileDeclarations] = []

    /// Creates a generator.
    public init(protocolName: String, functionName: String, imports: [String]) {
        self.protocolName = protocolName
        self.functionName = functionName
        self.imports = imports
    }

    /// Adds one source file.
    public mutating func add(file: String, source: [UInt8]) {
        files.append(ConformanceScanner.scan(file: file, source: source, protocolName: protocolName))
    }

    /// Adds a file that could not be read, so the build fails rather than miss its detectors.
    public mutating func addUnreadable(file: String, reason: String) {
        var d = FileDeclarations()
        d.errors.append(GeneratorError(file: file, line: 1, column: 1, message: "cannot read the file: \(reason)"))
        files.append(d)
    }

    /// Every conformance found, sorted by type name, or every problem found across all files.
    public func conformances() -> Result<[Conformance], GeneratorErrors> {
        var errors = files.flatMap(\.errors)
        let generic = files.reduce(into: Set<String>()) { $0.formUnion($1.genericTypes) }
        var seen: [String: Conformance] = [:]
        var listed: [Conformance] = []
        for c in files.flatMap(\.conformances) {
            if let first = seen[c.typeName] {
                errors.append(
                    error(
                        c,
                        "'\(c.typeName)' is declared to conform to \(protocolName) twice (first at \(first.file):"
                            + "\(first.line):\(first.column))"))
            } else if c.viaExtension && generic.contains(c.typeName) {
                errors.append(
                    error(
                        c,
                        "generic type '\(c.typeName)' conforms to \(protocolName): the generated list can hold "
                            + "only concrete types; declare a non-generic type for the detector"))
            } else {
                seen[c.typeName] = c
                listed.append(c)
            }
        }
        guard errors.isEmpty else { return .failure(GeneratorErrors(errors: errors)) }
        return .success(listed.sorted { $0.typeName < $1.typeName })
    }

    private func error(_ c: Conformance, _ message: String) -> GeneratorError {
        GeneratorError(file: c.file, line: c.line, column: c.column, message: message)
    }

    /// The generated Swift file, or every problem found.
    public func render() -> Result<String, GeneratorErrors> {
        conformances().map { list in
            var out = "// Generated at build time by DetectorRegistryGen (Plugins/DetectorRegistryPlugin) from this\n"
            out +=
                "// module's sources: every type declared to conform to \(protocolName). Not committed, not edited.\n"
            for module in imports { out += "import \(module)\n" }
            out += "\n/// Every type of this module that conforms to `\(protocolName)`, sorted by type name.\n"
            out += "func \(functionName)() -> [any \(protocolName).Type] {\n    [\n"
            for c in list { out += "        \(c.typeName).self,\n" }
            out += "    ]\n}\n"
            return out
        }
    }
}

/// Every problem found in one run (the build reports them all at once, not the first only).
public struct GeneratorErrors: Error, Equatable, Sendable {
    /// The problems, in file order.
    public var errors: [GeneratorError]
}
