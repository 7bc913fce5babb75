extension ConformanceScanner {
    /// Opens the body's scope and records a conformance, or the reason it cannot be listed.
    mutating func record(_ h: Header) {
        let kind = h.keyword.text
        let isExtension = kind == "extension"
        let enclosing = scopes.compactMap { scope -> String? in
            if case .type(let name, _) = scope { return name }
            return nil
        }
        let qualified = isExtension ? h.name.joined(separator: ".") : (enclosing + h.name).joined(separator: ".")
        pending = .type(qualified, generic: h.generic)
        if h.generic && !isExtension { result.genericTypes.insert(qualified) }
        let conforms = h.inherited.contains { names($0) }
        if kind == "protocol" {
            if conforms || h.whereClause.contains(where: { $0.name == protocolName }) {
                result.errors.append(
                    error(
                        h.keyword,
                        "protocol '\(qualified)' refines \(protocolName): types conforming to it would not be "
                            + "found; declare the conformance to \(protocolName) on each type"))
            }
            return
        }
        guard conforms else { return }
        if let problem = unlistable(h, qualified) {
            result.errors.append(error(h.keyword, problem))
            return
        }
        result.conformances.append(
            Conformance(
                typeName: qualified, file: file, line: h.keyword.line, column: h.keyword.column,
                viaExtension: isExtension))
    }

    /// Why a conforming declaration cannot be named by a generated list in another file, if so.
    func unlistable(_ h: Header, _ name: String) -> String? {
        let p = protocolName
        if h.generic || scopes.contains(where: { if case .type(_, true) = $0 { true } else { false } }) {
            return "generic type '\(name)' conforms to \(p): the generated list can hold only concrete types; "
                + "declare a non-generic type for the detector"
        }
        if scopes.contains(.other) {
            return "local type '\(name)' conforms to \(p): the generated list cannot name a type declared in a "
                + "function or closure; declare it at file scope"
        }
        let mods = modifiers(before: h.keywordIndex)
        if mods.contains("private") || mods.contains("fileprivate") {
            return "'\(name)' conforms to \(p) but is private: the generated list (another file) cannot name it; "
                + "make it internal or public"
        }
        if conditionalDepth > 0 {
            return "'\(name)' conforms to \(p) inside #if: the generator does not evaluate build conditions; "
                + "declare the conformance outside #if"
        }
        if !h.whereClause.isEmpty {
            return "'\(name)' conforms to \(p) under a where clause: a conditional conformance cannot be listed; "
                + "conform unconditionally"
        }
        return nil
    }
}
