import ByteJSON

/// Reads the JSON 1.0 answers of the SQS calls with ByteJSON; anything unexpected is
/// `aws.bad_response` (the answer came from the network: bounded, never trusted).
enum SQSAnswers {
    /// `Messages[]` of a ReceiveMessage answer (`{}` when the long poll ended empty).
    static func messages(_ answer: [UInt8]) throws -> [SQSMessage] {
        try read(answer) { root throws(AnswerError) in
            guard let list = try field(root, "Messages") else { return [] }
            var out: [SQSMessage] = []
            var it = list.elements()
            while let m = try wrap({ () throws(JSONError) in try it.next() }) {
                guard out.count < 10_000 else { throw AnswerError.shape("too many messages") }
                out.append(try message(m))
            }
            return out
        }
    }

    private static func message(_ m: JSONValue) throws(AnswerError) -> SQSMessage {
        let id = try string(m, "MessageId", max: 256)
        let handle = try string(m, "ReceiptHandle", max: 8192)
        let body = try string(m, "Body", max: 4 << 20)
        var count = 1
        if let attrs = try field(m, "Attributes"), let n = try field(attrs, "ApproximateReceiveCount"),
            let s = try wrap({ () throws(JSONError) in try n.decodeString(maxBytes: 16) }), let v = Int(s.string)
        {
            count = v
        }
        return SQSMessage(id: id, receiptHandle: handle, body: body, receiveCount: count)
    }

    /// `Failed[]` of a batch answer: entry id and the error SQS gave.
    static func batchFailures(_ answer: [UInt8]) throws -> [(String, AWSError)] {
        try read(answer) { root throws(AnswerError) in
            guard let list = try field(root, "Failed") else { return [] }
            var out: [(String, AWSError)] = []
            var it = list.elements()
            while let f = try wrap({ () throws(JSONError) in try it.next() }) {
                let id = try string(f, "Id", max: 80)
                let code = (try? string(f, "Code", max: 256)) ?? "Unknown"
                let message = (try? string(f, "Message", max: 512)) ?? ""
                out.append(
                    (
                        id,
                        AWSError(
                            AWSError.classify(status: 400, serviceCode: code), "\(code): \(message)", serviceCode: code)
                    ))
            }
            return out
        }
    }

    /// One string member of the answer's root object.
    static func string(_ answer: [UInt8], _ name: StaticString) throws -> String {
        try read(answer) { root throws(AnswerError) in try string(root, name, max: 8192) }
    }

    /// The two message counts of a GetQueueAttributes answer.
    static func counts(_ answer: [UInt8]) throws -> (visible: Int, inFlight: Int) {
        try read(answer) { root throws(AnswerError) in
            guard let attrs = try field(root, "Attributes") else { throw AnswerError.shape("no Attributes") }
            let visible = Int(try string(attrs, "ApproximateNumberOfMessages", max: 32))
            let inFlight = Int(try string(attrs, "ApproximateNumberOfMessagesNotVisible", max: 32))
            guard let visible, let inFlight else { throw AnswerError.shape("counts are not numbers") }
            return (visible, inFlight)
        }
    }

    enum AnswerError: Error {
        case json(JSONError)
        case shape(String)
    }

    private static func read<T>(_ answer: [UInt8], _ body: (JSONValue) throws(AnswerError) -> T) throws -> T {
        let result = answer.withUnsafeBytes { b -> Result<T, AnswerError> in
            do throws(AnswerError) {
                let root = try wrap { () throws(JSONError) in try JSONReader(b, maxDepth: 16).root() }
                guard root.kind == .object else { throw AnswerError.shape("not a JSON object") }
                return .success(try body(root))
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case .success(let value): return value
        case .failure(.json(let e)):
            throw AWSError("aws.bad_response", "SQS answer is not valid JSON: \(e.description)")
        case .failure(.shape(let why)):
            throw AWSError("aws.bad_response", "unexpected SQS answer: \(why)")
        }
    }

    private static func wrap<T>(_ body: () throws(JSONError) -> T) throws(AnswerError) -> T {
        do { return try body() } catch { throw AnswerError.json(error) }
    }

    private static func field(_ v: JSONValue, _ name: StaticString) throws(AnswerError) -> JSONValue? {
        try wrap { () throws(JSONError) in try v.member(name) }
    }

    private static func string(_ v: JSONValue, _ name: StaticString, max: Int) throws(AnswerError) -> String {
        guard let f = try field(v, name),
            let s = try wrap({ () throws(JSONError) in try f.decodeString(maxBytes: max) }), !s.truncated
        else { throw AnswerError.shape("\(name) missing, not a string or longer than \(max) bytes") }
        return s.string
    }
}
