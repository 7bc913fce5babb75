import Crypto
import Foundation

/// One request to sign, as its parts: SigV4 signs the method, the path, the query, chosen
/// headers and the payload hash, so the request is described by those and nothing else.
public struct SigningRequest: Sendable, Hashable {
    /// HTTP method, upper case.
    public var method: String
    /// The path as the service sees it, not yet percent-encoded (`/bucket/key with space`).
    public var path: String
    /// Query parameters, not yet percent-encoded, in any order (signing sorts them).
    public var query: [(String, String)]
    /// Headers to sign; `host` must be among them.
    public var headers: [(String, String)]
    /// Hex SHA-256 of the body, or `UNSIGNED-PAYLOAD` (S3 only).
    public var payloadHash: String

    /// Creates a request description.
    public init(
        method: String, path: String, query: [(String, String)] = [], headers: [(String, String)],
        payloadHash: String = SigV4.emptyPayloadHash
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.payloadHash = payloadHash
    }

    /// Equality over the parts, in order (tuples are not Equatable by themselves).
    public static func == (a: SigningRequest, b: SigningRequest) -> Bool {
        a.method == b.method && a.path == b.path && a.payloadHash == b.payloadHash
            && a.query.elementsEqual(b.query) { $0 == $1 } && a.headers.elementsEqual(b.headers) { $0 == $1 }
    }

    /// Hashes the method and path (enough to spread requests; equality checks the rest).
    public func hash(into hasher: inout Hasher) {
        hasher.combine(method)
        hasher.combine(path)
    }
}

/// AWS Signature Version 4 (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv.html):
/// pure functions from a request, credentials, a scope and a time to the signature, so every
/// step is testable with AWS's published example values and nothing reads the clock here.
public struct SigV4: Sendable {
    /// SHA-256 of the empty body, the payload hash of every GET.
    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    /// S3's payload hash for a body that is not hashed (allowed over TLS and for GET).
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"

    /// Who signs.
    public var credentials: AWSCredentials
    /// Region of the scope (`us-east-1`).
    public var region: String
    /// Service of the scope (`s3`, `sqs`, `sts`).
    public var service: String

    /// Creates a signer for one service in one region.
    public init(credentials: AWSCredentials, region: String, service: String) {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// S3 encodes each path segment once and keeps `//` and `.` as they are; the other
    /// services normalise the path and encode it twice (SigV4 docs, "canonical URI").
    var encodesPathTwice: Bool { service != "s3" }

    /// The headers to add to `request` so it is signed at `time` (seconds since the epoch):
    /// `X-Amz-Date`, `X-Amz-Security-Token` with temporary credentials, `X-Amz-Content-Sha256`
    /// for S3, and `Authorization`.
    public func signingHeaders(for request: SigningRequest, at time: Int64) -> [(String, String)] {
        let amzDate = SigV4.amzDate(time)
        var added: [(String, String)] = [("X-Amz-Date", amzDate)]
        if service == "s3" { added.append(("X-Amz-Content-Sha256", request.payloadHash)) }
        if let token = credentials.sessionToken { added.append(("X-Amz-Security-Token", token)) }
        var signed = request
        signed.headers += added
        let (canonical, signedHeaders) = canonicalRequest(signed)
        let signature = self.signature(canonical: canonical, amzDate: amzDate)
        let auth =
            "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyId)/\(scope(amzDate)), "
            + "SignedHeaders=\(signedHeaders), Signature=\(signature)"
        return added + [("Authorization", auth)]
    }

    /// A presigned query string (`X-Amz-Algorithm=…&X-Amz-Signature=…`) valid for `expires`
    /// seconds, signing only the `host` header; the payload is `UNSIGNED-PAYLOAD` for S3.
    public func presignedQuery(for request: SigningRequest, at time: Int64, expires: Int) -> [(String, String)] {
        let amzDate = SigV4.amzDate(time)
        var query = request.query
        query += [
            ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
            ("X-Amz-Credential", "\(credentials.accessKeyId)/\(scope(amzDate))"),
            ("X-Amz-Date", amzDate), ("X-Amz-Expires", String(expires)),
        ]
        if let token = credentials.sessionToken { query.append(("X-Amz-Security-Token", token)) }
        let (hostHeaders, names) = canonicalHeaders(request.headers)
        query.append(("X-Amz-SignedHeaders", names))
        var signed = request
        signed.query = query
        signed.payloadHash = service == "s3" ? SigV4.unsignedPayload : request.payloadHash
        let canonical = [
            signed.method, canonicalPath(signed.path), canonicalQuery(query), hostHeaders, names, signed.payloadHash,
        ].joined(separator: "\n")
        return query + [("X-Amz-Signature", signature(canonical: canonical, amzDate: amzDate))]
    }

    /// The canonical request and the signed header names (step 1 of the docs).
    public func canonicalRequest(_ r: SigningRequest) -> (text: String, signedHeaders: String) {
        let (headers, names) = canonicalHeaders(r.headers)
        let text = [r.method, canonicalPath(r.path), canonicalQuery(r.query), headers, names, r.payloadHash]
            .joined(separator: "\n")
        return (text, names)
    }

    /// The string to sign for a canonical request (step 2).
    public func stringToSign(canonical: String, amzDate: String) -> String {
        "AWS4-HMAC-SHA256\n\(amzDate)\n\(scope(amzDate))\n" + SigV4.hex(SHA256.hash(data: Data(canonical.utf8)))
    }

    /// The signing key for the day of `amzDate` (step 3): HMAC chain over date, region, service.
    public func signingKey(amzDate: String) -> SymmetricKey {
        func hmac(_ key: SymmetricKey, _ text: String) -> SymmetricKey {
            SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key))
        }
        let secret = SymmetricKey(data: Data(("AWS4" + credentials.secretAccessKey).utf8))
        return hmac(hmac(hmac(hmac(secret, String(amzDate.prefix(8))), region), service), "aws4_request")
    }

    /// The hex signature of a canonical request (step 4).
    public func signature(canonical: String, amzDate: String) -> String {
        let text = stringToSign(canonical: canonical, amzDate: amzDate)
        return SigV4.hex(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: signingKey(amzDate: amzDate)))
    }

    /// `YYYYMMDD/region/service/aws4_request`.
    func scope(_ amzDate: String) -> String { "\(amzDate.prefix(8))/\(region)/\(service)/aws4_request" }

    func canonicalPath(_ path: String) -> String {
        let p = path.isEmpty ? "/" : path
        let once = SigV4.uriEncode(p, keepSlash: true)
        return encodesPathTwice ? SigV4.uriEncode(once, keepSlash: true) : once
    }

    func canonicalQuery(_ query: [(String, String)]) -> String {
        let encoded: [(key: String, value: String)] = query.map { pair in
            (SigV4.uriEncode(pair.0, keepSlash: false), SigV4.uriEncode(pair.1, keepSlash: false))
        }
        let sorted = encoded.sorted { a, b in a.key == b.key ? a.value < b.value : a.key < b.key }
        return sorted.map { $0.key + "=" + $0.value }.joined(separator: "&")
    }

    /// Lower-cased, sorted, values trimmed with inner runs of spaces folded; repeated names
    /// joined with commas. Returns the header block (each line ending in `\n`) and the names.
    func canonicalHeaders(_ headers: [(String, String)]) -> (String, String) {
        var merged: [String: [String]] = [:]
        for (name, value) in headers {
            let folded = value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            merged[name.lowercased(), default: []].append(folded.trimmingCharacters(in: .whitespaces))
        }
        let names = merged.keys.sorted()
        let block = names.map { "\($0):\(merged[$0, default: []].joined(separator: ","))\n" }.joined()
        return (block, names.joined(separator: ";"))
    }

    /// RFC 3986 percent-encoding as SigV4 wants it: unreserved characters kept, everything
    /// else `%XX` with upper-case hex (space is `%20`, never `+`); `/` kept in paths.
    public static func uriEncode(_ s: String, keepSlash: Bool) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            case UInt8(ascii: "/") where keepSlash:
                out.append("/")
            default:
                let hex = Array("0123456789ABCDEF")
                out.append("%")
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 15)])
            }
        }
        return out
    }

    /// `YYYYMMDDTHHMMSSZ` for seconds since the epoch (UTC, proleptic Gregorian).
    public static func amzDate(_ time: Int64) -> String {
        let days = time >= 0 ? time / 86_400 : (time - 86_399) / 86_400
        let secs = Int(time - days * 86_400)
        let (y, m, d) = civil(days)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(y)\(two(m))\(two(d))T\(two(secs / 3600))\(two(secs / 60 % 60))\(two(secs % 60))Z"
    }

    /// Hex SHA-256 of bytes (the payload hash of a body).
    public static func sha256Hex(_ data: some DataProtocol) -> String { hex(SHA256.hash(data: data)) }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef")
        var s = ""
        for b in bytes {
            s.append(digits[Int(b >> 4)])
            s.append(digits[Int(b & 15)])
        }
        return s
    }

    /// Days since 1970-01-01 to (year, month, day); Howard Hinnant's civil_from_days.
    static func civil(_ days: Int64) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (Int(yoe + era * 400 + (m <= 2 ? 1 : 0)), Int(m), Int(d))
    }
}
