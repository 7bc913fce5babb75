import EventModel
import Testing

@Suite("One resolver for identities typed on the command line") struct IdentityQueryTests {
    let keys = [
        "arn:aws:iam::111122223333:role/web-app", "arn:aws:iam::444455556666:role/web-app",
        "arn:aws:iam::111122223333:role/service/batch", "arn:aws:iam::111122223333:user/alice",
        "arn:aws:iam::111122223333:user/alice-admin", "k8s:system:serviceaccount:prod:web",
    ]

    @Test func textIsUnderstoodByItsShape() {
        #expect(IdentityQuery("AKIAABCDEFGHIJKLMNOP").kind == .accessKey)
        #expect(IdentityQuery("arn:aws:sts::1:assumed-role/web/i-0abc").kind == .session)
        #expect(IdentityQuery("arn:aws:iam::1:role/web").kind == .identity)
        #expect(IdentityQuery("role/web").kind == .name)
        #expect(IdentityQuery("web").kind == .name)
    }

    @Test func shortNamesMatchAWholeTrailingComponent() {
        #expect(IdentityQuery("alice").resolve(among: keys) == .found("arn:aws:iam::111122223333:user/alice"))
        #expect(IdentityQuery("user/alice").resolve(among: keys) == .found("arn:aws:iam::111122223333:user/alice"))
        #expect(IdentityQuery("batch").resolve(among: keys) == .found("arn:aws:iam::111122223333:role/service/batch"))
        #expect(IdentityQuery("web").resolve(among: keys) == .found("k8s:system:serviceaccount:prod:web"))
        #expect(IdentityQuery("lice").resolve(among: keys) == .notFound)
    }

    @Test func ambiguousNamesListEveryCandidate() {
        let both = ["arn:aws:iam::111122223333:role/web-app", "arn:aws:iam::444455556666:role/web-app"]
        #expect(IdentityQuery("web-app").resolve(among: keys) == .ambiguous(both))
        #expect(IdentityQuery("role/web-app").resolve(among: keys) == .ambiguous(both))
        let message = IdentityQuery("web-app").ambiguity(both, in: "state.db")
        #expect(message.contains("matches 2 identities in state.db"))
        #expect(message.contains("\n  arn:aws:iam::444455556666:role/web-app"))
    }

    @Test func fullKeysAndSessionArnsResolveToTheirIdentity() {
        #expect(IdentityQuery(keys[0]).resolve(among: keys) == .found(keys[0]))
        #expect(IdentityQuery("arn:aws:iam::1:role/none").resolve(among: keys) == .notFound)
        #expect(
            IdentityQuery("arn:aws:sts::111122223333:assumed-role/batch/job-7").resolve(among: keys)
                == .found("arn:aws:iam::111122223333:role/service/batch"), "the role's path is not in a session ARN")
        #expect(
            IdentityQuery("arn:aws:sts::444455556666:assumed-role/web-app/i-0abc").resolve(among: keys)
                == .found("arn:aws:iam::444455556666:role/web-app"))
        #expect(IdentityQuery("AKIAABCDEFGHIJKLMNOP").resolve(among: keys) == .notFound)
    }

    @Test func eventsMatchByKeyNameCredentialOrSession() {
        let id = Identity(
            key: "arn:aws:iam::111122223333:role/web-app", type: .assumedRole, accountId: "111122223333",
            arn: "arn:aws:sts::111122223333:assumed-role/web-app/i-0abc", accessKeyId: "ASIAWEB0000000000001")
        #expect(IdentityQuery("web-app").matches(id))
        #expect(IdentityQuery("ASIAWEB0000000000001").matches(id))
        #expect(IdentityQuery("arn:aws:sts::111122223333:assumed-role/web-app/i-0abc").matches(id))
        #expect(!IdentityQuery("arn:aws:sts::111122223333:assumed-role/web-app/i-0def").matches(id))
        #expect(!IdentityQuery("app").matches(id))
    }
}
