import EventModel
import Investigation
import Testing
import TestSupport

@Suite("Chain edges") struct ChainTests {
    @Test func assumeRoleGivesEdgeWithSessionKey() {
        let e = EventBuilder.aws(
            "sts:AssumeRole", identity: "arn:aws:iam::111122223333:role/web",
            parameters: ["roleArn": "arn:aws:iam::111122223333:role/admin", "roleSessionName": "x"])
        let edges = ChainEdges.of(e)
        #expect(edges.count == 1)
        #expect(edges.first?.kind == .assumedRole)
        #expect(edges.first?.to == "arn:aws:iam::111122223333:role/admin")
        #expect(edges.first?.sessionName == "x")
    }
}
