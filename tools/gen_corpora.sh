#!/usr/bin/env bash
# Regenerate the committed CloudTrail corpora (deterministic), then verify them.
#   bash tools/gen_corpora.sh            # rewrite corpora/cloudtrail/{demo,scenarios,formats,malformed}
#   bash tools/gen_corpora.sh --check    # compare a fresh generation with the committed files
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
command -v python3 >/dev/null || { echo "gen_corpora.sh: python3 is required" >&2; exit 1; }
if [ "${1:-}" = "--check" ]; then
  exec python3 "$here/gen_corpora.py" --check
fi
python3 "$here/gen_corpora.py" "$@"
python3 "$here/verify_corpora.py"
