"""python3 -m tools.corpus regen|check|evaluate|bench (run from the repository root).

  regen              rewrite every generated corpus (corpora/cloudtrail, then kubernetes, gcp,
                     azure, workflow), then verify them
  check              regenerate into temporary folders and compare byte for byte with the
                     committed corpora (exit 1 on any difference), then verify them
  evaluate [ARGS]    score a build against the labelled scenarios (tools/evaluate.py's options)
  bench OUT [--scale N]
                     bigger inputs of the other sources for Benchmarks/formats.sh
"""
import os
import sys

TOOLS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, TOOLS)

import gen_corpora  # noqa: E402
import gen_sources  # noqa: E402
import verify_corpora  # noqa: E402

from tools.corpus import evaluate  # noqa: E402

CORPORA = os.path.join(os.path.dirname(TOOLS), "corpora")


def regen(args):
    if gen_corpora.main(args) != 0:
        return 1
    gen_sources.generate(CORPORA)
    return verify(args)


def check(args):
    status = gen_corpora.main(["--check"] + args)
    status |= gen_sources.check(CORPORA)
    return status | verify([])


def verify(_args):
    return verify_corpora.main([]) or 0


def bench(args):
    saved = sys.argv
    try:
        sys.argv = ["gen_sources.py", "bench"] + args
        gen_sources.main()
    finally:
        sys.argv = saved
    return 0


def run_evaluate(args):
    saved = sys.argv
    try:
        sys.argv = ["tools/evaluate.py"] + args
        evaluate.main()
    finally:
        sys.argv = saved
    return 0


COMMANDS = {"regen": regen, "check": check, "evaluate": run_evaluate, "bench": bench}


def main(argv):
    if not argv or argv[0] not in COMMANDS:
        print(__doc__, file=sys.stderr)
        return 64
    return COMMANDS[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
