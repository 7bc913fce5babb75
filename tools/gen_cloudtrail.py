#!/usr/bin/env python3
"""Synthesize realistic CloudTrail archives (S3 delivery layout), deterministic per seed.

Library (import with tools/ on sys.path):

    from gen_cloudtrail import World, standard_org, ATTACKS, generate_scenario
    world = World(seed=1, start_day="2025-06-02", days=10, accounts={"482913376051": ["us-east-1", "eu-west-1"]})
    org = standard_org(world, "482913376051", ["us-east-1", "eu-west-1"], scale=0.5)
    attack = ATTACKS["leaked_user_key"](world, org, world.day(8, 1, 13))
    result = world.generate("out/", digests=True)      # writes AWSLogs/...; result.by_tag holds eventIDs
    print(result.eids(attack.tag))

CLI:

    gen_cloudtrail.py list
    gen_cloudtrail.py scenario NAME OUT [--seed N]         # one labelled scenario (as committed)
    gen_cloudtrail.py demo OUT [--seed N]                  # the demo archive (as committed)
    gen_cloudtrail.py background OUT [--days N] [--start DAY] [--account ID] [--regions R1,R2]
                                     [--scale X] [--attack NAME --at DAY:HH:MM] [--digests]

Python 3 standard library only; same seed and options give byte-identical output.
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from ctgen.attacks import ATTACKS, Attack  # noqa: E402,F401
from ctgen.behaviour import Human, Net, People, Pipeline, Scanner, Script, ServiceLinked, Step, Workload  # noqa: E402,F401
from ctgen.clients import Client  # noqa: E402,F401
from ctgen.delivery import DIGEST_NAME, LOG_NAME, Delivery  # noqa: E402,F401
from ctgen.identity import Principal, Session  # noqa: E402,F401
from ctgen.population import standard_org  # noqa: E402,F401
from ctgen.render import Call, Renderer  # noqa: E402,F401
from ctgen.scenarios import (SCENARIOS, SEED, build, build_demo, generate_demo, generate_scenario,  # noqa: E402,F401
                             labels, write_json)
from ctgen.world import World  # noqa: E402,F401


def cmd_list(args):
    print("scenarios (committed under corpora/cloudtrail/scenarios/):")
    for name in SCENARIOS:
        print("  " + name)
    print("attack functions (usable with `background --attack NAME --at D:HH:MM`):")
    for name, fn in ATTACKS.items():
        print("  %-24s %s" % (name, " ".join(fn.__doc__.split())[:90] + "..."))
    return 0


def cmd_scenario(args):
    if args.name not in SCENARIOS:
        sys.exit("unknown scenario %r (see `list`)" % args.name)
    os.makedirs(args.out, exist_ok=True)
    doc = generate_scenario(args.name, args.out, args.seed)
    print(json.dumps(doc["corpus"], indent=2)[:2000])
    return 0


def cmd_demo(args):
    os.makedirs(args.out, exist_ok=True)
    doc, _ = generate_demo(args.out, args.seed)
    print(json.dumps({k: v for k, v in doc["corpus"].items() if k != "duplicate_event_ids"}, indent=2))
    return 0


def cmd_background(args):
    regions = args.regions.split(",")
    accounts = {a: regions for a in args.account or ["482913376051"]}
    world = World(args.seed, args.start, args.days, accounts)
    orgs = {a: standard_org(world, a, regions, scale=args.scale) for a in accounts}
    attacks = []
    if args.attack:
        if args.attack not in ATTACKS:
            sys.exit("unknown attack %r (see `list`)" % args.attack)
        try:
            day, hh, mm = (int(x) for x in args.at.split(":"))
        except (AttributeError, ValueError):
            sys.exit("--at must be DAY:HH:MM (day counted from --start, 0-based)")
        org = orgs[next(iter(accounts))]
        attacks.append(ATTACKS[args.attack](world, org, world.day(day, hh, mm)))
    os.makedirs(args.out, exist_ok=True)
    result = world.generate(args.out, digests=args.digests)
    doc = labels("custom", "gen_cloudtrail.py background", world, result, attacks, [], args.seed)
    write_json(os.path.join(args.out, "labels.json"), doc)
    print(json.dumps({k: v for k, v in doc["corpus"].items() if k != "duplicate_event_ids"}, indent=2))
    return 0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("list", help="list scenarios and attacks").set_defaults(fn=cmd_list)
    p = sub.add_parser("scenario", help="generate one labelled scenario")
    p.add_argument("name")
    p.add_argument("out")
    p.add_argument("--seed", type=int, default=SEED)
    p.set_defaults(fn=cmd_scenario)
    p = sub.add_parser("demo", help="generate the demo archive")
    p.add_argument("out")
    p.add_argument("--seed", type=int, default=SEED)
    p.set_defaults(fn=cmd_demo)
    p = sub.add_parser("background", help="benign background for some accounts, optionally with one attack")
    p.add_argument("out")
    p.add_argument("--seed", type=int, default=SEED)
    p.add_argument("--start", default="2025-06-02", help="first day, YYYY-MM-DD (UTC)")
    p.add_argument("--days", type=int, default=10)
    p.add_argument("--account", action="append", help="account id (repeatable; default 482913376051)")
    p.add_argument("--regions", default="us-east-1,eu-west-1", help="comma-separated; the first is home")
    p.add_argument("--scale", type=float, default=1.0, help="workload rate multiplier")
    p.add_argument("--attack", help="attack function name (see list)")
    p.add_argument("--at", help="attack start DAY:HH:MM, day 0-based from --start")
    p.add_argument("--digests", action="store_true", help="also write hourly CloudTrail-Digest files")
    p.set_defaults(fn=cmd_background)
    args = ap.parse_args(argv)
    return args.fn(args)


if __name__ == "__main__":
    sys.exit(main())
