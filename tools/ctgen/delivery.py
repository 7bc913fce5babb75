"""S3 delivery layout: ~5-minute log files per account and region, late arrivals,
locally shuffled records, occasional duplicate delivery, and hourly digest files.

    AWSLogs/<acct>/CloudTrail/<region>/YYYY/MM/DD/<acct>_CloudTrail_<region>_<YYYYMMDDTHHMMZ>_<16 alnum>.json.gz
    AWSLogs/<acct>/CloudTrail-Digest/<region>/YYYY/MM/DD/<acct>_CloudTrail-Digest_<region>_<trail>_<home region>_<YYYYMMDDTHHMMSSZ>.json.gz
"""

import hashlib
import json
import os

from .core import ALNUM, HOUR, MIN, chars, compact_minute, compact_second, gz, iso, rng, ymd_path

LOG_NAME = r"^AWSLogs/\d{12}/CloudTrail/[a-z]{2}(-gov)?-[a-z]+-\d/\d{4}/\d{2}/\d{2}/\d{12}_CloudTrail_[a-z]{2}(-gov)?-[a-z]+-\d_\d{8}T\d{4}Z_[A-Za-z0-9]{16}\.json\.gz$"
DIGEST_NAME = r"^AWSLogs/\d{12}/CloudTrail-Digest/[a-z]{2}-[a-z]+-\d/\d{4}/\d{2}/\d{2}/\d{12}_CloudTrail-Digest_[a-z]{2}-[a-z]+-\d_[A-Za-z0-9._-]+_[a-z]{2}-[a-z]+-\d_\d{8}T\d{6}Z\.json\.gz$"


class LogFile:
    __slots__ = ("account", "region", "time", "key", "sha256", "oldest", "newest", "records", "raw_bytes", "gz_bytes")


class Delivery:
    """Collects rendered records and writes them as CloudTrail would deliver them.

    add() takes records in roughly time order; flush_before(t) writes every window that
    can no longer receive records; close() writes the rest and the digest chain.
    """

    def __init__(self, root, seed, trail="acme-org-trail", bucket="acme-cloudtrail-logs", home_region="us-east-1",
                 window_ms=5 * MIN, late_prob=0.03, dup_prob=0.002, max_file_bytes=None, digests=True,
                 force_duplicate=False, level=6, writer=None):
        self.root = root
        self.r = rng(seed, "delivery")
        self.trail, self.bucket, self.home = trail, bucket, home_region
        self.window_ms, self.late_prob, self.dup_prob = window_ms, late_prob, dup_prob
        self.max_file_bytes = max_file_bytes
        self.digests = digests
        self.force_duplicate = force_duplicate
        self.level = level
        self.writer = writer  # optional callable(key, uncompressed bytes) that compresses and writes elsewhere
        self.pending = {}  # (window, account, region) -> [(t, eid, bytes)]
        self.carry = {}  # (account, region) -> records re-delivered in the next file
        self.files = []
        self.duplicates = []
        self.records = 0
        self.raw_bytes = 0
        self.gz_bytes = 0
        self.regions_seen = set()
        self.seed = seed
        self._last_time = {}
        self.digest_count = 0

    def add(self, t, account, region, eid, data):
        w = t // self.window_ms
        if self.late_prob and self.r.random() < self.late_prob:
            w += 1
        k = (w, account, region)
        lst = self.pending.get(k)
        if lst is None:
            lst = self.pending[k] = []
        lst.append((t, eid, data))

    def flush_before(self, t):
        limit = t // self.window_ms - 2
        for k in sorted(k for k in self.pending if k[0] < limit):
            self._write_window(k, self.pending.pop(k))

    def close(self, span_start, span_end, regions_by_account):
        for k in sorted(self.pending):
            self._write_window(k, self.pending.pop(k))
        for key in sorted(self.carry):
            recs = self.carry.pop(key)
            self.duplicates.extend(e for _, e, _ in recs)
            self._write_file(key[0], key[1], self._last_time.get(key, span_end), recs, dup=False)
        if self.digests:
            self._write_digests(span_start, span_end, regions_by_account)

    # -- log files ---------------------------------------------------------
    def _write_window(self, key, recs):
        w, acct, region = key
        r = self.r
        # Locally shuffled: CloudTrail does not sort records inside a file.
        recs.sort(key=lambda x: x[0] + r.randrange(40000))
        name_time = (w + 1) * self.window_ms
        chunks = [recs]
        if self.max_file_bytes:
            chunks, cur, size = [], [], 0
            for rec in recs:
                if cur and size + len(rec[2]) > self.max_file_bytes:
                    chunks.append(cur)
                    cur, size = [], 0
                cur.append(rec)
                size += len(rec[2]) + 1
            chunks.append(cur)
        for chunk in chunks:
            self._write_file(acct, region, name_time, chunk)

    def _write_file(self, acct, region, name_time, recs, dup=True):
        r = self.r
        carried = self.carry.pop((acct, region), None)
        if dup and (r.random() < self.dup_prob or (self.force_duplicate and not self.duplicates and len(recs) > 3)):
            # Re-deliver 1-3 of this file's own records in the next file (never a record that is itself a copy).
            picks = [recs[r.randrange(len(recs))] for _ in range(r.randint(1, 3))]
            self.carry[(acct, region)] = list({e: (t, e, d) for t, e, d in picks}.values())
            self.force_duplicate = False
        if carried:
            recs = recs + carried
            self.duplicates.extend(e for _, e, _ in carried)
        body = b'{"Records":[' + b",".join(d for _, _, d in recs) + b"]}"
        key = "AWSLogs/%s/CloudTrail/%s/%s/%s_CloudTrail_%s_%s_%s.json.gz" % (
            acct, region, ymd_path(name_time), acct, region, compact_minute(name_time), chars(r, ALNUM, 16))
        gz_len = self._emit(key, body)
        f = LogFile()
        f.account, f.region, f.time, f.key = acct, region, name_time, key
        f.sha256 = hashlib.sha256(body).hexdigest() if self.digests else ""
        ts = [t for t, _, _ in recs]
        f.oldest, f.newest, f.records = min(ts), max(ts), len(recs)
        f.raw_bytes, f.gz_bytes = len(body), gz_len
        self.files.append(f)
        self.records += len(recs)
        self.raw_bytes += len(body)
        self.gz_bytes += gz_len
        self.regions_seen.add((acct, region))
        self._last_time[(acct, region)] = name_time

    def _emit(self, key, body):
        """Compress and write one object; returns the compressed size (0 when a writer does it elsewhere)."""
        if self.writer is not None:
            self.writer(key, body)
            return 0
        data = gz(body, self.level)
        path = os.path.join(self.root, key)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as fh:
            fh.write(data)
        return len(data)

    # -- digests -----------------------------------------------------------
    def _write_digests(self, span_start, span_end, regions_by_account):
        by_key = {}
        for f in self.files:
            by_key.setdefault((f.account, f.region), []).append(f)
        pairs = set(self.regions_seen)
        for acct, regions in regions_by_account.items():
            pairs.update((acct, reg) for reg in regions)
        for acct, region in sorted(pairs):
            files = sorted(by_key.get((acct, region), []), key=lambda f: (f.time, f.key))
            r = rng(self.seed, "digest", acct, region)
            offset = r.randrange(HOUR)
            start = span_start - HOUR + offset
            prev = None
            i = 0
            while start < span_end + HOUR:
                end = start + HOUR
                batch = []
                while i < len(files) and files[i].time < end:
                    if files[i].time >= start:
                        batch.append(files[i])
                    i += 1
                prev = self._write_digest(acct, region, start, end, batch, prev, r)
                start = end

    def _write_digest(self, acct, region, start, end, batch, prev, r):
        key = "AWSLogs/%s/CloudTrail-Digest/%s/%s/%s_CloudTrail-Digest_%s_%s_%s_%s.json.gz" % (
            acct, region, ymd_path(end), acct, region, self.trail, self.home, compact_second(end))
        doc = {"awsAccountId": acct, "digestStartTime": iso(start), "digestEndTime": iso(end),
               "digestS3Bucket": self.bucket, "digestS3Object": key,
               "digestPublicKeyFingerprint": "7bf6a2b5c6e4d3a1f0e9d8c7b6a5f4e3",
               "digestSignatureAlgorithm": "SHA256withRSA",
               "newestEventTime": iso(max(f.newest for f in batch)) if batch else None,
               "oldestEventTime": iso(min(f.oldest for f in batch)) if batch else None,
               "previousDigestS3Bucket": self.bucket if prev else None,
               "previousDigestS3Object": prev[0] if prev else None,
               "previousDigestHashValue": prev[1] if prev else None,
               "previousDigestHashAlgorithm": "SHA-256" if prev else None,
               "previousDigestSignature": prev[2] if prev else None,
               "logFiles": [{"s3Bucket": self.bucket, "s3Object": f.key, "hashValue": f.sha256,
                             "hashAlgorithm": "SHA-256", "newestEventTime": iso(f.newest),
                             "oldestEventTime": iso(f.oldest)} for f in batch]}
        body = json.dumps(doc, separators=(",", ":")).encode()
        self._emit(key, body)
        self.digest_count += 1
        # The signature lives in S3 object metadata; the next digest quotes it.
        sig = "".join(hashlib.sha256(body + bytes([i])).hexdigest() for i in range(8))
        return key, hashlib.sha256(body).hexdigest(), sig
