#!/usr/bin/env bash
# Quick start: installs what is needed, builds trailhound (release) and scans the
# bundled demo archive (corpora/cloudtrail/demo), printing findings as a table.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --product trailhound
status=0
.build/release/trailhound scan corpora/cloudtrail/demo/AWSLogs --format text --detectors detectors "$@" || status=$?
# 3 means "findings at or above --fail-on"; the demo has attacks in it, so that is expected.
[ "$status" -eq 0 ] || [ "$status" -eq 3 ] || exit "$status"
