#!/usr/bin/env python3
"""Front-door access-log corpora (nginx, ALB, Envoy/Istio, GCP load balancer, Azure Application
Gateway), deterministic.

  python3 tools/gen_frontdoor.py corpora [--check]     # corpora/frontdoor/<format>/
  python3 tools/gen_frontdoor.py bench DIR --scale N   # ~N x 6 MB per format, for Benchmarks/formats.sh

Each corpus folder holds minimal (a few benign requests and one unauthenticated call to a
code-running endpoint), malformed (lines the format does not claim, a bad time, a cut line),
multi-member gzip (two gzip members in one file, as log rotation with `cat` makes) and a truncated
gzip. expected.json lists, per file, the events and the diagnostic codes a scan must report.
The lines are written by hand from each vendor's documented field list, not captured.
"""
import gzip, io, json, os, random, sys
from datetime import datetime, timedelta, timezone

T0 = datetime(2026, 12, 7, 0, 0, 0, tzinfo=timezone.utc)
REQS = [  # (client, method, path, status, user agent, bytes out)
    ("198.51.100.20", "GET", "/", 200, "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0", 3120),
    ("198.51.100.20", "GET", "/api/v1/flows/?page=1", 200, "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0", 2048),
    ("198.51.100.21", "POST", "/api/v1/run/8b1c2d3e?stream=false", 200, "python-requests/2.31.0", 980),
    ("203.0.113.66", "GET", "/api/v1/version", 200, "python-requests/2.32.3", 45),
    ("203.0.113.66", "POST", "/api/v1/validate/code", 200, "python-requests/2.32.3", 112),
]
HOST = "langflow.example.com"


def iso(t, frac=6):
    s = t.strftime("%Y-%m-%dT%H:%M:%S")
    return s + (("." + t.strftime("%f")[:frac]) if frac else "") + "Z"


def clf(t):
    return t.strftime("%d/%b/%Y:%H:%M:%S +0000")


def nginx(t, c, m, p, s, ua, n, i):
    if i % 3 == 2:  # ingress-nginx upstream format
        return (f'{c} - - [{clf(t)}] "{m} {p} HTTP/1.1" {s} {n} "-" "{ua}" 412 0.0{i % 9 + 1}2 '
                f'[ai-langflow-7860] [] 10.2.0.14:7860 {n} 0.0{i % 9 + 1}1 {s} {i:032x}')
    if i % 3 == 1:  # nginx image `main`: X-Forwarded-For appended
        return f'{c} - - [{clf(t)}] "{m} {p} HTTP/1.1" {s} {n} "-" "{ua}" "-"'
    return f'{c} - - [{clf(t)}] "{m} {p} HTTP/1.1" {s} {n} "-" "{ua}"'


def nginx_json(t, c, m, p, s, ua, n, i):
    return json.dumps({"time_iso8601": t.strftime("%Y-%m-%dT%H:%M:%S+00:00"), "remote_addr": c,
                       "request": f"{m} {p} HTTP/1.1", "status": str(s), "body_bytes_sent": str(n),
                       "request_length": "412", "request_time": f"0.0{i % 9 + 1}2", "http_user_agent": ua,
                       "http_x_forwarded_for": "", "host": HOST, "upstream_addr": "127.0.0.1:7860",
                       "request_id": f"{i:032x}", "has_auth": "true" if c.startswith("198.") else "false"},
                      separators=(",", ":"))


def alb(t, c, m, p, s, ua, n, i):
    return (f'https {iso(t)} app/ai-lb/50dc6c495c0c9188 {c}:{40000 + i} 10.0.3.15:7860 0.001 0.0{i % 9 + 1}0 0.000 '
            f'{s} {s} 412 {n} "{m} https://{HOST}:443{p} HTTP/1.1" "{ua}" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 '
            f'arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/langflow-tg/73e2d6bc24d8a067 '
            f'"Root=1-{int(t.timestamp()):08x}-{i:024x}" "{HOST}" "arn:aws:acm:us-east-1:111122223333:certificate/1" '
            f'10 {iso(t)} "forward" "-" "-" "10.0.3.15:7860" "{s}" "-" "-" TID_{i:08x}')


def envoy(t, c, m, p, s, ua, n, i):
    return json.dumps({"start_time": iso(t, 3), "method": m, "path": p, "protocol": "HTTP/1.1", "response_code": s,
                       "response_flags": "-", "bytes_received": 412, "bytes_sent": n, "duration": 10 + i % 50,
                       "upstream_service_time": "9", "x_forwarded_for": c, "user_agent": ua,
                       "request_id": f"{i:08x}-0000-4000-8000-{i:012x}", "authority": HOST,
                       "upstream_host": "10.2.0.14:7860", "upstream_cluster": "inbound|7860||",
                       "downstream_remote_address": "10.2.1.5:43210"}, separators=(",", ":"))


def gcp_lb(t, c, m, p, s, ua, n, i):
    return json.dumps({"insertId": f"lb{i:012x}", "jsonPayload": {
        "@type": "type.googleapis.com/google.cloud.loadbalancing.type.LoadBalancerLogEntry",
        "statusDetails": "response_sent_by_backend"},
        "httpRequest": {"requestMethod": m, "requestUrl": f"https://{HOST}{p}", "requestSize": "412", "status": s,
                        "responseSize": str(n), "userAgent": ua, "remoteIp": c, "serverIp": "10.128.0.7",
                        "latency": f"0.0{i % 9 + 1}5s", "protocol": "HTTP/1.1"},
        "resource": {"type": "http_load_balancer", "labels": {"backend_service_name": "langflow-backend",
                                                              "project_id": "ai-prod", "zone": "global"}},
        "timestamp": iso(t), "severity": "INFO", "logName": "projects/ai-prod/logs/requests"}, separators=(",", ":"))


def appgw(t, c, m, p, s, ua, n, i):
    path, _, query = p.partition("?")
    return json.dumps({"resourceId": "/SUBSCRIPTIONS/X/RESOURCEGROUPS/AI/PROVIDERS/MICROSOFT.NETWORK/APPLICATIONGATEWAYS/AI-GW",
                       "operationName": "ApplicationGatewayAccess", "time": iso(t, 0), "category": "ApplicationGatewayAccessLog",
                       "properties": {"instanceId": "appgw_1", "clientIP": c, "clientPort": 40000 + i, "httpMethod": m,
                                      "requestUri": path, "requestQuery": query, "userAgent": ua, "httpStatus": s,
                                      "httpVersion": "HTTP/1.1", "receivedBytes": 412, "sentBytes": n,
                                      "timeTaken": round(0.01 + (i % 9) / 100, 3), "host": HOST, "originalHost": HOST,
                                      "serverRouted": "10.1.0.4:7860", "serverStatus": str(s),
                                      "backendPoolName": "langflow-pool", "transactionId": f"{i:032x}"}},
                      separators=(",", ":"))


FORMATS = {  # name: (builder, file extension, bad-time replacement)
    "nginx": (nginx, "log"), "nginx-json": (nginx_json, "json"), "alb": (alb, "log"),
    "envoy": (envoy, "json"), "gcp-lb": (gcp_lb, "json"), "azure-appgw": (appgw, "json"),
}


def lines(fmt, count, start=0, rng=None):
    build = FORMATS[fmt][0]
    out = []
    for k in range(count):
        i = start + k
        c, m, p, s, ua, n = REQS[i % len(REQS)] if rng is None else REQS[rng.randrange(3)]
        out.append(build(T0 + timedelta(seconds=i * 7), c, m, p, s, ua, n, i))
    return out


def bad_time(fmt, line):
    if fmt == "nginx":
        return line.replace("/Dec/2026:", "/Dec/2O26:")  # no longer a time: not claimed at all
    if fmt == "alb":
        return line.replace("https 2026-12-07T", "https 2026-13-07T")  # not claimed either
    key = {"nginx-json": "time_iso8601", "envoy": "start_time", "gcp-lb": "timestamp", "azure-appgw": "time"}[fmt]
    d = json.loads(line)
    d[key] = "yesterday"
    return json.dumps(d, separators=(",", ":"))


def gz(text, mtime=0):
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=mtime, filename="") as f:
        f.write(text.encode())
    return buf.getvalue()


def corpus(fmt):
    ext = FORMATS[fmt][1]
    files, expected = {}, {}
    minimal = lines(fmt, 5)
    files[f"minimal.{ext}"] = "\n".join(minimal) + "\n"
    expected[f"minimal.{ext}"] = {"events": 5, "codes": []}
    good = lines(fmt, 2, start=5)
    bad = [good[0], "GET / HTTP/1.1 garbage that no format claims", bad_time(fmt, good[1])]
    if ext == "json":
        bad += ['{"remote_addr":"203.0.113.1","status":"200"}']  # JSON of no known format
        # line 2 text nobody claims, 3 bad time, 4 unknown JSON, 5 a record cut at the end of input
        codes = ["frame.not_json", "decode.bad_time", "decode.unknown_format", "frame.truncated"]
    else:
        # nginx claims a line of its shape and then finds the time bad; the ALB sniff needs the time
        third = "decode.bad_time" if fmt == "nginx" else "frame.not_json"
        # line 2 text nobody claims, 3 bad time, 4 a last line cut short (too few fields)
        codes = ["frame.not_json", third, "frame.not_json"]
    files[f"malformed.{ext}"] = "\n".join(bad) + "\n" + good[1][:30]  # last line cut, no newline
    expected[f"malformed.{ext}"] = {"events": 1, "codes": sorted(codes)}
    a, b = lines(fmt, 3, start=10), lines(fmt, 3, start=13)
    files[f"multi-member.{ext}.gz"] = gz("\n".join(a) + "\n") + gz("\n".join(b) + "\n")
    expected[f"multi-member.{ext}.gz"] = {"events": 6, "codes": []}
    whole = gz("\n".join(lines(fmt, 4, start=20)) + "\n")
    files[f"truncated.{ext}.gz"] = whole[: len(whole) - 12]
    expected[f"truncated.{ext}.gz"] = {"events": None, "codes": ["gzip.truncated"]}
    files["expected.json"] = json.dumps(expected, indent=2, sort_keys=True) + "\n"
    return files


def write_corpora(root, check):
    bad = 0
    for fmt in FORMATS:
        d = os.path.join(root, "frontdoor", fmt)
        os.makedirs(d, exist_ok=True)
        for name, data in corpus(fmt).items():
            path = os.path.join(d, name)
            data = data if isinstance(data, bytes) else data.encode()
            if check:
                if not os.path.exists(path) or open(path, "rb").read() != data:
                    print(f"differs: {path}")
                    bad += 1
            else:
                open(path, "wb").write(data)
    return bad


def write_bench(root, scale):
    rng = random.Random(17)
    for fmt in FORMATS:
        d = os.path.join(root, fmt)
        os.makedirs(d, exist_ok=True)
        per = 6_000_000 * scale // max(1, len(lines(fmt, 1)[0]) + 1)
        for part in range(4):
            text = "\n".join(lines(fmt, per // 4, start=part * per // 4, rng=rng)) + "\n"
            open(os.path.join(d, f"part{part}.{FORMATS[fmt][1]}.gz"), "wb").write(gz(text))


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "corpora":
        sys.exit(1 if write_corpora("corpora", "--check" in sys.argv) else 0)
    if len(sys.argv) >= 3 and sys.argv[1] == "bench":
        scale = int(sys.argv[sys.argv.index("--scale") + 1]) if "--scale" in sys.argv else 8
        write_bench(sys.argv[2], scale)
        sys.exit(0)
    print(__doc__)
    sys.exit(64)
