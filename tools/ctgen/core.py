"""Deterministic primitives: seeded RNG streams, AWS-shaped identifiers, time formats.

Every random choice in the generator comes from a `random.Random` seeded with a
string built from the corpus seed and a stable name (a principal key, a session
index, ...). String seeds go through SHA-512 inside `random`, so they do not
depend on PYTHONHASHSEED, and adding one principal does not perturb the others.
"""

import calendar
import hashlib
import json
import math
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
