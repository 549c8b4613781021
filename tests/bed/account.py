#!/usr/bin/env python3
"""account.py NS_STATE HW_STATE [-t | -check | -json]

Lines up NetSuite's view (the simulator's state) with HotWax's (the
simulator's state) per PO line: ordered in NetSuite, accepted in HotWax
(the sum of its receipts, hidden ones included), received in NetSuite,
and the PO's status in NetSuite.

-t      a table for people (the demo's account)
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
    accepted = {}
    for r in hw["receipts"]:
        o = order_of.get(r["orderId"])
        if not o or not o.get("externalId"):
            continue
        it = next((i for i in o["items"] if i["orderItemSeqId"] == r["orderItemSeqId"]), None)
        if it is None or not it.get("externalId"):
            continue
        k = (o["externalId"], it["externalId"])
        accepted[k] = accepted.get(k, Decimal(0)) + Decimal(str(r["quantityAccepted"]))
    rows = []
    for po in ns["pos"]:
        for ln in po["lines"]:
            rows.append({"po": po["id"], "line": ln["line_id"], "sku": ln["sku"],
                         "ordered": Decimal(ln["ordered"]),
                         "hotwax": accepted.get((po["id"], ln["line_id"]), Decimal(0)),
                         "netsuite": Decimal(ln["received"]), "status": po["status"]})
    return rows


def fmt(d):
    s = format(d.normalize(), "f")
    return s


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
        print("  %-9s %-4s %-18s %8s %10s %10s  %s" % ("PO", "line", "SKU", "ordered",
              "HotWax", "NetSuite", "NetSuite status"))
        last = None
        for r in rows:
            st = r["status"] if r["po"] != last else ""
            print("  %-9s %-4s %-18s %8s %10s %10s  %s" % (
                r["po"] if r["po"] != last else "", r["line"], r["sku"][:18],
                fmt(r["ordered"]), fmt(r["hotwax"]), fmt(r["netsuite"]), st))
            last = r["po"]


if __name__ == "__main__":
    main()
