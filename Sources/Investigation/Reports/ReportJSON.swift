import EventModel

/// The report as JSON (schema `trailhound.investigation/v1`, documented in
/// docs/investigation.md): keys sorted, lists in the report's deterministic order, times as
/// ISO-8601 UTC strings, absent values as null.
public enum ReportJSON {
    /// Pretty-printed JSON text.
    public static func render(_ r: InvestigationReport) -> String { tree(r).render() }

    /// The JSON tree.
    public static func tree(_ r: InvestigationReport) -> JSONOut {
        let graph = TrustGraph(r)
        return .object([
            "schema": .string(InvestigationReport.schema),
            "target": .object([
                "text": .string(r.target.text), "kind": .string(r.target.kind.rawValue),
                "identity": .string(r.rootIdentity),
            ]),
            "window": .object(["from": .time(r.window.from), "to": .time(r.window.to)]),
            "verdict": .string(r.verdict.rawValue),
            "reasons": .strings(r.reasons),
            "input": .object([
                "events": .int(r.input.events), "matched": .int(r.input.matched), "before": .int(r.input.before),
                "after": .int(r.input.after), "baseline_identities": .int(r.input.baselineIdentities),
            ]),
            "identities": .array(r.principals.map(principal)),
            "credentials": .array(r.credentials.map(credential)),
            "credentials_omitted": .int(r.credentialsOmitted),
            "reads": .array(r.reads.map(read)),
            "reads_omitted": .object(r.readsOmitted.mapValues { .int($0) }),
            "chain": .array(r.chain.map(edge)),
            "trust_graph": .object([
                "nodes": .array(graph.nodes.map(node)),
                "edges": .array(graph.edges.map(graphEdge)),
            ]),
            "persistence": .array(r.persistence.map(artifact)),
            "persistence_omitted": .int(r.persistenceOmitted),
            "adjacent": .array(r.adjacent.map(adjacent)),
            "adjacent_omitted": .int(r.adjacentOmitted),
            "remediation": .array(r.remediation.map(remediation)),
            "activity": activity(r.activity),
            "findings": .array(r.findings.map(finding)),
            "findings_omitted": .int(r.findingsOmitted),
            "notes": .strings(r.notes),
        ])
    }

    static func principal(_ p: PrincipalReport) -> JSONOut {
        .object([
            "identity": .string(p.identity), "type": .string(p.type.rawValue), "depth": .int(p.depth),
            "via": p.via.map(edge) ?? .null, "scope_credentials": .strings(p.scopeCredentials),
            "events": .int(p.events), "errors": .int(p.errors), "denied": .int(p.denied),
            "first_seen": .time(p.firstSeen), "last_seen": .time(p.lastSeen), "baseline_days": .opt(p.baselineDays),
            "apis": .array(
                p.apis.map { a in
                    .object([
                        "api": .string(a.api), "count": .int(a.count), "errors": .int(a.errors),
                        "first_seen": .time(a.firstSeen), "first_time": .opt(a.firstTime),
                    ])
                }),
            "apis_omitted": .int(p.apisOmitted),
            "regions": .array(p.regions.map { .object(["name": .string($0.name), "count": .int($0.count)]) }),
        ])
    }

    static func credential(_ c: CredentialReport) -> JSONOut {
        .object([
            "access_key_id": .string(c.accessKeyId), "key_kind": .string(c.keyKind.rawValue),
            "identity": .string(c.identity),
            "session_names": .strings(c.sessionNames), "instance_id": .string(c.instanceId),
            "first_seen": .time(c.firstSeen), "last_seen": .time(c.lastSeen), "events": .int(c.events),
            "sources": .array(
                c.sources.map { s in
                    .object([
                        "source": .string(s.source), "network": .string(s.network), "count": .int(s.count),
                        "first_seen": .time(s.firstSeen), "last_seen": .time(s.lastSeen),
                        "new_network": .opt(s.newNetwork),
                    ])
                }),
            "sources_omitted": .int(c.sourcesOmitted),
            "user_agents": .array(
                c.userAgents.map { a in
                    .object([
                        "user_agent": .string(a.userAgent), "family": .string(a.family.rawValue),
                        "count": .int(a.count),
                        "new_family": .opt(a.newFamily),
                    ])
                }),
            "user_agents_omitted": .int(c.userAgentsOmitted),
            "verdict": .string(c.verdict.rawValue), "reasons": .strings(c.reasons),
        ])
    }

    static func read(_ r: ReadReport) -> JSONOut {
        .object([
            "kind": .string(r.kind.rawValue), "resource": .string(r.resource), "identity": .string(r.identity),
            "count": .int(r.count), "denied": .int(r.denied), "first_seen": .time(r.firstSeen),
            "last_seen": .time(r.lastSeen),
            "apis": .strings(r.apis), "first_time": .opt(r.firstTime), "via_service": .bool(r.viaService),
            "parameter_type": r.kind == .parameter ? .opt(r.parameterType.isEmpty ? nil : r.parameterType) : .null,
        ])
    }

    static func edge(_ e: ChainEdge) -> JSONOut {
        .object([
            "kind": .string(e.kind.rawValue), "from": .string(e.from), "from_credential": .string(e.fromCredential),
            "to": .string(e.to), "credential": .string(e.credential), "session_name": .string(e.sessionName),
            "time": .time(e.time), "event_id": .string(e.eventId), "detail": .string(e.detail),
        ])
    }

    static func node(_ n: TrustGraph.Node) -> JSONOut {
        .object([
            "id": .string(n.id), "label": .string(n.label), "kind": .string(n.kind), "depth": .int(n.depth),
            "investigated": .bool(n.investigated),
        ])
    }

    static func graphEdge(_ e: TrustGraph.Edge) -> JSONOut {
        .object([
            "from": .string(e.from), "to": .string(e.to), "kinds": .strings(e.kinds), "first_time": .time(e.firstTime),
            "credentials": .strings(e.credentials),
        ])
    }

    static func artifact(_ a: ArtifactReport) -> JSONOut {
        .object([
            "kind": .string(a.kind.rawValue), "id": .string(a.id), "owner": .string(a.owner),
            "detail": .string(a.detail),
            "created_by": .string(a.createdBy), "api": .string(a.api), "time": .time(a.time),
            "event_id": .string(a.eventId),
            "status": .string(a.status), "changed_by": .string(a.changedBy), "changed_at": .time(a.changedAt),
            "change_event_id": .string(a.changeEventId),
            "previous": a.previous.map {
                .object(["document": .string($0.document), "time": .time($0.time), "event_id": .string($0.eventId)])
            } ?? .null,
        ])
    }

    static func adjacent(_ a: AdjacentReport) -> JSONOut {
        .object([
            "artifact": .string(a.artifact), "relation": .string(a.relation), "used_by": .string(a.usedBy),
            "credential": .string(a.credential), "count": .int(a.count), "first_seen": .time(a.firstSeen),
            "last_seen": .time(a.lastSeen), "sources": .strings(a.sources), "after_window": .bool(a.afterWindow),
        ])
    }

    static func remediation(_ a: RemediationAction) -> JSONOut {
        .object([
            "order": .int(a.order), "risk": .string(a.risk.description), "action": .string(a.action),
            "target": .string(a.target), "reason": .string(a.reason), "commands": .strings(a.commands),
        ])
    }

    static func activity(_ a: ActivityReport) -> JSONOut {
        .object([
            "bucket_hours": .int(a.bucketHours),
            "categories": .strings(ActivityReport.categories),
            "buckets": .array(
                a.buckets.map { b in
                    .object([
                        "start": .time(b.start),
                        "counts": .object(
                            Dictionary(
                                uniqueKeysWithValues: zip(ActivityReport.categories, b.counts.map { JSONOut.int($0) }))),
                    ])
                }),
            "markers": .array(
                a.markers.map {
                    .object([
                        "time": .time($0.time), "severity": .string($0.severity.description),
                        "detector": .string($0.detector),
                    ])
                }),
        ])
    }

    static func finding(_ f: FindingSummary) -> JSONOut {
        .object([
            "detector": .string(f.detector), "severity": .string(f.severity.description),
            "identity": .string(f.identity),
            "first_seen": .time(f.firstSeen), "last_seen": .time(f.lastSeen), "count": .int(f.count),
            "title": .string(f.title), "explanation": .string(f.explanation), "mitre": .strings(f.mitre),
            "event_ids": .strings(f.eventIds),
        ])
    }
}
