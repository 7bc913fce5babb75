import Baselines
import EventModel

extension Investigator {
    /// Records a chain edge and starts following its target.
    func follow(_ edge: ChainEdge, from p: PrincipalState) {
        if edges.count < 2000 { edges.append(edge) } else { edgesNotFollowed += 1 }
        switch edge.kind {
        case .changedTrust:
            doors[edge.to] = (edge.time, p.depth)
            return
        case .createdUser:
            createdUsers[edge.to] = edge.time
        case .createdAccessKey:
            if !edge.credential.isEmpty { createdKeys[edge.credential] = edge.time }
        default:
            break
        }
        open(edge, depth: p.depth + 1)
    }

    /// Follows a finding about a request to a server with a workload identity to that identity
    /// (now when the finding's identity is investigated, else once it is).
    func linkWorkload(_ f: Finding) {
        guard f.detector.hasPrefix("workflow."), f.severity >= .medium else { return }
        for w in configuration.workloads where w.identity != f.identity {
            guard let edge = WorkloadEdge.make(f, w) else { continue }
            if edges.contains(where: { $0.kind == .workload && $0.from == edge.from && $0.to == edge.to }) { continue }
            if let p = byKey[f.identity] {
                follow(edge, from: p)
            } else if workloadEdges.count < 64 {
                workloadEdges.append(edge)
            }
        }
    }

    /// Follows the waiting workload edges of a newly attributed principal.
    func followWorkloads(from p: PrincipalState) {
        let mine = workloadEdges.filter { $0.from == p.key }
        guard !mine.isEmpty else { return }
        workloadEdges.removeAll { $0.from == p.key }
        for edge in mine
        where !edges.contains(where: { $0.kind == .workload && $0.from == edge.from && $0.to == edge.to }) {
            follow(edge, from: p)
        }
    }

    /// Adds (or widens) the scope of the edge's target.
    func open(_ edge: ChainEdge, depth: Int) {
        guard depth <= configuration.maxDepth else {
            edgesNotFollowed += 1
            return
        }
        let byCredentialOnly =
            (edge.kind == .assumedRole || edge.kind == .federationToken || edge.kind == .createdAccessKey)
            && !edge.credential.isEmpty
        let bySession = edge.kind == .assumedRole && edge.credential.isEmpty && !edge.sessionName.isEmpty
        let q: PrincipalState
        if let found = byKey[edge.to] {
            q = found
            if q.depth > depth { q.depth = depth }
            q.since = min(q.since, edge.time)
        } else {
            guard principals.count < configuration.maxPrincipals else {
                edgesNotFollowed += 1
                return
            }
            q = PrincipalState(key: edge.to, depth: depth, via: edge, whole: false, since: edge.time)
            principals.append(q)
            byKey[edge.to] = q
        }
        if byCredentialOnly {
            q.credentials.insert(edge.credential)
            byCredential[edge.credential] = q
        } else if bySession {
            q.sessions.insert(edge.sessionName)
        } else {
            q.whole = true
        }
        replayHeld(for: q)
    }

    /// Records a persistence artifact created by an investigated identity.
    func recordArtifact(_ a: ArtifactRef, _ e: Event) {
        guard !a.id.isEmpty else { return }
        if artifacts[a.key] == nil && artifacts.count >= configuration.maxArtifacts {
            artifactsOmitted += 1
            return
        }
        let earlier = artifacts[a.key]
        artifacts[a.key] = ArtifactReport(
            kind: a.kind, id: a.id, owner: a.owner, detail: Clip.text(a.detail, 300), createdBy: e.identity.key,
            api: e.action.key, time: e.time, eventId: e.eventId, status: "active", changedBy: "", changedAt: 0,
            changeEventId: "")
        if a.kind == .roleTrust {
            // The policy before the first rewrite in the window (a second rewrite keeps it).
            let before =
                earlier?.previous
                ?? history.trust[a.id].map {
                    TrustBefore(document: $0.document, time: $0.time, eventId: $0.eventId)
                }
            artifacts[a.key]!.previous = before
        }
        if !a.owner.isEmpty, artifactsByOwner[a.owner]?.contains(a.key) != true {
            artifactsByOwner[a.owner, default: []].append(a.key)
        }
    }

    /// Marks artifacts removed, deactivated or replaced by a later event (by anyone).
    func applyRemovals(_ e: Event) {
        for (key, effect, owner) in PersistenceRules.removals(by: e) {
            change(key, effect, e)
            guard !owner.isEmpty, effect == .removed else { continue }
            for k in artifactsByOwner[owner] ?? [] where k != key { change(k, .removed, e) }
        }
    }

    private func change(_ key: String, _ effect: RemovalEffect, _ e: Event) {
        guard var a = artifacts[key], e.time >= a.time, e.eventId != a.eventId else { return }
        switch effect {
        case .reactivated:
            guard a.status == "deactivated" else { return }
            a.status = "active"
        case .removed, .deactivated, .replaced:
            guard a.status == "active" || (a.status == "deactivated" && effect == .removed) else { return }
            a.status = effect.rawValue
        }
        a.changedBy = e.identity.key
        a.changedAt = e.time
        a.changeEventId = e.eventId
        artifacts[key] = a
    }

    /// Later use of what the chain created: its access keys, its users, roles whose trust it opened.
    func adjacentUse(_ e: Event, after: Bool) {
        let keyId = e.identity.accessKeyId
        if !keyId.isEmpty, let t = createdKeys[keyId], e.time >= t {
            note(e, artifact: keyId, relation: "created_access_key", after: after)
        } else if let t = createdUsers[e.identity.key], e.time >= t {
            note(e, artifact: e.identity.key, relation: "created_user", after: after)
        }
        guard !doors.isEmpty, e.action.service == "sts", e.action.operation.hasPrefix("AssumeRole"),
            e.outcome.isSuccess,
            let role = ChainEdges.assumedRole(e), let door = doors[role], e.time >= door.time,
            byKey[e.identity.key] == nil
        else { return }
        note(e, artifact: role, relation: "changed_trust", after: after)
        if !after, let edge = ChainEdges.of(e).first { open(edge, depth: door.depth + 1) }
    }

    private func note(_ e: Event, artifact: String, relation: String, after: Bool) {
        let key = artifact + "|" + relation + "|" + e.identity.key + "|" + e.identity.accessKeyId
        if adjacent[key] == nil {
            guard adjacent.count < configuration.maxAdjacent else {
                adjacentOmitted += 1
                return
            }
            adjacent[key] = AdjacentReport(
                artifact: artifact, relation: relation, usedBy: e.identity.key, credential: e.identity.accessKeyId,
                count: 0, firstSeen: e.time, lastSeen: e.time, sources: [], afterWindow: false)
        }
        adjacent[key]!.count += 1
        adjacent[key]!.firstSeen = min(adjacent[key]!.firstSeen, e.time)
        adjacent[key]!.lastSeen = max(adjacent[key]!.lastSeen, e.time)
        if after { adjacent[key]!.afterWindow = true }
        let src = e.source.ips.first ?? Clip.text(e.source.raw, 64)
        if !src.isEmpty, adjacent[key]!.sources.count < 4, !adjacent[key]!.sources.contains(src) {
            adjacent[key]!.sources.append(src)
        }
    }
}

/// Which events read data, and what they read.
public enum ReadRules {
    /// True for calls that return data: secret reads, S3 object reads, Kubernetes secret reads.
    public static func isDataRead(_ e: Event) -> Bool {
        if APIClass.isSecretRead(service: e.action.service, operation: e.action.operation) { return true }
        if e.action.service == "s3" { return objectReads.contains(e.action.operation) }
        return e.resources.contains { $0.kind == .k8sSecret } && e.action.isReadOnly
    }

    static let objectReads: Set<String> = ["GetObject", "SelectObjectContent", "GetObjectAttributes", "RestoreObject"]
    static let bucketListings: Set<String> = ["ListObjects", "ListObjectsV2", "ListObjectVersions", "ListBucket"]

    /// Calls `body` with (kind, canonical id, id as logged, api) for each resource the event reads or
    /// tries to read; one call per canonical id (an event often names a resource by name and by ARN).
    public static func reads(_ e: Event, _ body: (ResourceKind, String, String, String) -> Void) {
        var seen: [(ResourceKind, String)] = []
        func emit(_ kind: ResourceKind, _ raw: String) {
            let id = canonical(kind, raw)
            if seen.contains(where: { $0.0 == kind && $0.1 == id }) { return }
            seen.append((kind, id))
            body(kind, id, raw, e.action.key)
        }
        let s = e.action.service
        let op = e.action.operation
        if APIClass.isSecretRead(service: s, operation: op) {
            var items: [(ResourceKind, String)] = []
            APIClass.secretItems(e) { items.append(($0, $1)) }
            for (kind, id) in items where !shadowed(kind, id, items) { emit(kind, id) }
            return
        }
        if s == "s3" {
            if objectReads.contains(op) {
                for r in e.resources where r.kind == .object { emit(.object, r.id) }
            } else if bucketListings.contains(op) || e.action.isReadOnly {
                for r in e.resources where r.kind == .bucket { emit(.bucket, r.id) }
            }
            return
        }
        guard e.action.isReadOnly else { return }
        for r in e.resources where r.kind == .k8sSecret { emit(.k8sSecret, r.id) }
    }

    /// One name per resource: SSM parameter ARNs become parameter names, S3 ARNs become
    /// `bucket` / `bucket/key`; other ids are kept as logged.
    public static func canonical(_ kind: ResourceKind, _ id: String) -> String {
        switch kind {
        case .parameter:
            guard id.hasPrefix("arn:"), let r = id.firstRange(of: ":parameter/") else { return id }
            let rest = id[r.upperBound...]
            return rest.contains("/") ? "/" + rest : String(rest)
        case .bucket, .object:
            return id.hasPrefix("arn:aws:s3:::") ? String(id.dropFirst(13)) : id
        default:
            return id
        }
    }

    /// A secret named by its name when the same event also names it by ARN (`…:secret:NAME-AbCdEf`).
    static func shadowed(_ kind: ResourceKind, _ id: String, _ items: [(ResourceKind, String)]) -> Bool {
        guard kind == .secret, !id.hasPrefix("arn:") else { return false }
        return items.contains { $0.0 == .secret && $0.1.hasPrefix("arn:") && $0.1.contains(":secret:" + id + "-") }
    }
}
