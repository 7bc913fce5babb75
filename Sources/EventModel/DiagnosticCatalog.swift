/// Every stable diagnostic and error code the program can print, with what it
/// means: the one source for the documentation table (`docs/diagnostics.md` is
/// generated from it and a test fails when it differs) and for a test that
/// finds every code literal in `Sources/` here.
public enum DiagnosticCatalog {
    /// One code.
    public struct Entry: Sendable, Hashable {
        /// The stable code, `<area>.<what>`.
        public var code: String
        /// What happened and what was done about it, for the docs table.
        public var meaning: String
    }

    /// A group of codes shown under one heading.
    public struct Section: Sendable, Hashable {
        /// Heading in the docs.
        public var title: String
        /// One sentence on when these codes appear.
        public var intro: String
        /// The codes, in the order the docs list them.
        public var entries: [Entry]
    }

    /// All sections, in the docs' order.
    public static let sections: [Section] = [input, cloud, decode, state, service, config, rule, preflight]

    /// Every code.
    public static var codes: Set<String> { Set(sections.flatMap { $0.entries.map(\.code) }) }

    private static func e(_ code: String, _ meaning: String) -> Entry { Entry(code: code, meaning: meaning) }

    static let input = Section(
        title: "Reading input",
        intro: "A file or stream could not be read whole; what was read before the problem is kept.",
        entries: [
            e("gzip.truncated", "the gzip stream ends early; records inflated before the cut are kept"),
            e("gzip.corrupt", "zlib data error at a byte offset; the rest of that file is skipped"),
            e("gzip.too_large", "the file inflated past `--max-decompressed-mb`; the rest is skipped"),
            e(
                "input.too_large",
                "uncompressed input (a plain file, a device such as `/dev/zero`, a pipe) longer than "
                    + "`--max-decompressed-mb`; the rest is skipped"),
            e("frame.not_json", "a line that is neither JSON nor a known text access-log line (nginx, ALB)"),
            e("frame.too_large", "a record larger than `--max-record-mb`, skipped without buffering it"),
            e("frame.too_deep", "nesting deeper than 64 levels"),
            e("frame.truncated", "the input ends inside a record"),
            e("input.not_found", "a path on the command line does not exist"),
            e("input.unreadable", "a path cannot be opened or a read failed (what was read before is kept)"),
            e(
                "input.symlink_loop",
                "a directory already visited (symbolic link loop or duplicate path) is skipped (note)"),
            e("input.digest_skipped", "a CloudTrail digest file (note)"),
        ])

    static let cloud = Section(
        title: "Cloud inputs (`s3://`)",
        intro:
            "An AWS call failed after its retries; a listing or object problem is reported and the other prefixes and objects are still read.",
        entries: [
            e(
                "aws.credentials",
                "no credentials were found along the chain (environment, profile, web identity, container, IMDS), or a link of it failed"
            ),
            e(
                "aws.access_denied",
                "403 / `AccessDenied` (also a KMS key the caller may not use, or a bad signature or expired token)"),
            e("aws.not_found", "404 / `NoSuchBucket` / `NoSuchKey`: the bucket or object does not exist (any more)"),
            e("aws.throttled", "still throttled (`SlowDown`, 429, `Throttling*`) after the retries with backoff"),
            e(
                "aws.request_failed",
                "the connection failed, a 5xx persisted, or an object's body broke off and could not be resumed"),
            e("aws.bad_response", "an answer that is not what the API documents, or larger than its bound"),
            e("aws.config", "the AWS setup is unusable (no HTTP client, a bad endpoint)"),
        ])

    static let decode = Section(
        title: "Decoding records",
        intro: "One record could not become an event (or became one with a caveat); the next record is read.",
        entries: [
            e("decode.not_json", "a record that does not start like JSON"),
            e("decode.syntax", "malformed JSON inside a record"),
            e("decode.too_deep", "a record nested deeper than the JSON reader's limit"),
            e("decode.too_large", "an OCSF API Activity record whose CloudTrail transcript passes 256 KiB; skipped"),
            e("decode.not_object", "a record that is not a JSON object"),
            e("decode.invalid_utf8", "invalid UTF-8 in a string (replaced by U+FFFD, event kept; warning)"),
            e("decode.missing_field", "a required field (`eventTime`, `eventName`) is missing"),
            e("decode.bad_time", "the event time is not a real time (`2025-02-30`, year 0, `yesterday`)"),
            e(
                "decode.missing_identity",
                "the record names no caller, said in its source's terms: CloudTrail no `userIdentity`, Kubernetes "
                    + "no `user`, Azure no caller (warning; the event is still checked by rule detectors). Not raised "
                    + "for CloudTrail `AwsServiceEvent` and Insights records, which have none by design; a GCP entry "
                    + "without a principal is public access (`gcp:anonymous`)"),
            e("decode.unknown_format", "a JSON object no format (and no workflow mapping) claims"),
            e(
                "decode.unsupported_event",
                "a known envelope carrying something else (a GCP non-audit payload, a CloudWatch Logs control message)"),
            e("decode.not_event", "JSON that is metadata rather than an event (`{\"Records\":[]}`; note)"),
            e("decode.digest_file", "a CloudTrail digest record (note)"),
            e(
                "decode.k8s_non_final_stage",
                "a Kubernetes audit record at `RequestReceived` / `ResponseStarted` (note: the request counts once, "
                    + "at `ResponseComplete`)"),
            e(
                "decode.azure_operation_started",
                "an Azure `Start` / `Accept` record whose outcome is a later record (note)"),
            e(
                "decode.mapping_skipped",
                "a workflow server's non-request line, recognised by its mapping's `skip:` (note)"),
        ])

    static let state = Section(
        title: "State file and output",
        intro: "The run stops with exit status 1 (nothing in the state file is changed by a refused open).",
        entries: [
            e("state.open", "the state file (or its lock file) cannot be opened or created"),
            e(
                "state.locked",
                "another process (its PID is named) is writing this state file; one writer at a time"),
            e("state.corrupt", "the file is not an SQLite database or fails SQLite's `quick_check`"),
            e("state.schema", "not a trailhound state file, or one of another schema version; refused unchanged"),
            e("state.read", "reading saved baselines, detector state or input positions failed"),
            e("state.write", "a checkpoint could not be written (disk full, I/O error); the previous one stays"),
            e("output.write", "an output file (`--events-out`, `--output`) could not be written; exit status 1"),
        ])

    static let service = Section(
        title: "The live service (`watch`)",
        intro: "What the service noticed about the files it follows and the sinks it delivers to.",
        entries: [
            e(
                "tail.rotated",
                "a followed file was replaced (rotation, delete and recreate): the old one is read to its end, then the new one (note)"
            ),
            e(
                "tail.truncated",
                "a followed file was truncated (copy-truncate); lines appended before it are read from the rotated copy when found (note)"
            ),
            e(
                "tail.resumed_rotated",
                "rotated while stopped: the rest of the rotated file is read from the saved position, then the new one (note)"
            ),
            e(
                "webhook.unavailable",
                "the webhook receiver cannot be reached or answers 5xx; findings wait in the outbox, retried with "
                    + "backoff (warning)"),
            e("webhook.rejected", "the receiver refused a finding with a 4xx status; that finding is skipped"),
            e(
                "webhook.dead_letter",
                "a finding the receiver failed `max_attempts` times was moved to the dead-letter file; the next one "
                    + "is sent"),
            e("webhook.dead_letter_failed", "the dead-letter file could not be appended to; the finding stays queued"),
            e(
                "sink.unavailable",
                "a receiver (slack, pagerduty, splunk_hec, elasticsearch; named in the message) cannot be reached, "
                    + "fails the TLS handshake, or answers busy/5xx; findings wait in the outbox (warning)"),
            e(
                "sink.rejected",
                "a receiver refused findings for good (bad payload, invalid token, a `_bulk` item rejected); they are "
                    + "skipped and counted"),
            e(
                "sink.dead_letter",
                "a request a receiver failed `max_attempts` times was moved to that sink's dead-letter file"),
            e(
                "sink.dead_letter_failed",
                "a sink's dead-letter file could not be appended to; the findings stay queued"),
            e(
                "tail.position_lost",
                "the file read at the last checkpoint is gone (rotated and removed?): the current file is read from its start (warning)"
            ),
            e(
                "sqs.malformed",
                "an SQS message body is not valid JSON, or an S3 key in it has a bad %-escape; the message is not deleted "
                    + "(the queue's redrive policy decides)"),
            e(
                "sqs.unrecognised",
                "an SQS message is JSON but no S3 notification shape (S3 event, SNS, EventBridge, CloudTrail's "
                    + "s3Bucket/s3ObjectKey); not deleted"),
            e("sqs.too_large", "an SQS message body, or the objects it names, exceed their bounds; not deleted"),
            e(
                "sqs.object_failed",
                "an object a message names could not be read (missing, access denied, request failed); the message "
                    + "is not deleted and comes back after its visibility timeout"),
            e(
                "sqs.request_failed",
                "ReceiveMessage, DeleteMessageBatch or ChangeMessageVisibility failed; retried with backoff (a "
                    + "message not deleted comes back and its events are dropped as repeats)"),
        ])

    static let config = Section(
        title: "Configuration",
        intro: "Detector, mapping and service config problems; all are reported at once, then exit status 64.",
        entries: [
            e("config.unreadable", "a config file or directory cannot be read"),
            e("config.yaml", "YAML syntax error"),
            e("config.empty", "an empty config file, or a directory with no config files"),
            e("config.version", "missing or unsupported `version:`"),
            e("config.unknown_key", "a key the schema does not have (typos are not ignored)"),
            e("config.duplicate_key", "a key given twice in one mapping"),
            e("config.missing_key", "a required key is missing"),
            e("config.type", "a value of the wrong type"),
            e("config.value", "a value that is not allowed"),
            e("config.missing_secret", "a sink's token, routing key or password (or its `*_env` variable) is missing"),
            e(
                "config.insecure_url",
                "a sink that sends a secret has a plain http:// URL beyond loopback; use https://"),
            e("config.ca_bundle", "`http_client.ca_bundle` cannot be read or holds no PEM certificate"),
            e("config.range", "a number out of its range"),
            e("config.duplicate_id", "one detector configured in two files"),
            e("config.unknown_detector", "a file names a detector that does not exist"),
            e("config.allowlist_empty", "an allow-list entry that would match everything"),
            e(
                "config.skip_swallows_requests",
                "a format mapping whose `skip:` only requires keys, so request lines its `match:` misses would be "
                    + "omitted as notes (a `validate` warning; scans run)"),
            e(
                "config.unsupported_scheme",
                "an input given as a URL (`sqs://`, `gs://`, …) whose scheme this command does not read (`watch` reads none yet)"
            ),
            e(
                "config.network_classes",
                "a network-class snapshot (`detectors/networks/*.tsv[.gz]`) that cannot be read, or a line of it that "
                    + "is not `<cidr><TAB><class>` (warning: the other lines load)"),
            e("config.insecure_listen", "the HTTP endpoint would listen beyond loopback without a token"),
            e(
                "config.weak_token",
                "an HTTP token shorter than 16 characters beyond loopback, or one with surrounding blanks or "
                    + "control characters"),
        ])

    static let rule = Section(
        title: "Rule files (Sigma)",
        intro:
            "Printed by `validate`, `scan` and `watch` per rule file as `file:line:col`; a rule with a "
            + "warning or error is skipped and the other rules load (errors in a tuning file are `config.*` "
            + "and refuse the run).",
        entries: [
            e("rule.yaml", "a rule file is not valid YAML, is empty, or is not a mapping"),
            e("rule.unreadable", "a rule file cannot be read as UTF-8 or is larger than 1 MiB"),
            e("rule.missing_key", "`title`, `logsource`, `detection` or `detection.condition` is missing"),
            e("rule.type", "a key has the wrong type (a mapping where a value belongs, …)"),
            e("rule.unknown_key", "a top-level key Sigma does not define (warning; the rule still loads)"),
            e("rule.logsource", "a `logsource` naming no provider Trailhound reads"),
            e("rule.modifier", "a value modifier the engine does not implement (`utf16le`, `expand`, …)"),
            e("rule.condition", "a condition that does not parse or names an undefined search identifier"),
            e("rule.aggregation", "an aggregation after a pipe in the condition (`count()`, `near`)"),
            e("rule.correlation", "a correlation rule, a filter, or a multi-document rule collection"),
            e("rule.timeframe", "`timeframe:` (a window over several events)"),
            e("rule.unknown_field", "a field the provider's records never have, so the rule could never match"),
            e("rule.regex", "a regular expression that does not compile"),
            e("rule.value", "a value that cannot be used (bad CIDR, not a number for `gt`, too long, unknown level)"),
            e("rule.duplicate_id", "two rules with the same detector id; the later one is skipped"),
            e("rule.partial", "the rule loads but some events it names cannot reach it (said why; warning)"),
            e("rule.tuning_unmatched", "a tuning entry whose `match` selects no loaded rule (warning)"),
        ])

    static let preflight = Section(
        title: "What the service needs (`watch --check-config` and start)",
        intro: "Checked before the service starts and by `--check-config`; any of them refuses the start (exit 1).",
        entries: [
            e("preflight.state_dir_missing", "the state file's directory does not exist"),
            e(
                "preflight.state_not_writable",
                "files cannot be created in the state file's directory, or the state file cannot be opened for writing"),
            e(
                "preflight.input_missing",
                "an input directory, or the directory a followed file will appear in, is missing"),
            e(
                "preflight.input_unreadable",
                "an input cannot be read or listed, or is a file where a directory is expected"),
            e("preflight.output_dir_missing", "the findings file's directory does not exist"),
            e(
                "preflight.output_not_writable",
                "the findings file (or its directory, where it is rotated) is not writable"),
            e("preflight.listen_unavailable", "the HTTP listen address cannot be bound (in use, not local)"),
        ])

    /// The docs page: a heading, then one table per section.
    public static func markdown() -> String {
        var out = "# Diagnostics and error codes\n\n"
        out += "<!-- Generated from Sources/EventModel/DiagnosticCatalog.swift; "
        out += "TRAILHOUND_RECORD=1 swift test --filter DiagnosticCatalog rewrites it. -->\n\n"
        out += "Every problem is printed on stderr as `path:line: level: message [code]` (`path:#N` for the N-th "
        out += "record of a `Records` array, `path:line:col` in config files), counted in the summary by code, and "
        out += "the rest of the input is still processed. Text that comes from the input is printed with its "
        out += "control characters escaped (`\\u{1B}`). At most 20 diagnostics per code are printed; the rest are "
        out += "counted.\n"
        for s in sections {
            out += "\n## \(s.title)\n\n\(s.intro)\n\n| code | meaning |\n|---|---|\n"
            for e in s.entries { out += "| `\(e.code)` | \(e.meaning) |\n" }
        }
        return out
    }
}
