#!/usr/bin/env bash
# The project's test command: installs the C libraries, builds everything
# (including the trailhound binary the end-to-end tests run) and runs all tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build --build-tests
swift test --skip-build
