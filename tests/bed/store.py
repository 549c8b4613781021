#!/usr/bin/env python3
"""store.py -- plays the store associate in HotWax's Receiving app.

    store.py --url URL --ca CA --token-file F --facility ID \
             --po NETSUITE_PO_ID LINE:ACCEPTED[:REJECTED] ...

Finds the HotWax order whose externalId is the NetSuite PO id and the items
whose externalId are the NetSuite line ids (performFind, as the app does),
then receives them with POST oms/purchaseOrders/<orderId>/receive
(contracts.md section 3).  Quantities are sent as exact JSON numbers.
Prints the receipt ids, one per line.
"""
import argparse, json, ssl, sys, urllib.request


def call(a, endpoint, body):
    ctx = ssl.create_default_context(cafile=a.ca)
    req = urllib.request.Request(a.url + endpoint, data=body.encode(), method="POST",
                                 headers={"Content-Type": "application/json",
                                          "Authorization": "Bearer " + a.token})
    with urllib.request.urlopen(req, context=ctx, timeout=30) as r:
        d = json.loads(r.read())
    if not isinstance(d, dict) or any(k in d for k in ("_ERROR_MESSAGE_", "_ERROR_MESSAGE_LIST_", "error")):
        sys.exit("store.py: %s failed: %r" % (endpoint, d))
    return d


def find(a, entity, fields):
    q = {"entityName": entity, "inputFields": fields, "viewSize": 250, "noConditionFind": "Y"}
    return call(a, "performFind", json.dumps(q))["docs"]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--url", required=True)
    p.add_argument("--ca", required=True)
    p.add_argument("--token-file", required=True)
    p.add_argument("--facility", required=True)
    p.add_argument("--po", required=True)
    p.add_argument("lines", nargs="+")
    a = p.parse_args()
    a.token = open(a.token_file).read().strip()
    orders = find(a, "OrderHeader", {"externalId": a.po})
    if len(orders) != 1:
        sys.exit("store.py: PO %s: %d orders in HotWax" % (a.po, len(orders)))
    oid = orders[0]["orderId"]
    items = {i.get("externalId"): i for i in find(a, "OrderItem", {"orderId": oid})}
    lines = []
    for spec in a.lines:
        f = spec.split(":")
        line, acc, rej = f[0], f[1], f[2] if len(f) > 2 else "0"
        if line not in items:
            sys.exit("store.py: PO %s has no line %s in HotWax" % (a.po, line))
        it = items[line]
        lines.append('{"orderItemSeqId": %s, "productId": %s, "quantityAccepted": %s, "quantityRejected": %s}'
                     % (json.dumps(it["orderItemSeqId"]), json.dumps(it["productId"]), acc, rej))
    body = '{"facilityId": %s, "items": [%s]}' % (json.dumps(a.facility), ", ".join(lines))
    d = call(a, "oms/purchaseOrders/%s/receive" % oid, body)
    for r in d.get("receiptIds", []):
        print(r)


if __name__ == "__main__":
    main()
