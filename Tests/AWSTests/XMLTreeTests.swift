import Foundation
import Testing

@testable import AWS

/// The AWS answers' XML reader: what S3 and STS write reads back; what they never write (a DOCTYPE,
/// unknown entities, broken nesting) is refused rather than guessed at.
@Suite struct XMLTreeTests {
    static func parse(_ s: String) -> XMLNode? { XMLNode.parse(Data(s.utf8)) }

    @Test func listObjectsAnswerReads() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
              <Name>trail</Name><IsTruncated>true</IsTruncated>
              <NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
              <!-- a comment -->
              <Contents><Key>AWSLogs/111122223333/CloudTrail/us-east-1/2025/06/09/a&amp;b.json.gz</Key>
                <Size>1024</Size></Contents>
              <Contents><Key><![CDATA[x<y>.json.gz]]></Key><Size>7</Size></Contents>
              <Contents><Key>&#233;t&#xE9;.json.gz</Key><ETag>&quot;9b2cf535&quot;</ETag><Empty/></Contents>
            </ListBucketResult>
            """
        let root = try #require(Self.parse(xml))
        #expect(root.name == "ListBucketResult")
        #expect(root.text("IsTruncated") == "true")
        let keys = root.all("Contents").compactMap { $0.text("Key") }
        #expect(
            keys == ["AWSLogs/111122223333/CloudTrail/us-east-1/2025/06/09/a&b.json.gz", "x<y>.json.gz", "été.json.gz"])
        #expect(root.all("Contents")[2].text("ETag") == "\"9b2cf535\"")
        #expect(root.all("Contents")[2].child("Empty")?.text == "")
    }

    @Test func prefixedNamesKeepTheirLocalName() throws {
        let root = try #require(Self.parse(#"<a:Error xmlns:a="u"><a:Code>AccessDenied</a:Code></a:Error>"#))
        #expect(root.name == "Error")
        #expect(root.text("Code") == "AccessDenied")
    }

    @Test(arguments: [
        "<!DOCTYPE x [<!ENTITY e \"boom\">]><x>&e;</x>", "<a><b></a></b>", "<a>&unknown;</a>", "<a>", "<a></a><b></b>",
        "text only", "<a attr=\"unterminated></a>",
        String(repeating: "<a>", count: 100) + String(repeating: "</a>", count: 100),
    ])
    func malformedOrUnsafeIsRefused(_ xml: String) {
        #expect(Self.parse(xml) == nil)
    }

    @Test func textIsBounded() throws {
        let long = String(repeating: "k", count: XMLNode.maxText + 10)
        let root = try #require(Self.parse("<a>\(long)</a>"))
        #expect(root.text.utf8.count <= XMLNode.maxText)
    }
}
