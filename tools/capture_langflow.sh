#!/usr/bin/env bash
# Captures real Langflow and nginx logs for corpora/workflow/langflow-real/ (see its README.md).
#
#   tools/capture_langflow.sh VENV OUTDIR [MODE ...]
#
# VENV is a virtualenv with Langflow installed from PyPI (`python3 -m venv V && V/bin/pip install
# langflow==1.2.0`); OUTDIR receives one folder per MODE (default: all three):
#   container   LANGFLOW_LOG_ENV=container, level INFO: loguru's serialized JSON on stdout
#   file-info   default log env, LANGFLOW_LOG_FILE at INFO
#   file-debug  default log env, LANGFLOW_LOG_FILE at DEBUG
# Each mode starts a fresh Langflow (its own SQLite database) and nginx inside a private network
# namespace (`unshare --net`, only loopback up: start-up calls home cannot leave), with extra
# loopback addresses for the clients (10.20.0.5 user, 10.20.0.6 health checker, 203.0.113.66
# attacker) and the server (10.20.0.1:8080, nginx; Langflow itself on 127.0.0.1:7860), runs
# tools/capture_langflow/drive.py (benign use, version probes, the public CVE-2025-3248 proof of
# concept with `id`) and keeps stdout, Langflow's log file, both nginx access logs and the
# driver's timeline. Needs root (unshare), nginx and iproute2. Nothing is sent anywhere.
set -euo pipefail
[ $# -ge 2 ] || { sed -n 2,17p "$0"; exit 64; }
VENV=$(cd "$1" && pwd); OUT=$(mkdir -p "$2" && cd "$2" && pwd); shift 2
MODES=("$@"); [ ${#MODES[@]} -gt 0 ] || MODES=(container file-info file-debug)
HERE=$(cd "$(dirname "$0")" && pwd)

if [ "${CAPTURE_INSIDE:-}" != 1 ]; then
    for mode in "${MODES[@]}"; do
        echo "== $mode"
        CAPTURE_INSIDE=1 unshare --net "$0" "$VENV" "$OUT" "$mode"
    done
    exit 0
fi

# Inside the namespace: one mode.
mode=${MODES[0]}
WORK=$(mktemp -d /tmp/lfcap.XXXXXX)
DEST="$OUT/$mode"; mkdir -p "$DEST"
ip link set lo up
for a in 10.20.0.1 10.20.0.5 10.20.0.6 203.0.113.66; do ip addr add "$a/32" dev lo; done
if curl -s -m 3 -o /dev/null https://pypi.org 2>/dev/null; then echo "network reachable: refusing" >&2; exit 1; fi

mkdir -p "$WORK/nginx-tmp" "$WORK/home" "$WORK/config"
sed "s#@WORK@#$WORK#g" "$HERE/capture_langflow/nginx.conf.in" > "$WORK/nginx.conf"
nginx -c "$WORK/nginx.conf" -p "$WORK"

export HOME="$WORK/home" DO_NOT_TRACK=true LANGFLOW_CONFIG_DIR="$WORK/config"
export LANGFLOW_DATABASE_URL="sqlite:///$WORK/langflow.db" LANGFLOW_AUTO_LOGIN=False
export LANGFLOW_SUPERUSER=admin LANGFLOW_SUPERUSER_PASSWORD='capture-Passw0rd!'
export LANGFLOW_SECRET_KEY=capture-secret-key-not-used-anywhere-else LANGFLOW_NEW_USER_IS_ACTIVE=False
export LANGFLOW_STORE=False LANGFLOW_OPEN_BROWSER=False
case $mode in
    container) export LANGFLOW_LOG_ENV=container LANGFLOW_LOG_LEVEL=INFO ;;
    file-info) export LANGFLOW_LOG_FILE="$WORK/langflow.log" LANGFLOW_LOG_LEVEL=INFO ;;
    file-debug) export LANGFLOW_LOG_FILE="$WORK/langflow.log" LANGFLOW_LOG_LEVEL=DEBUG ;;
    *) echo "unknown mode $mode" >&2; exit 64 ;;
esac
LF_BIN="$VENV/bin/langflow"; [ -x "$LF_BIN" ] || LF_BIN="$VENV/bin/langflow-base"   # langflow-base: the server alone
"$LF_BIN" run --host 127.0.0.1 --port 7860 --backend-only --workers 1 --no-open-browser \
    > "$WORK/stdout.log" 2> "$WORK/stderr.log" &
LF=$!
for _ in $(seq 1 300); do
    curl -s -m 2 -o /dev/null -w '%{http_code}' http://127.0.0.1:7860/health 2>/dev/null | grep -q 200 && break
    sleep 1
done
"$VENV/bin/python" -c 'import importlib.metadata as m
for p in ("langflow", "langflow-base"):
    try: print(p, m.version(p))
    except m.PackageNotFoundError: pass' > "$DEST/version.txt"
python3 "$HERE/capture_langflow/drive.py" http://10.20.0.1:8080 admin 'capture-Passw0rd!' "$DEST/timeline.jsonl" \
    > "$DEST/drive.txt" 2>&1 || echo "driver failed: see drive.txt" >&2
sleep 2
kill "$LF"; wait "$LF" 2>/dev/null || true
nginx -c "$WORK/nginx.conf" -p "$WORK" -s quit; sleep 1
cp "$WORK/stdout.log" "$WORK/stderr.log" "$WORK/access.log" "$WORK/access.json" "$WORK/nginx-error.log" "$DEST/"
[ -f "$WORK/langflow.log" ] && cp "$WORK/langflow.log" "$DEST/"
rm -rf "$WORK"
echo "captured $mode into $DEST"
