import EventModel
import Foundation
import Testing

/// `Identity.keyHash` is derived from `key` and must follow it however the identity is made:
/// per-identity state (dedup groups, the correlator's windows, a rule's repeats) is found by it.
@Suite struct IdentityKeyHashTests {
    /// FNV-1a written out in the test, byte by byte, as state files have always hashed keys.
    static func fnv1a(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in Array(s.utf8) { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h == 0 ? 1 : h
    }

    @Test(arguments: ["", "arn:aws:iam::111122223333:role/app", "k8s:system:serviceaccount:ns:n", "é日本🙂"])
    func keyHashIsTheFNVOfTheKey(_ key: String) {
        let id = Identity(key: key, type: .assumedRole)
        #expect(id.keyHash == Self.fnv1a(key))
        #expect(Identity.hash(key) == Self.fnv1a(key))
    }

    @Test func keyHashFollowsAChangedKey() {
        var id = Identity(key: "arn:aws:iam::1:user/a", type: .iamUser)
        id.key = "arn:aws:iam::1:user/b"
        #expect(id.keyHash == Self.fnv1a("arn:aws:iam::1:user/b"))
        #expect(id == Identity(key: "arn:aws:iam::1:user/b", type: .iamUser))
    }

    @Test func keyHashIsNotEncodedAndIsDerivedOnDecoding() throws {
        let id = Identity(
            key: "arn:aws:iam::1:role/r", type: .assumedRole, accountId: "1", sessionName: "s", mfa: true,
            loggedType: true, issuerType: .role)
        let data = try JSONEncoder().encode(id)
        let text = String(decoding: data, as: UTF8.self)
        #expect(!text.contains("keyHash"))
        let back = try JSONDecoder().decode(Identity.self, from: data)
        #expect(back == id)
        #expect(back.keyHash == Self.fnv1a("arn:aws:iam::1:role/r"))
    }
}
