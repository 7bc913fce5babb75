#!/usr/bin/env python3
"""Thin shim: `python3 tools/evaluate.py ...` is `python3 -m tools.corpus evaluate ...` (the lead and
CI call this path). The scorer lives in tools/corpus/evaluate.py."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tools.corpus import evaluate  # noqa: E402

if __name__ == "__main__":
    evaluate.main()
