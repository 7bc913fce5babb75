"""Trailhound's corpus tooling as one package: `python3 -m tools.corpus regen|check|evaluate|bench`.

The generators share one core, `tools/ctgen/core.py` (seeded streams, ids, gzip with fixed bytes,
tree comparison): `tools/gen_corpora.py` writes corpora/cloudtrail, `tools/gen_sources.py` the other
sources; `tools/verify_corpora.py` checks them; `tools/corpus/evaluate.py` scores a build against
the labelled scenarios.
"""
