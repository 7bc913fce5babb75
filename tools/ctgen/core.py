"""Deterministic primitives: seeded RNG streams, AWS-shaped identifiers, time formats.

Every random choice in the generator comes from a `random.Random` seeded with a
string built from the corpus seed and a stable name (a principal key, a session
index, ...). String seeds go through SHA-512 inside `random`, so they do not
depend on PYTHONHASHSEED, and adding one principal does not perturb the others.
"""

import calendar
import gzip
import hashlib
import json
import math
import os
import random
import time
import uuid

SEC = 1000
MIN = 60 * SEC
HOUR = 60 * MIN
DAY = 24 * HOUR

BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
HEX = "0123456789abcdef"
B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


# CloudTrail's own encoding: no spaces, UTF-8 kept as is.
compact_json = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


def rng(*parts):
    """A Random seeded from the joined parts (stable across runs and processes)."""
    return random.Random("\x1f".join(str(p) for p in parts))


def uuid4(r):
    """A version-4 UUID string drawn from `r`."""
    return str(uuid.UUID(int=r.getrandbits(128), version=4))


def seeded_stream(seed, *parts):
    """A Random for the other sources' generator (tools/gen_sources.py): seeded with the first
    8 bytes of SHA-256 over `seed|part|...` (its corpora were generated with this scheme)."""
    h = hashlib.sha256(("|".join(str(p) for p in (seed,) + parts)).encode()).digest()
    return random.Random(int.from_bytes(h[:8], "big"))


def uuid4_bytes(r):
    """A version-4 UUID string from 16 byte draws of `r` (tools/gen_sources.py's scheme)."""
    b = bytearray(r.getrandbits(8) for _ in range(16))
    b[6] = (b[6] & 0x0F) | 0x40
    b[8] = (b[8] & 0x3F) | 0x80
    h = b.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def gz(data, level=6):
    """gzip with mtime 0 and no file name, so equal input gives equal bytes."""
    return gzip.compress(data, compresslevel=level, mtime=0)


def gz_unknown_os(data, level=9):
    """Like `gz`, but with the OS byte 255 ("unknown") that `gzip.GzipFile` writes: the other
    sources' corpora (tools/gen_sources.py) were written this way, so their bytes stay equal."""
    out = bytearray(gz(data, level))
    out[9] = 255
    return bytes(out)


def tree_hashes(root):
    """Relative path -> SHA-256 of every file under `root` (empty when absent)."""
    out = {}
    for dirpath, _, files in os.walk(root):
        for f in files:
            p = os.path.join(dirpath, f)
            with open(p, "rb") as fh:
                out[os.path.relpath(p, root)] = hashlib.sha256(fh.read()).hexdigest()
    return out


def tree_diff(fresh, committed):
    """Relative paths whose bytes differ between a `fresh` generation and the `committed` tree, or
    that only one holds, within the top-level entries the fresh generation wrote (committed
    folders that another generator writes, such as corpora/workflow/langflow-seed, are not its)."""
    ha, hb = tree_hashes(fresh), tree_hashes(committed)
    tops = {k.split(os.sep)[0] for k in ha}
    return sorted(k for k in set(ha) | set(hb) if k.split(os.sep)[0] in tops and ha.get(k) != hb.get(k))


def derived_uuid(text):
    """A version-4-shaped UUID derived from `text` (for companion events)."""
    h = int.from_bytes(hashlib.sha256(text.encode()).digest()[:16], "big")
    return str(uuid.UUID(int=h, version=4))


def chars(r, alphabet, n):
    return "".join(r.choice(alphabet) for _ in range(n))


def access_key_id(r, prefix):
    """AKIA/ASIA + 16 base32 characters, the shape of real access key ids."""
    return prefix + chars(r, BASE32, 16)


def unique_id(r, prefix):
    """AIDA/AROA + 17 base32 characters (IAM unique ids)."""
    return prefix + chars(r, BASE32, 17)


def hexid(r, n):
    return chars(r, HEX, n)


def poisson(r, lam):
    """Poisson sample (Knuth for small means, rounded normal for large)."""
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, int(round(r.gauss(lam, math.sqrt(lam)))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= r.random()
        if p <= limit:
            return k
        k += 1


def weighted(r, items):
    """Pick from [(weight, value), ...]."""
    total = sum(w for w, _ in items)
    x = r.random() * total
    for w, v in items:
        x -= w
        if x < 0:
            return v
    return items[-1][1]


def parse_day(text):
    """'2025-06-02' -> ms since epoch at 00:00Z."""
    return calendar.timegm(time.strptime(text, "%Y-%m-%d")) * SEC


_iso_cache = {}


def iso(ms):
    """2025-06-09T14:22:05Z (CloudTrail eventTime)."""
    s, day = ms // SEC, ms // DAY
    prefix = _iso_cache.get(day)
    if prefix is None:
        prefix = time.strftime("%Y-%m-%dT", time.gmtime(s))
        if len(_iso_cache) > 4096:
            _iso_cache.clear()
        _iso_cache[day] = prefix
    rem = s % 86400
    return "%s%02d:%02d:%02dZ" % (prefix, rem // 3600, rem // 60 % 60, rem % 60)


def compact_minute(ms):
    """20250609T1425Z (log file names)."""
    return time.strftime("%Y%m%dT%H%MZ", time.gmtime(ms // SEC))


def compact_second(ms):
    """20250609T142507Z (digest file names)."""
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(ms // SEC))


def ymd_path(ms):
    return time.strftime("%Y/%m/%d", time.gmtime(ms // SEC))


def human_date(ms):
    """'Jun 9, 2025, 2:24:11 PM' (IAM createDate, STS expiration)."""
    t = time.gmtime(ms // SEC)
    hour = t.tm_hour % 12 or 12
    ampm = "AM" if t.tm_hour < 12 else "PM"
    return "%s %d, %d, %d:%02d:%02d %s" % (MONTHS[t.tm_mon - 1], t.tm_mday, t.tm_year, hour, t.tm_min, t.tm_sec, ampm)


def day_index(ms, start):
    return (ms - start) // DAY


def hour_of_day(ms, tz_hours=0):
    return ((ms // HOUR) + tz_hours) % 24


def weekday(ms, tz_hours=0):
    """0 = Monday."""
    return time.gmtime((ms + tz_hours * HOUR) // SEC).tm_wday
