import EventModel

/// Inline SVG pictures for the HTML report: the activity timeline and the
/// trust graph. Plain SVG 1.1 (no script, no external references); every
/// text from the logs is escaped and has a `<title>` with the full value.
enum ReportSVG {
    static let categoryColors = ["#e8590c", "#1c7ed6", "#7048e8", "#0ca678", "#adb5bd"]
    static let categoryNames = ["data read", "discovery", "change", "auth (STS)", "failed / denied"]

    static func severityColor(_ s: Severity) -> String {
        switch s {
        case .critical: "#c92a2a"
        case .high: "#e8590c"
        case .medium: "#f59f00"
        case .low: "#74b816"
        case .info: "#adb5bd"
        }
    }

    /// Stacked bars of events per bucket by category, findings as triangles above.
    static func timeline(_ a: ActivityReport) -> String {
        guard !a.buckets.isEmpty else { return "" }
        let width = 1160.0, height = 300.0
        let left = 56.0, right = 16.0, top = 40.0, bottom = 70.0
        let plotW = width - left - right, plotH = height - top - bottom
        let peak = max(1, a.buckets.map { $0.counts.reduce(0, +) }.max() ?? 1)
        let slot = plotW / Double(a.buckets.count)
        let barW = max(1.0, slot * 0.78)
        let span = Int64(a.bucketHours) * 3_600_000
        var s = svgOpen(
            width, height, label: "Activity timeline: events per \(a.bucketHours) hour(s) by category, findings marked")
        s += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotW))\" height=\"\(f(plotH))\" fill=\"#f8f9fa\"/>"
        for tick in Set([0, peak / 2, peak]).sorted() {
            let y = top + plotH - plotH * Double(tick) / Double(peak)
            s += "<line x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(left + plotW))\" y2=\"\(f(y))\" stroke=\"#dee2e6\"/>"
            s += "<text x=\"\(f(left - 6))\" y=\"\(f(y + 4))\" text-anchor=\"end\" class=\"ax\">\(tick)</text>"
        }
        for (i, b) in a.buckets.enumerated() {
            let x = left + slot * Double(i) + (slot - barW) / 2
            var y = top + plotH
            let total = b.counts.reduce(0, +)
            for (k, c) in b.counts.enumerated() where c > 0 {
                let h = plotH * Double(c) / Double(peak)
                y -= h
                s +=
                    "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(barW))\" height=\"\(f(max(h, 0.5)))\" fill=\"\(categoryColors[k])\">"
                s += "<title>\(esc(ReportText.time(b.start))): \(c) \(categoryNames[k]) of \(total)</title></rect>"
            }
        }
        let every = max(1, Int((Double(a.buckets.count) / 8).rounded(.up)))
        for (i, b) in a.buckets.enumerated() where i % every == 0 {
            let x = left + slot * Double(i) + slot / 2
            let t = Timestamp.format(b.start)
            let label = String(t.dropFirst(5).prefix(11)).replacingOccurrences("T", " ") + "h"
            s +=
                "<line x1=\"\(f(x))\" y1=\"\(f(top + plotH))\" x2=\"\(f(x))\" y2=\"\(f(top + plotH + 4))\" stroke=\"#868e96\"/>"
            s +=
                "<text x=\"\(f(x))\" y=\"\(f(top + plotH + 17))\" text-anchor=\"middle\" class=\"ax\">\(esc(label))</text>"
        }
        let start = a.buckets[0].start
        for m in a.markers {
            let x = left + plotW * Double(m.time - start) / Double(span * Int64(a.buckets.count))
            let y = top - 6
            s +=
                "<path d=\"M\(f(x - 6)) \(f(y - 12)) L\(f(x + 6)) \(f(y - 12)) L\(f(x)) \(f(y)) Z\" fill=\"\(severityColor(m.severity))\" stroke=\"#fff\" stroke-width=\"0.8\">"
            s +=
                "<title>\(esc(ReportText.time(m.time))) \(m.severity.description.uppercased()) \(esc(m.detector))</title></path>"
            s +=
                "<line x1=\"\(f(x))\" y1=\"\(f(top))\" x2=\"\(f(x))\" y2=\"\(f(top + plotH))\" stroke=\"\(severityColor(m.severity))\" stroke-opacity=\"0.35\" stroke-dasharray=\"3 3\"/>"
        }
        var lx = left
        let ly = height - 22
        for (k, name) in categoryNames.enumerated() {
            s += "<rect x=\"\(f(lx))\" y=\"\(f(ly - 10))\" width=\"12\" height=\"12\" fill=\"\(categoryColors[k])\"/>"
            s += "<text x=\"\(f(lx + 17))\" y=\"\(f(ly))\" class=\"lg\">\(name)</text>"
            lx += 30 + Double(name.count) * 7
        }
        s +=
            "<path d=\"M\(f(lx + 4)) \(f(ly - 11)) L\(f(lx + 16)) \(f(ly - 11)) L\(f(lx + 10)) \(f(ly + 1)) Z\" fill=\"#c92a2a\"/>"
        s += "<text x=\"\(f(lx + 21))\" y=\"\(f(ly))\" class=\"lg\">finding (colour = severity)</text>"
        return s + "</svg>"
    }

    /// Identities in columns by chain depth, arrows labelled with what happened.
    static func graph(_ g: TrustGraph) -> String {
        guard !g.nodes.isEmpty else { return "" }
        let boxW = 230.0, boxH = 50.0, gapX = 170.0, gapY = 48.0, pad = 20.0
        let columns = Dictionary(grouping: g.nodes, by: \.depth)
        let maxDepth = columns.keys.max() ?? 0
        let rows = columns.values.map(\.count).max() ?? 1
        let width = pad * 2 + Double(maxDepth + 1) * boxW + Double(maxDepth) * gapX
        let height = pad * 2 + Double(rows) * boxH + Double(rows - 1) * gapY + 60
        var pos: [String: (x: Double, y: Double)] = [:]
        for (d, list) in columns {
            let colH = Double(list.count) * boxH + Double(list.count - 1) * gapY
            let y0 = (height - colH) / 2 + 20
            for (i, n) in list.sorted(by: { $0.id < $1.id }).enumerated() {
                pos[n.id] = (pad + Double(d) * (boxW + gapX), y0 + Double(i) * (boxH + gapY))
            }
        }
        var s = svgOpen(width, height, label: "Trust graph: how the investigated identity reached other identities")
        s +=
            "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0 0 L10 5 L0 10 z\" fill=\"#495057\"/></marker>"
        s +=
            "<marker id=\"arrowr\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0 0 L10 5 L0 10 z\" fill=\"#c92a2a\"/></marker></defs>"
        for e in g.edges {
            guard let a = pos[e.from], let b = pos[e.to] else { continue }
            s += edge(e, a, b, boxW, boxH)
        }
        for n in g.nodes {
            guard let p = pos[n.id] else { continue }
            s += node(n, p, boxW, boxH)
        }
        return s + "</svg>"
    }

    /// Short words for an edge kind.
    static func verb(_ kind: String) -> String {
        switch kind {
        case "assumed_role": "AssumeRole"
        case "federation_token": "GetFederationToken"
        case "created_user": "CreateUser"
        case "created_access_key": "CreateAccessKey"
        case "created_login_profile": "CreateLoginProfile"
        case "changed_trust": "UpdateAssumeRolePolicy"
        case "impersonated": "impersonated"
        case "workload": "ran code as"
        case "trusts": "trusted by new policy"
        case "used": "used the opened trust"
        default: kind
        }
    }

    private static func edge(
        _ e: TrustGraph.Edge, _ a: (x: Double, y: Double), _ b: (x: Double, y: Double), _ w: Double, _ h: Double
    ) -> String {
        let danger = e.kinds.contains { $0 == "trusts" || $0 == "changed_trust" || $0 == "used" }
        let color = danger ? "#c92a2a" : "#495057"
        let path: String
        var lx: Double, ly: Double
        if e.from == e.to {
            let x0 = a.x + w * 0.35, x1 = a.x + w * 0.65
            path = "M\(f(x0)) \(f(a.y)) C\(f(x0)) \(f(a.y - 34)) \(f(x1)) \(f(a.y - 34)) \(f(x1)) \(f(a.y - 2))"
            lx = a.x + w / 2
            ly = a.y - 30
        } else if b.x > a.x {
            let x1 = a.x + w, y1 = a.y + h / 2, x2 = b.x, y2 = b.y + h / 2
            let mid = (x1 + x2) / 2
            path = "M\(f(x1)) \(f(y1)) C\(f(mid)) \(f(y1)) \(f(mid)) \(f(y2)) \(f(x2 - 2)) \(f(y2))"
            lx = mid
            ly = (y1 + y2) / 2 - 4
        } else {
            let x1 = a.x + w / 2, y1 = a.y + h, x2 = b.x + w / 2, y2 = b.y + h
            let dip = max(y1, y2) + 40
            path = "M\(f(x1)) \(f(y1)) C\(f(x1)) \(f(dip)) \(f(x2)) \(f(dip)) \(f(x2)) \(f(y2 + 2))"
            lx = (x1 + x2) / 2
            ly = dip + 4
        }
        let words = e.kinds.map(verb)
        var s =
            "<g><title>\(esc(e.from)) → \(esc(e.to)): \(esc(words.joined(separator: ", "))) at \(esc(ReportText.time(e.firstTime)))\(e.credentials.isEmpty ? "" : " (" + esc(e.credentials.joined(separator: ", ")) + ")")</title>"
        s +=
            "<path d=\"\(path)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.6\"\(e.kinds == ["trusts"] ? " stroke-dasharray=\"5 4\"" : "") marker-end=\"url(#\(danger ? "arrowr" : "arrow"))\"/>"
        let lines = words.prefix(4) + [String(ReportText.time(e.firstTime).dropFirst(5).prefix(11))]
        ly -= Double(lines.count - 1) * 12
        for (i, line) in lines.enumerated() {
            let cls = i == lines.count - 1 ? "et" : "el"
            s +=
                "<text x=\"\(f(lx))\" y=\"\(f(ly + Double(i) * 12))\" text-anchor=\"middle\" class=\"\(cls)\"\(i == lines.count - 1 ? "" : " fill=\"" + color + "\"") paint-order=\"stroke\" stroke=\"#fff\" stroke-width=\"3\">\(esc(line))</text>"
        }
        return s + "</g>"
    }

    private static func node(_ n: TrustGraph.Node, _ p: (x: Double, y: Double), _ w: Double, _ h: Double) -> String {
        let (fill, stroke): (String, String) =
            switch n.kind {
            case "target": ("#1c3d5a", "#1c3d5a")
            case "role": ("#e7f5ff", "#1c7ed6")
            case "user": ("#ebfbee", "#2f9e44")
            case "external": ("#fff5f5", "#c92a2a")
            case "federated": ("#fff9db", "#f08c00")
            default: ("#f1f3f5", "#868e96")
            }
        let textColor = n.kind == "target" ? "#ffffff" : "#212529"
        let dash = n.investigated || n.kind == "target" ? "" : " stroke-dasharray=\"4 3\""
        var s = "<g><title>\(esc(n.id))</title>"
        s +=
            "<rect x=\"\(f(p.x))\" y=\"\(f(p.y))\" width=\"\(f(w))\" height=\"\(f(h))\" rx=\"8\" fill=\"\(fill)\" stroke=\"\(stroke)\" stroke-width=\"1.5\"\(dash)/>"
        s +=
            "<text x=\"\(f(p.x + 12))\" y=\"\(f(p.y + 21))\" class=\"nl\" fill=\"\(textColor)\">\(esc(Clip.text(n.label, 30)))</text>"
        let sub = n.kind == "target" ? "investigated identity" : n.kind + (n.investigated ? " · followed" : "")
        s +=
            "<text x=\"\(f(p.x + 12))\" y=\"\(f(p.y + 38))\" class=\"ns\" fill=\"\(textColor)\" fill-opacity=\"0.75\">\(esc(sub))</text></g>"
        return s
    }

    private static func svgOpen(_ w: Double, _ h: Double, label: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(f(w)) \(f(h))\" width=\"100%\" role=\"img\" aria-label=\"\(esc(label))\" style=\"max-width:\(f(w))px\">"
    }

    /// Coordinates with one decimal.
    static func f(_ v: Double) -> String {
        let r = (v * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(r)
    }

    /// XML/HTML escaping.
    static func esc(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                if u.value < 0x20 && u != "\n" && u != "\t" { out += "\u{FFFD}" } else { out.unicodeScalars.append(u) }
            }
        }
        return out
    }
}
