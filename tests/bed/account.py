#!/usr/bin/env python3
"""account.py NS_STATE HW_STATE [-t [NS_BEFORE] | -check | -json]

Lines up NetSuite's view (the simulator's state) with HotWax's (the
simulator's state) per PO line: ordered in NetSuite, accepted (and
rejected) in HotWax (the sum of its receipts, hidden ones included),
received in NetSuite, and the PO's status in NetSuite.

-t      a table for people (the demo's account): each PO with its
        NetSuite status, "before -> now" when NS_BEFORE (an earlier
        `netsuite-sim.py show`) is given, then its lines
-json   one JSON object per line, for tests
-check  exit 0 only if every PO is Received and every line's NetSuite
        quantity equals min(ordered, accepted in HotWax); else name each
        line that differs on stderr and exit 1
"""
import json, sys
from decimal import Decimal


def load(ns_path, hw_path):
    ns = json.load(open(ns_path), parse_float=Decimal)
    hw = json.load(open(hw_path), parse_float=Decimal)
    order_of = {o["orderId"]: o for o in hw["orders"]}
    accepted, rejected = {}, {}
    for r in hw["receipts"]:
        o = order_of.get(r["orderId"])
        if not o or not o.get("externalId"):
            continue
        it = next((i for i in o["items"] if i["orderItemSeqId"] == r["orderItemSeqId"]), None)
        if it is None or not it.get("externalId"):
            continue
        k = (o["externalId"], it["externalId"])
        accepted[k] = accepted.get(k, Decimal(0)) + Decimal(str(r["quantityAccepted"]))
        rejected[k] = rejected.get(k, Decimal(0)) + Decimal(str(r.get("quantityRejected", 0)))
    rows = []
    for po in ns["pos"]:
        for ln in po["lines"]:
            k = (po["id"], ln["line_id"])
            rows.append({"po": po["id"], "facility": po.get("facility", ""),
                         "line": ln["line_id"], "sku": ln["sku"],
                         "ordered": Decimal(ln["ordered"]),
                         "hotwax": accepted.get(k, Decimal(0)),
                         "rejected": rejected.get(k, Decimal(0)),
                         "netsuite": Decimal(ln["received"]), "status": po["status"]})
    return rows


def fmt(d):
    return format(d.normalize(), "f")


def table(rows, before_path):
    before = {}
    if before_path:
        before = {p["id"]: p["status"] for p in json.load(open(before_path))["pos"]}
    row = "  %4s  %-18s %7s  %18s  %20s"
    print(row % ("line", "SKU", "ordered", "received in HotWax", "received in NetSuite"))
    last = None
    for r in rows:
        if r["po"] != last:
            was = before.get(r["po"])
            st = r["status"] if was is None else "%s -> %s" % (was, r["status"])
            print("  PO %s (location %s), NetSuite status: %s" % (r["po"], r["facility"], st))
            last = r["po"]
        hw = fmt(r["hotwax"])
        if r["rejected"]:
            hw += " (%s rejected)" % fmt(r["rejected"])
        print(row % (r["line"], r["sku"][:18], fmt(r["ordered"]), hw, fmt(r["netsuite"])))


def main():
    rows = load(sys.argv[1], sys.argv[2])
    mode = sys.argv[3] if len(sys.argv) > 3 else "-t"
    if mode == "-json":
        for r in rows:
            print(json.dumps({k: (fmt(v) if isinstance(v, Decimal) else v) for k, v in r.items()}))
    elif mode == "-check":
        bad = 0
        for r in rows:
            want = min(r["ordered"], r["hotwax"])
            if r["netsuite"] != want or r["status"] != "Received":
                print("PO %s line %s: NetSuite received %s, HotWax accepted %s of %s, status %s"
                      % (r["po"], r["line"], fmt(r["netsuite"]), fmt(r["hotwax"]),
                         fmt(r["ordered"]), r["status"]), file=sys.stderr)
                bad += 1
        sys.exit(1 if bad else 0)
    else:
        table(rows, sys.argv[4] if len(sys.argv) > 4 else None)


if __name__ == "__main__":
    main()
