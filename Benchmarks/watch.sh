#!/usr/bin/env bash
# Live-service benchmark for `trailhound watch` (not a test; numbers go to docs/performance.md by hand).
#
#   bash Benchmarks/watch.sh [SOAK_SECONDS]      # default soak: 120 s
#
# 1. Sustained ingest: a writer appends EVENTS (default 500,000) CloudTrail JSON lines to a
#    followed file as fast as it can; the service is pinned to one core (taskset) and the rate is
#    events / (time until /metrics shows them all).
# 2. Latency append -> finding: with a steady background load (LOAD_RATE events/s, default 20,000),
#    a StopLogging line is appended every 50 ms; the time from its write to its JSON line on the
#    service's stdout is recorded (p50, p99, max over LATENCY_MARKERS, default 200).
# 3. Soak: the writer keeps appending at SOAK_RATE events/s (default 10,000) from a rotating set of
#    100,000 identities for SOAK_SECONDS; resident memory is sampled every 10 s.
# Loopback only; every loop is bounded in count and time. Needs python3 and taskset (util-linux).
set -euo pipefail
cd "$(dirname "$0")/.."
SOAK_SECONDS="${1:-${SOAK_SECONDS:-120}}"
EVENTS="${EVENTS:-500000}"
bash scripts/setup.sh
swift build -c release --product trailhound >/dev/null
BIN="$PWD/.build/release/trailhound"
WORK="$(mktemp -d /tmp/trailhound-watch-bench.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
export BIN WORK SOAK_SECONDS EVENTS
python3 - <<'PY'
import json, os, subprocess, time, threading, urllib.request, statistics, random

BIN, WORK = os.environ["BIN"], os.environ["WORK"]
EVENTS = int(os.environ["EVENTS"]); SOAK = int(os.environ["SOAK_SECONDS"])
LOAD_RATE = int(os.environ.get("LOAD_RATE", "20000")); SOAK_RATE = int(os.environ.get("SOAK_RATE", "10000"))
MARKERS = int(os.environ.get("LATENCY_MARKERS", "200"))
ROOT = os.getcwd()

def ident(u):
    return {"type": "IAMUser", "principalId": "AIDA" + u, "arn": "arn:aws:iam::111122223333:user/" + u,
            "accountId": "111122223333", "accessKeyId": "AKIA" + u, "userName": u}

def event(i, user, name="DescribeInstances", source="ec2.amazonaws.com", params=None):
    t = 1772359200 + i // 50   # 2026-03-01T10:00Z onwards, 50 events per second of event time
    return json.dumps({"eventVersion": "1.09", "userIdentity": ident(user),
        "eventTime": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t)), "eventSource": source,
        "eventName": name, "awsRegion": "us-east-1", "sourceIPAddress": "10.0.%d.%d" % (i % 7, i % 200),
        "userAgent": "Boto3/1.34.10 md/Botocore#1.34.10 ua/2.0 os/linux#5.10 lang/python#3.11.6",
        "requestParameters": params, "responseElements": None, "requestID": "r-%d" % i, "eventID": "e-%d" % i,
        "readOnly": True, "eventType": "AwsApiCall", "managementEvent": True,
        "recipientAccountId": "111122223333", "eventCategory": "Management"}) + "\n"

APIS = [("DescribeInstances", "ec2.amazonaws.com"), ("ListBuckets", "s3.amazonaws.com"),
        ("GetCallerIdentity", "sts.amazonaws.com"), ("DescribeVolumes", "ec2.amazonaws.com")]

def background(i, users):
    name, src = APIS[i % len(APIS)]
    return event(i, "svc%d" % (i % users), name, src)

def start(log, extra, tag):
    out = open(os.path.join(WORK, tag + ".out"), "w"); err = open(os.path.join(WORK, tag + ".err"), "w")
    p = subprocess.Popen(["taskset", "-c", "1", BIN, "watch", log, "--state", os.path.join(WORK, tag + ".db"),
        "--detectors", os.path.join(ROOT, "detectors"), "--listen", "127.0.0.1:0"] + extra,
        stdout=subprocess.PIPE if tag == "latency" else out, stderr=err)
    port = None
    for _ in range(400):
        txt = open(err.name).read()
        if "listening on http://127.0.0.1:" in txt:
            port = int(txt.split("listening on http://127.0.0.1:")[1].split()[0]); break
        time.sleep(0.05)
    assert port, open(err.name).read()
    return p, port

def metric(port, name):
    body = urllib.request.urlopen("http://127.0.0.1:%d/metrics" % port, timeout=5).read().decode()
    for line in body.splitlines():
        if line.startswith(name + " "): return float(line.split()[1])
    return 0.0

def stop(p):
    p.terminate(); p.wait(timeout=10)

# 1. Sustained ingest
log = os.path.join(WORK, "ingest.jsonl"); open(log, "w").close()
data = "".join(background(i, 2000) for i in range(EVENTS)).encode()
p, port = start(log, ["--no-stdout"], "ingest")
t0 = time.time()
with open(log, "ab") as f:
    for k in range(0, len(data), 1 << 20):
        f.write(data[k:k + (1 << 20)]); f.flush()
written = time.time()
deadline = time.time() + 600
while metric(port, "trailhound_events_total") < EVENTS and time.time() < deadline: time.sleep(0.05)
t1 = time.time()
n = metric(port, "trailhound_events_total")
print("ingest: %d events (%.1f MB) in %.2f s on one core = %d events/s (writer done after %.2f s)"
      % (n, len(data) / 1e6, t1 - t0, n / (t1 - t0), written - t0))
stop(p)

# 2. Latency under load
log = os.path.join(WORK, "latency.jsonl"); open(log, "w").close()
p, port = start(log, [], "latency")
sent, seen = {}, {}
def reader():
    for line in p.stdout:
        try: f = json.loads(line)
        except ValueError: continue
        for e in f.get("event_ids", []):
            if e.startswith("m-"): seen[e] = time.time()
threading.Thread(target=reader, daemon=True).start()
i = 10_000_000
with open(log, "a") as f:
    for m in range(MARKERS):
        t_next = time.time() + 0.05
        burst = "".join(background(i + k, 2000) for k in range(LOAD_RATE // 20)); i += LOAD_RATE // 20
        f.write(burst)
        mid = "m-%d" % m
        f.write(event(i, "marker%d" % m, "StopLogging", "cloudtrail.amazonaws.com",
                      {"name": "arn:aws:cloudtrail:us-east-1:111122223333:trail/t%d" % m}).replace('"e-%d"' % i, '"%s"' % mid))
        f.flush(); sent[mid] = time.time(); i += 1
        time.sleep(max(0, t_next - time.time()))
deadline = time.time() + 30
while len(seen) < MARKERS and time.time() < deadline: time.sleep(0.05)
lat = sorted((seen[k] - sent[k]) * 1000 for k in seen)
q = lambda x: lat[min(len(lat) - 1, int(x * len(lat)))]
print("latency append->finding under %d events/s: %d/%d markers seen, p50 %.0f ms, p99 %.0f ms, max %.0f ms"
      % (LOAD_RATE, len(lat), MARKERS, q(0.5), q(0.99), lat[-1]))
stop(p)

# 3. Soak
log = os.path.join(WORK, "soak.jsonl"); open(log, "w").close()
p, port = start(log, ["--no-stdout"], "soak")
rss = []
t_start = time.time(); t_end = t_start + SOAK
i = 20_000_000; tick = time.time()
f = open(log, "a")
while time.time() < t_end:
    f.write("".join(event(i + k, "u%d" % ((i + k) % 100_000)) for k in range(SOAK_RATE // 10))); f.flush()
    i += SOAK_RATE // 10
    if time.time() - tick >= 10 or not rss:
        tick = time.time(); rss.append(metric(port, "process_resident_memory_bytes") / 2**20)
    time.sleep(max(0, 0.1 - (time.time() % 0.1)))
    if f.tell() > 1 << 30:
        # Rotate by rename (the service follows it) so a long soak needs bounded disk.
        f.close(); os.replace(log, log + ".1"); f = open(log, "a")
f.close()
SOAK = int(time.time() - t_start)
time.sleep(2)
n = metric(port, "trailhound_events_total"); rss.append(metric(port, "process_resident_memory_bytes") / 2**20)
written = i - 20_000_000
print("soak %d s at %d events/s target, %d written (%d/s), %d processed 2 s after the writer stopped "
      "(100,000 identities): RSS start %.0f MiB, end %.0f MiB, max %.0f MiB"
      % (SOAK, SOAK_RATE, written, written / max(1, SOAK), n, rss[0], rss[-1], max(rss)))
print("soak RSS samples (MiB, every 10 s): " + " ".join("%.0f" % r for r in rss))
stop(p)
PY
