#!/bin/sh
# receipt-export across many POs in one run: 330 NetSuite POs (ids of 6
# to 9 digits, so byte order is not number order), their HotWax orders
# made in an order that is neither, their receipts made in a shuffled
# order over 5 pages and more of performFind -- what a run that decides a
# chunk of POs at a time (issue 12, P4) must get right at every chunk
# boundary.  Among them: POs held by two HotWax orders (one made first,
# one last; receipts far apart; one line on both orders), a PO held back
# by a line without a NetSuite id, between good ones, a sales order
# carrying a NetSuite PO's id and a PO without one (ignored), a receipt
# row read twice because the pages shifted under the run, excess, a PO
# with rejected goods only, a PO completed by an earlier run that gets
# more, lines received in full before (left out), 8-place quantities,
# and POs received in full (leaving the polines ledger).  Every expected
# value is computed here from what the test seeded (a model of
# contracts.md section 4 in Python, below), never from the output.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_re
# each run's own file is checked (no fold), against the model's
re_model many <<'PY'
# many.py plan|seed|recv RUN|expect RUN -- the data of 3038 and its model.
import json, os, random, sys
from simclient import D, Hotwax, fmt, S, W, SPOOL

PAGE = 250
QTYS = ["1", "2", "3", "5", "10", "12", "2.5", "0.75", "1.25", "4"]
SKUS = {"SKU1": "P1", "SKU2": "P2", "SKU3": "P3"}


def load(name):
    with open(os.path.join(S, name)) as f:
        return json.load(f, parse_float=D)


def save(name, obj):
    with open(os.path.join(S, name), "w") as f:
        json.dump(obj, f, default=str)


def line(lid, sku, qty, order="A"):
    # order: the HotWax order holding it ("A" uploaded, "B" made later,
    # "H" the held one), None: it never reached HotWax
    return {"id": lid, "sku": sku, "qty": qty, "order": order}


def step(po, order, items, key, run=1):
    # one receive call: items [LINE, ACCEPTED, REJECTED]; LINE a NetSuite
    # line id, or #SEQ for a HotWax item without one
    return {"po": po, "order": order, "items": items, "key": key, "run": run}


def generic(rng):
    lines = []
    for i in range(rng.choice([1, 2, 2, 3, 3, 4])):
        r = rng.random()
        if r < 0.05:
            lines.append(line(str(i + 1), None, "?", None))
        elif r < 0.09:
            lines.append(line(str(i + 1), "NOSUCH", rng.choice(QTYS), None))
        else:
            lines.append(line(str(i + 1), rng.choice(sorted(SKUS)),
                              rng.choice(QTYS)))
    if not any(l["order"] for l in lines):	# every PO reaches HotWax
        lines[0] = line("1", "SKU1", "2")
    return lines


def part(rng, q, places):
    return (D(q) * rng.randint(1, 9) / 10).quantize(D(places))


def spread(rng, po, got, nsteps):
    """The run-1 receive calls of a generic PO: each line's goods in one
    call, or split over two or three."""
    calls = [[] for _ in range(nsteps)]
    for lid, acc, rej in got:
        at = rng.sample(range(nsteps), min(nsteps, rng.choice([1, 2, 3, 3])))
        parts = []
        for _ in at[1:]:
            p = part(rng, acc - sum(parts), "0.0001")
            if 0 < p < acc - sum(parts):
                parts.append(p)
        parts.append(acc - sum(parts))
        for k, p in enumerate(parts):
            calls[at[k]].append([lid, fmt(p), fmt(rej) if k == 0 else "0"])
    return [step(po, "A", c, rng.random()) for c in calls if c]


def goods(rng, l, before):
    """What a generic line gets in run 1: in full, part, none, beyond."""
    left = D(l["qty"]) - before
    r, rej = rng.random(), D(1) if rng.random() < 0.1 else D(0)
    if r < 0.012:
        acc = left + 1
    elif r < 0.48:
        acc = left
    elif r < 0.8 and left > 0:
        acc = part(rng, left, "0.001")
    else:
        acc = D(0)
    return acc, rej


def special(pos):
    """The POs with a part to play, by rank in PO order, and their calls."""
    r = {n: pos[k] for n, k in (("X1", 40), ("L10", 60), ("C0", 80),
         ("R", 120), ("Q", 140), ("H", 165), ("M", 190), ("X2", 200),
         ("D8", 230), ("E", 250), ("X3", 300))}
    lines = {
        r["X1"]: [line("1", "SKU1", "4"), line("2", "SKU2", "2.5"),
                  line("3", "SKU3", "4", "B")],
        r["X2"]: [line("1", "SKU1", "5")],	# on A and on B
        r["X3"]: [line("1", "SKU1", "2"), line("2", "SKU2", "3"),
                  line("3", "SKU3", "1", "B")],
        r["C0"]: [line("1", "SKU1", "2"), line("2", "SKU2", "1.5")],
        r["R"]: [line("1", "SKU1", "3"), line("2", "SKU2", "1")],
        r["Q"]: [line("1", "SKU1", "10"), line("2", "SKU2", "2")],
        r["H"]: [line("1", "SKU1", "5", "H"), line("2", "SKU2", "2", "H")],
        r["M"]: [line("1", "SKU1", "10"), line("2", "SKU2", "2.5"),
                 line("3", "SKU3", "3"), line("4", "SKU1", "0.75")],
        r["D8"]: [line("1", "SKU2", "1"), line("2", "SKU3", "2.12345678")],
        r["E"]: [line("1", "SKU1", "3"), line("2", "SKU2", "1")],
        r["L10"]: [line("1", "SKU1", "2"), line("2", "SKU2", "3"),
                   line("10", "SKU3", "1")],
    }
    calls = [
        step(r["X1"], "A", [["1", "4", "0"]], 0.01),
        step(r["X1"], "B", [["3", "1.5", "0"]], 0.99),
        step(r["X2"], "A", [["1", "4", "0"]], 0.02),
        step(r["X2"], "B", [["1", "3", "0"]], 0.98),
        step(r["X3"], "A", [["1", "2", "0"]], 0, 0),
        step(r["X3"], "A", [["2", "3", "0"]], 0.03),
        step(r["X3"], "B", [["3", "0", "1"]], 0.97),
        step(r["C0"], "A", [["1", "2", "0"], ["2", "1.5", "0"]], 0, 0),
        step(r["C0"], "A", [["1", "1", "0"]], 0.5),
        step(r["R"], "A", [["1", "0", "3"]], 0.15),
        step(r["R"], "A", [["2", "0", "1"]], 0.85),
        step(r["Q"], "A", [["1", "4", "0"]], 0.2),
        step(r["Q"], "SO", [["1", "3", "0"]], 0.6),
        step(r["Q"], "A", [["2", "1", "0"]], 0.8),
        step(None, "N", [["1", "1", "0"]], 0.4),
        step(r["H"], "H", [["1", "2", "0"]], 0.45),
        step(r["H"], "H", [["#00002", "1", "0"]], 0.55),
        step(r["M"], "A", [["1", "3", "0"], ["2", "1.25", "0"],
                           ["3", "3", "0"], ["4", "0.5", "0"]], "M"),
        step(r["D8"], "A", [["1", "0.33333333", "0"]], 0.05),
        step(r["D8"], "A", [["1", "0.33333333", "0"],
                            ["2", "1.00000001", "0"]], 0.5),
        step(r["D8"], "A", [["1", "0.33333334", "0"], ["2", "0.5", "0"]],
             0.95),
        step(r["E"], "A", [["1", "2", "0"]], 0.1),
        step(r["E"], "A", [["2", "1", "0"]], 0.33),
        step(r["E"], "A", [["1", "2.5", "0"]], 0.9),
        step(r["L10"], "A", [["10", "1", "0"], ["2", "1", "0"]], 0.25),
        step(r["L10"], "A", [["1", "2", "0"]], 0.7),
    ]
    return r, lines, calls


def place_m(calls, n0):
    """M's call where its receipts cover row PAGE - 1 of the window: the
    last of page 1, read again first on page 2 when the pages shift."""
    m = [c for c in calls if c["key"] == "M"][0]
    calls.remove(m)
    at = n0
    for k, c in enumerate(calls):
        if at >= PAGE - len(m["items"]):
            calls.insert(k, m)
            return
        at += len(c["items"])
    sys.exit("too few receipts to place M")


def plan():
    rng = random.Random(3038)
    ids = set()
    while len(ids) < 330:
        n = rng.choice([6, 7, 8, 8, 8, 9])
        ids.add(str(rng.randrange(10 ** (n - 1), 10 ** n)))
    pos = sorted(ids)		# NetSuite PO id order: bytes
    roles, lines, calls = special(pos)
    first = [roles[n] for n in ("X1", "X2", "X3")]
    rest = [p for p in pos if p not in first]
    rng.shuffle(rest)
    uploads = first + rest	# HotWax's order ids follow this order
    run0 = rng.sample([p for p in rest if p not in lines], 20)
    for po in rest:
        if po in lines:
            continue
        lines[po] = generic(rng)
        got0 = []
        for l in lines[po]:
            if po in run0 and l["order"] and rng.random() < 0.7:
                q = D(l["qty"]) if rng.random() < 0.5 else \
                    part(rng, l["qty"], "0.01")
                got0.append([l["id"], fmt(q), "0"])
        if got0:
            calls.append(step(po, "A", got0, 0, 0))
        if rng.random() < 0.12:
            continue
        done = {g[0]: D(g[1]) for g in got0}
        got = [(l["id"],) + goods(rng, l, done.get(l["id"], D(0)))
               for l in lines[po] if l["order"]]
        got = [g for g in got if g[1] > 0 or g[2] > 0]
        calls += spread(rng, po, got, rng.choice([2, 3, 3, 4]))
    c0 = [c for c in calls if c["run"] == 0]
    c1 = sorted((c for c in calls if c["run"] == 1),
                key=lambda c: 0.5 if c["key"] == "M" else c["key"])
    place_m(c1, sum(len(c["items"]) for c in c0))
    save("plan.json", {"pos": pos, "roles": roles, "lines": lines,
                       "uploads": uploads, "calls": c0 + c1})
    with open(os.path.join(SPOOL, "state", "polines"), "a") as f:
        for po in pos:
            for l in lines[po]:
                f.write("%s\t%s\t%s\n" % (po, l["id"], l["qty"]))

# ------------------------------------------------------------ HotWax

def num(s):
    # a JSON number as written (float's repr is the shortest that
    # reads back, the decimal itself for these); HotWax reads Decimals
    return float(s)


def upload(hw, p):
    rows = [{"externalId": po, "productSku": l["sku"], "quantity": num(l["qty"]),
             "externalFacilityId": "116", "itemExternalId": l["id"]}
            for po in p["uploads"] for l in p["lines"][po]
            if l["order"] == "A" and l["sku"] != "NOSUCH"]
    b = "posync3038"
    body = ("--%s\r\nContent-Disposition: form-data; name=\"configId\"\r\n"
            "\r\nIMP_PO\r\n--%s\r\nContent-Disposition: form-data; "
            "name=\"uploadedFile\"; filename=\"po.json\"\r\nContent-Type: "
            "application/json\r\n\r\n%s\r\n--%s--\r\n"
            % (b, b, json.dumps(rows, default=str), b)).encode()
    hw.json("POST", "/_sim/config", {"hold_processing": True})
    hw.call("POST", "/api/uploadJsonFile", body,
            "multipart/form-data; boundary=" + b)
    hw.call("POST", "/_sim/process")
    hw.json("POST", "/_sim/config", {"hold_processing": False})
    logs = hw.call("GET", "/_sim/state")["logs"]
    if [lg["failedRecordCount"] for lg in logs] != [0]:
        sys.exit("the upload was not taken whole: %s" % logs)


def seed():
    p, hw = load("plan.json"), Hotwax()
    upload(hw, p)
    r = p["roles"]
    for po in (r["X1"], r["X2"], r["X3"]):
        items = [{"externalId": l["id"], "productId": SKUS[l["sku"]],
                  "quantity": num(l["qty"])}
                 for l in p["lines"][po] if l["order"] == "B" or po == r["X2"]]
        hw.json("POST", "/_sim/orders", {"externalId": po,
                "facilityId": "F1", "items": items})
    hw.json("POST", "/_sim/orders", {"externalId": r["H"], "facilityId": "F1",
            "items": [{"externalId": "1", "productId": "P1", "quantity": 5},
                      {"productId": "P2", "quantity": 2}]})
    hw.json("POST", "/_sim/orders", {"externalId": r["Q"], "facilityId": "F1",
            "orderTypeId": "SALES_ORDER", "items": [{"externalId": "1",
            "productId": "P1", "quantity": 5}]})
    hw.json("POST", "/_sim/orders", {"facilityId": "F1", "items": [
            {"externalId": "1", "productId": "P1", "quantity": 5}]})
    orders, seqs = {}, {}
    for o in hw.call("GET", "/_sim/state")["orders"]:
        seqs[o["orderId"]] = {i["externalId"]: i["orderItemSeqId"]
                              for i in o["items"] if i["externalId"]}
        if o["orderTypeId"] == "SALES_ORDER":
            orders["SO"] = o["orderId"]
        elif not o["externalId"]:
            orders["N"] = o["orderId"]
        else:
            k = "H" if o["externalId"] == r["H"] else \
                "A" if o["externalId"] not in orders else "B"
            orders.setdefault(o["externalId"], {})[k] = o["orderId"]
    save("orders.json", {"orders": orders, "seqs": seqs})


def recv(run):
    p, o, hw = load("plan.json"), load("orders.json"), Hotwax()
    recs = load("receipts.json") if run else []
    for c in (c for c in p["calls"] if c["run"] == run):
        oid = o["orders"][c["order"]] if c["order"] in ("SO", "N") else \
            o["orders"][c["po"]][c["order"]]
        items = [{"orderItemSeqId": l[1:] if l[0] == "#" else
                  o["seqs"][oid][l], "quantityAccepted": num(a),
                  "quantityRejected": num(j)} for l, a, j in c["items"]]
        ids = hw.json("POST", "/api/oms/purchaseOrders/%s/receive" % oid,
                      {"facilityId": "F1", "items": items})["receiptIds"]
        ns = c["order"] in ("A", "B", "H")
        for rid, (l, a, j) in zip(ids, c["items"]):
            recs.append({"id": rid, "order": oid, "run": run,
                         "po": c["po"] if ns else None,
                         "line": None if l[0] == "#" else l,
                         "acc": a, "noline": l[0] == "#"})
    save("receipts.json", recs)

# ------------------------------------------------------------ the model

def linekey(lid):
    return (0, len(lid.lstrip("0") or "0"), lid) if lid.isdigit() else (1, 0, lid)


class Model:
    """contracts.md section 4, from the seeded data: what each run must
    write, record and say."""

    def __init__(self, p, o):
        self.p, self.o = p, o
        self.csv = {po: {l["id"]: l["qty"] for l in p["lines"][po]}
                    for po in p["pos"]}
        self.state, self.full = {}, set()
        self.ledger = {}
        self.hwq = {}		# HotWax's ordered quantity per order line
        for po in p["pos"]:
            for l in p["lines"][po]:
                for k in ("A", "B", "H"):
                    oid = o["orders"].get(po, {}).get(k)
                    if oid and (l["order"] == k or
                                (po == p["roles"]["X2"] and k == "B")):
                        self.hwq[(oid, l["id"])] = (po, D(l["qty"]))

    def ordered(self, po, lid, hw):
        if lid in self.csv.get(po, {}):
            q = self.csv[po][lid]
        elif lid in self.state.get(po, {}):
            q = self.state[po][lid][0]
        else:
            q = hw.get(lid, "?")
        return None if q == "?" else D(q)

    def po(self, po, recs, orders):
        acc, rids = {}, {}
        for r in recs:
            if r["po"] == po:
                acc[r["line"]] = acc.get(r["line"], D(0)) + D(r["acc"])
                if D(r["acc"]) > 0:
                    rids.setdefault(r["line"], []).append(r["id"])
        hw = {lid: q for (oid, lid), (p, q) in self.hwq.items()
              if p == po and oid in orders}
        ids = set(acc) | set(hw) | set(self.csv.get(po, {})) | \
            set(self.state.get(po, {}))
        out, exc, full, st, sent = [], [], True, {}, False
        for lid in sorted(ids, key=linekey):
            q = self.ordered(po, lid, hw)
            got = self.state.get(po, {}).get(lid, [None, D(0)])[1]
            a = acc.get(lid, D(0))
            if q is None:
                opn = max(hw.get(lid, D(0)) - got, D(0))
            else:
                opn = max(q - got, D(0))
            send = min(a, opn)
            sent = sent or send > 0
            if q is None or q > got:
                out.append('{"line_id":"%s","quantity":%s}' % (lid, fmt(send)))
            if a > send:
                exc.append((lid, a - send, rids[lid], q is None))
            if q is None or got + send < q:
                full = False
            st[lid] = ["?" if q is None else q, got + send]
        return out, exc, full, st, sent

    def run(self, recs, ms):
        recs = sorted(recs, key=lambda r: (ms[r["id"]], r["id"]))
        held = {r["po"] for r in recs if r["noline"]}
        orders = {r["order"] for r in recs}
        els, excess, said = [], [], []
        for po in sorted({r["po"] for r in recs if r["po"]} - held):
            out, exc, full, st, sent = self.po(po, recs, orders)
            if sent:
                els.append('{"order_id":"%s","items":[%s]}' % (po, ",".join(out)))
            for lid, q, ids, unk in exc:
                excess.append('"%s","%s","%s","%s"' % (po, lid, fmt(q), " ".join(ids)))
                said.append('receipt-export: PO "%s" line "%s": %s accepted in '
                            'HotWax beyond what is open in NetSuite%s (receipts '
                            '"%s"); not sent, recorded in excess.csv' % (po, lid,
                            fmt(q), " (ordered quantity unknown: its CSV row was"
                            " rejected)" if unk else "", " ".join(ids)))
            self.state[po] = st
            if full:
                self.full.add(po)
                self.csv.pop(po, None)
        for r in recs:
            if r["po"] in held:
                if r["noline"]:
                    said.append("receipt-export: receipt %s: HotWax order %s "
                                "item 00002 has no NetSuite line id (OrderItem"
                                " externalId); PO %s held back until it has "
                                "one" % (r["id"], r["order"], r["po"]))
            else:
                self.ledger[r["id"]] = ms[r["id"]]
        heldms = [ms[r["id"]] for r in recs if r["po"] in held]
        return els, excess, said, heldms


def write(name, lines):
    with open(os.path.join(W, name), "w") as f:
        f.write("".join(l + "\n" for l in lines))


def expect(run):
    p, o, recs = load("plan.json"), load("orders.json"), load("receipts.json")
    m = Model(p, o)
    ms = {}
    for k in range(run + 1):
        st = load("pre%d.json" % k)
        ms.update({r["receiptId"]: int(r["datetimeReceived"])
                   for r in st["receipts"]})
        els, excess, said, heldms = m.run([r for r in recs if r["run"] == k], ms)
    with open(os.path.join(W, "file%d" % run), "w") as f:
        f.write("[" + ",\n".join(els) + "]\n" if els else "")
    write("rc%d" % run, ["65" if excess or heldms else "0"])
    write("excess%d" % run, sorted(excess))
    write("said%d" % run, sorted(said))
    write("ledger%d" % run, sorted("%s\t%d" % kv for kv in m.ledger.items()))
    write("t%d" % run, sorted("t\t%s\t%s\t%s\t%s" % (po, lid, fmt(q) if q != "?"
          else "?", fmt(got)) for po, ls in m.state.items()
          for lid, (q, got) in ls.items()))
    write("c%d" % run, sorted(m.full))
    write("polines%d" % run, sorted("%s\t%s\t%s" % (po, lid, q)
          for po, ls in m.csv.items() for lid, q in ls.items()))
    write("heldmin%d" % run, [str(min(heldms))] if heldms else [])
    write("maxms%d" % run, [str(max(ms[r["id"]] for r in recs if r["run"] == run))])
    write("held%d" % run, sorted({r["po"] for r in recs if r["noline"] and
                                  r["run"] == run}))
    # the setting itself: the rows of the window in HotWax's order
    win = sorted(st["receipts"], key=lambda r: (int(r["datetimeReceived"]),
                 r["receiptId"]))
    byid = {r["id"]: r for r in recs}
    oids = sorted(o["seqs"])
    twice = byid.get(win[PAGE - 1]["receiptId"], {}) if len(win) >= PAGE else {}
    write("setting%d" % run, [
        "rows %d" % len(win),
        "excess-rows %d" % len(excess),
        "h-between-elements %s" % all('"order_id":"%s"' % p["pos"][k] in
            "".join(els) for k in (164, 166)),
        "x-orders-apart %s" % all(abs(oids.index(o["orders"][x]["A"]) -
            oids.index(o["orders"][x]["B"])) > 300 for x in
            (p["roles"]["X1"], p["roles"]["X2"], p["roles"]["X3"])),
        "pages %d" % -(-len(win) // PAGE),
        "twice-po-rank %s" % (p["pos"].index(twice["po"]) if twice.get("po")
                              else "none"),
        "twice-is-m %s" % (twice.get("po") == p["roles"]["M"]),
        "twice-acc %s" % (D(twice.get("acc", "0")) > 0)])


if __name__ == "__main__":
    {"plan": lambda: plan(), "seed": lambda: seed(),
     "recv": lambda: recv(int(sys.argv[2])),
     "expect": lambda: expect(int(sys.argv[2]))}[sys.argv[1]]()
PY
role() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["roles"][sys.argv[2]])' "$SCRATCH/plan.json" "$1"; }
sfield() { sed -n "s/^$1	//p" "$ST"; }

many plan || t_bail "planning the POs failed"
many seed || t_bail "seeding HotWax failed"
H=$(role H) R=$(role R) E=$(role E) C0=$(role C0) Q=$(role Q)
X2=$(role X2) X3=$(role X3)
t_is "HotWax holds 330 NetSuite POs on 333 orders, a sales order and a PO without an id" \
	"$(hw_ctl GET /_sim/state | hw_json '"%d %d %d" % (len({o["externalId"] for o in d["orders"] if o["orderTypeId"] == "PURCHASE_ORDER" and o["externalId"]}), sum(1 for o in d["orders"] if o["orderTypeId"] == "PURCHASE_ORDER" and o["externalId"]), len(d["orders"]))')" \
	"330 333 335"

# run 0: a few POs received, one of them (C0) in full
many recv 0 || t_bail "receiving (run 0) failed"
hw_ctl GET /_sim/state >"$SCRATCH/pre0.json"
many expect 0 || t_bail "the model failed (run 0)"
t_is "the model: run 0 has no excess, holds nothing" "$(cat "$W/rc0")" 0
t_exit "run 0: exit 0" 0 receipt-export
f0=$(t_out)
t_is "run 0's file: the POs it received, in PO order" "$(cat "$f0")" "$(cat "$W/file0")"
t_true "C0 was completed by run 0" "$(grep -c "^$C0\$" "$W/c0")" = 1

# run 1's receipts, shuffled over the POs
many recv 1 || t_bail "receiving (run 1) failed"
hw_ctl GET /_sim/state >"$SCRATCH/pre1.json"
many expect 1 || t_bail "the model failed (run 1)"
t_like "the window is 5 pages of 250 rows or more" "$(sed -n 's/^pages //p' "$W/setting1")" '^([5-9]|[1-9][0-9])$'
t_true "... with excess on at most 20 lines (all said: msg.h, MSG_SHOWN)" \
	"$(sed -n 's/^excess-rows //p' "$W/setting1")" -le 20
t_is "row 250 of the window is an accepted receipt of M" \
	"$(sed -n 's/^twice-//p' "$W/setting1" | tr '\n' ' ')" "po-rank 190 is-m True acc True "
t_is "H's neighbours in PO order have elements; X1-3's two orders 300 apart in id order" \
	"$(sed -n 's/^\(h-between-elements\|x-orders-apart\) //p' "$W/setting1" | tr '\n' ' ')" "True True "
t_true "the held receipts are not the newest" "$(cat "$W/heldmin1")" -lt "$(cat "$W/maxms1")"
t_is "only H is held" "$(cat "$W/held1")" "$H"

# The run: page 2 of the receipts waits; meanwhile a receipt of H dated
# 10 minutes back appears: it sorts first, every row shifts one place on,
# and page 2 starts with the row that ended page 1 (M's).
hw_ctl POST /_sim/requests/clear >/dev/null
hw_ctl POST /_sim/fault '{"kind":"delay","method":"POST","path":"performFind","skip":1,"count":1,"seconds":6}' >/dev/null
receipt-export >"$SCRATCH/out1" 2>"$SCRATCH/err1" &
pid=$!
n=0
until [ "$(hw_ctl GET /_sim/requests | hw_json 'sum(1 for r in d if r.get("fault") == "delay")')" = 1 ]; do
	n=$((n + 1))
	[ $n -lt 600 ] && kill -0 $pid 2>/dev/null || break
	sleep 0.1
done
backdate 600
recv @"$(hw_ctl GET /_sim/state | hw_json "[o['orderId'] for o in d['orders'] if o['externalId'] == '$H'][0]")" '#00001=1' ||
	t_bail "the late receipt failed"
wait $pid
rc=$?
t_is "the delayed page was asked for, the late receipt made while it waited" \
	"$(hw_ctl GET /_sim/requests | hw_json '[r for r in d if r.get("fault") == "delay"][0]["time"] + 6 > [r for r in d if "receive" in r["path"]][0]["time"]')" true
t_is "the late receipt sorts first in the window" \
	"$(hw_ctl GET /_sim/state | hw_json 'min(d["receipts"], key=lambda r: (r["datetimeReceived"], r["receiptId"]))["receiptId"] == d["receipts"][-1]["receiptId"]')" true
late=$(hw_ctl GET /_sim/state | hw_json 'd["receipts"][-1]["receiptId"]')

t_is "run 1: exit 65 (held PO, excess)" "$rc" "$(cat "$W/rc1")"
f1=$(cat "$SCRATCH/out1")
t_like "one path in receipt/new" "$f1" "^$SPOOL/receipt/new/[^/]*\\.json\$"
t_true "a file of its own" "$f1" != "$f0"
t_is "the file: one element per PO with new goods, in PO order, its open lines" \
	"$(cat "$f1")" "$(cat "$W/file1")"
t_true "... more than 200 elements" "$(grep -c '"order_id"' "$f1")" -gt 200
t_is "... each PO once" "$(grep -o '"order_id":"[0-9]*"' "$f1" | sort | uniq -d)" ""
for x in H R C0; do
	eval "po=\$$x"
	t_is "... no element for $x ($po)" "$(grep -c "\"order_id\":\"$po\"" "$f1")" 0
done
t_like "... X2's line on two orders: what is open, once" "$(cat "$f1")" \
	"\"order_id\":\"$X2\",\"items\":\\[\\{\"line_id\":\"1\",\"quantity\":5\\}\\]"
t_like "... X3: line 1 (received in full by run 0) left out" "$(cat "$f1")" \
	"\"order_id\":\"$X3\",\"items\":\\[\\{\"line_id\":\"2\",\"quantity\":3\\},\\{\"line_id\":\"3\",\"quantity\":0\\}\\]"
t_true "no journal left" ! -e "$J"

# the state: every receipt taken once, the held ones not
grep '^r	' "$ST" | cut -f2- | sort >"$SCRATCH/ledger1"
t_is "the ledger: every receipt taken, once, with its time" \
	"$(cat "$SCRATCH/ledger1")" "$(cat "$W/ledger1")"
t_is "... no id twice" "$(cut -f1 "$SCRATCH/ledger1" | uniq -d)" ""
hw_ctl GET /_sim/state | hw_json "'\\n'.join(r['receiptId'] for r in d['receipts'] if r['orderId'] == [o['orderId'] for o in d['orders'] if o['externalId'] == '$H'][0])" >"$SCRATCH/hids"
t_true "H has 3 receipts, the late one among them" \
	"$(grep -c . "$SCRATCH/hids")" = 3 -a "$(grep -cxF "$late" "$SCRATCH/hids")" = 1
t_is "... none of them in the ledger" \
	"$(cut -f1 "$SCRATCH/ledger1" | grep -cxFf "$SCRATCH/hids")" 0
cursor=$(sfield cursor)
t_true "the cursor is not past the held receipt" "$cursor" -le "$(cat "$W/heldmin1")"
t_is "... it is at it" "$cursor" "$(cat "$W/heldmin1")"
t_is "the per-line totals of every PO met" "$(grep '^t	' "$ST" | sort)" "$(cat "$W/t1")"
t_is "the POs recorded fully received" "$(grep '^c	' "$ST" | cut -f2 | sort)" "$(cat "$W/c1")"

# excess, said and recorded
t_is "excess.csv: its header" "$(head -n 1 "$SPOOL/receipt/excess.csv")" \
	'"order_id","line_id","quantity","receipt_ids"'
t_is "excess.csv: a row per line beyond what is open" \
	"$(tail -n +2 "$SPOOL/receipt/excess.csv" | sort)" "$(cat "$W/excess1")"
t_true "... E, X2 and C0 among them" "$(grep -c "^\"\\($E\\|$X2\\|$C0\\)\"" "$W/excess1")" -ge 3
miss=$(while IFS= read -r l; do grep -qxF -- "$l" "$SCRATCH/err1" || echo "$l"; done <"$W/said1")
t_is "stderr says the held PO and every excess" "$miss" ""
t_true "... H named" "$(grep -c "PO $H held back" "$SCRATCH/err1")" -ge 1
t_is "... and nothing else" "$(sort "$SCRATCH/err1")" "$(cat "$W/said1")"

# the polines ledger: without the POs now fully received
grep -v '^	' "$L" | awk -F '	' '$2 != ""' | sort >"$SCRATCH/polines1"
t_is "polines: every line of the POs still open" "$(cat "$SCRATCH/polines1")" "$(cat "$W/polines1")"
t_is "... no record of a complete PO" \
	"$(cut -f1 "$L" | grep -cxFf "$W/c1" | tr -d ' ')" 0
t_is "... H, R and Q still there" "$(cut -f1 "$L" | sort -u | grep -cx "$H\\|$R\\|$Q")" 3
t_is "... every PO that is not complete is there" \
	"$(grep -v '^	' "$L" | cut -f1 | sort -u | wc -l)" "$((330 - $(wc -l <"$W/c1")))"

# run 2, right after: nothing new but H, still held
cp "$ST" "$SCRATCH/state1"
cp "$SPOOL/receipt/excess.csv" "$SCRATCH/excess1"
cp "$L" "$SCRATCH/polines.after1"
t_exit "run 2: H still held, exit 65" 65 receipt-export
t_is "... no file" "$(t_out)" ""
t_is "... none written" "$(re_files | wc -l)" 2
t_like "... H said again" "$(t_err)" "HotWax order [^ ]* item 00002 has no NetSuite line id .*PO $H held back"
t_ok "... the state unchanged" cmp "$SCRATCH/state1" "$ST"
t_ok "... excess.csv unchanged" cmp "$SCRATCH/excess1" "$SPOOL/receipt/excess.csv"
t_ok "... the polines ledger unchanged" cmp "$SCRATCH/polines.after1" "$L"

t_done
