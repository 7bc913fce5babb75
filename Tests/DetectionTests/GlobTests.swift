import EventModel
import Detection
import Testing

@Suite struct GlobTests {
    @Test(
        arguments: [
            ("arn:aws:iam::*:role/terraform-*", "arn:aws:iam::111122223333:role/terraform-ci", true),
            ("arn:aws:iam::*:role/terraform-*", "arn:aws:iam::111122223333:role/app", false),
            ("Put*Policy", "PutUserPolicy", true),
            ("Put*Policy", "PutUserPolicyX", false),
            ("*", "", true),
            ("*", "anything: at/all", true),
            ("", "", true),
            ("", "x", false),
            ("a?c", "abc", true),
            ("a?c", "ac", false),
            ("*a*b*c*", "xxaxxbxxcxx", true),
            ("*a*b*c*", "xxaxxcxxbxx", false),
            ("*.amazonaws.com", "ec2.amazonaws.com", true),
            ("*.amazonaws.com", "amazonaws.com", false),
            ("exact", "exact", true),
            ("exact", "Exact", false),
            ("a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false),
        ] as [(String, String, Bool)])
    func matches(pattern: String, text: String, expected: Bool) {
        #expect(Glob(pattern).matches(text) == expected)
    }

    @Test func pathologicalInputFinishes() {
        let text = String(repeating: "a", count: 20_000)
        #expect(!Glob("*a*a*a*a*a*a*b").matches(text))
        #expect(Glob("*a*a*a*a*a*a*").matches(text))
    }

    @Test func keepsPattern() {
        #expect(Glob("x*").pattern == "x*")
    }
}
