#!/usr/bin/env python3
"""A loopback HTTP(S) receiver for the sink tests that answers like Slack, PagerDuty,
Splunk HEC and Elasticsearch `_bulk` do, including their error answers.

Usage: receiver.py SCRIPT LOG [CERT KEY]
SCRIPT is a JSON object: path -> list of answers, given in order (the last one repeats).
An answer is {"status": N, "body": "...", "headers": {...}} or, for `_bulk`,
{"bulk_items": [201, 429, 400, ...]}: one item per action line in the request, the statuses
taken in order (the last repeats), "errors" true when any is not 2xx.
Every request is appended to LOG as one JSON line {method, path, headers, body}.
Prints "PORT <n>" on stdout once listening on 127.0.0.1 (any free port)."""
import orphan_guard  # noqa: F401  (first: the fixture ends with its test process)
import json
import ssl
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

script = json.load(open(sys.argv[1]))
log_path = sys.argv[2]
lock = threading.Lock()
served = {}


def bulk_answer(statuses, body):
    lines = [l for l in body.decode().split("\n") if l.strip()]
    actions = [json.loads(l) for l in lines[0::2]]
    items = []
    for i, action in enumerate(actions):
        kind = next(iter(action))
        status = statuses[min(i, len(statuses) - 1)]
        item = {"_index": action[kind].get("_index"), "_id": action[kind].get("_id"), "status": status}
        if status >= 300:
            kinds = {429: "es_rejected_execution_exception", 400: "mapper_parsing_exception"}
            item["error"] = {"type": kinds.get(status, "exception"), "reason": "test answer %d" % status}
        else:
            item["result"] = "created"
        items.append({kind: item})
    return {"took": 3, "errors": any(s >= 300 for s in statuses[: len(actions)]), "items": items}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        with lock:
            with open(log_path, "a") as f:
                f.write(json.dumps({"method": "POST", "path": self.path,
                                    "headers": {k.lower(): v for k, v in self.headers.items()},
                                    "body": body.decode("utf-8", "replace")}) + "\n")
            answers = script.get(self.path) or [{"status": 404, "body": "no such path"}]
            n = served.get(self.path, 0)
            served[self.path] = n + 1
            answer = answers[min(n, len(answers) - 1)]
        if "bulk_items" in answer:
            status, text = 200, json.dumps(bulk_answer(answer["bulk_items"], body))
            headers = {"Content-Type": "application/json"}
        else:
            status, text = answer["status"], answer.get("body", "")
            headers = answer.get("headers", {})
        data = text.encode()
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
if len(sys.argv) > 4:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(sys.argv[3], sys.argv[4])
    server.socket = context.wrap_socket(server.socket, server_side=True)
print("PORT %d" % server.server_address[1], flush=True)
server.serve_forever()
