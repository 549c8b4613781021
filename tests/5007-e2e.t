#!/bin/sh
# The whole cycle, as cron runs it, for 20 POs of several lines each:
# NetSuite exports, the inbound job imports into HotWax, stores receive in
# two rounds (parts, rejected goods, the rest), the outbound job publishes,
# NetSuite imports.  Every PO must end Received in NetSuite with exactly
# what HotWax accepted, every spool folder in its expected state, and no
# process left running.
. "${0%/*}/lib.sh"
. "$BED/sshd.sh"
. "$BED/hotwax.sh"
. "$BED/posync.sh"
. "$BED/flow.sh"

# 20 POs, 1-4 lines, a few decimal quantities; and a receiving plan in two
# rounds that together accept exactly what was ordered.
python3 - "$SCRATCH" <<'PY'
import json, random, sys
rnd = random.Random(20261127)
pos, r1, r2 = [], [], []
for n in range(20):
    po = str(13000000 + n * 7)
    lines = []
    for l in range(1, rnd.randint(2, 4) + 1):
        q = rnd.choice(["1", "2", "5", "12", "2.5", "0.75", "40"])
        lines.append({"line_id": str(l), "sku": "SKU-%d" % rnd.randint(100, 140), "quantity": q})
    pos.append({"id": po, "facility": rnd.choice(["116", "120"]), "arrival": "12/24/2026", "lines": lines})
    a, b = [], []
    for ln in lines:
        from decimal import Decimal
        q = Decimal(ln["quantity"])
        first = (q / 2).quantize(Decimal("0.01")) if rnd.random() < 0.6 else (q if rnd.random() < 0.5 else Decimal(0))
        rej = "1" if rnd.random() < 0.2 else "0"
        if first > 0 or rej != "0":
            a.append("%s:%s:%s" % (ln["line_id"], first, rej))
        if q - first > 0:
            b.append("%s:%s" % (ln["line_id"], q - first))
    r1.append(po + " " + " ".join(a) if a else "")
    r2.append(po + " " + " ".join(b) if b else "")
json.dump(pos, open(sys.argv[1] + "/pos.json", "w"))
open(sys.argv[1] + "/round1", "w").write("\n".join(x for x in r1 if x) + "\n")
open(sys.argv[1] + "/round2", "w").write("\n".join(x for x in r2 if x) + "\n")
PY

flow_start "$SCRATCH/pos.json" || { echo "Bail out! the test servers did not start"; exit 1; }
posync_conf hotwax.batch_size=25
lines=$(python3 -c 'import json,sys; print(sum(len(p["lines"]) for p in json.load(open(sys.argv[1]))))' "$SCRATCH/pos.json")

ns export --age 120 >/dev/null
t_ok "the inbound cron job succeeds" flow_inbound
t_is "the inbound job prints nothing" "$(t_out)$(t_err)" ""
t_is "HotWax holds the 20 POs" "$(hw_ctl GET /_sim/state | hw_json 'len([o for o in d["orders"] if o.get("externalId")])')" 20
t_is "HotWax holds every line" "$(hw_ctl GET /_sim/state | hw_json 'sum(len(o["items"]) for o in d["orders"])')" "$lines"

receive_round() {
	while read -r po specs; do
		[ -n "$po" ] && flow_receive "$po" $specs || return 1
	done <"$1"
}
t_ok "round one received in HotWax" receive_round "$SCRATCH/round1"
t_ok "the outbound cron job succeeds" flow_outbound
t_is "the outbound job prints nothing" "$(t_out)$(t_err)" ""
t_ok "NetSuite imports the first receipt file" ns import
t_is "no NetSuite error CSV" "$(ls "$SFTP_BASE/purchaseorder/receipt/error" | wc -l)" 0
# After round one NetSuite holds exactly round one's accepted quantities,
# line by line (0 for lines not yet received: were an open line left out
# of the receipt file, NetSuite would receive it in full), and each PO's
# status follows: Received when every line is, Pending when none is.
want1=$(python3 - "$SCRATCH/pos.json" "$SCRATCH/round1" <<'PY'
import json, sys
from decimal import Decimal
acc = {}
for row in open(sys.argv[2]):
    f = row.split()
    for spec in f[1:]:
        l, a = spec.split(":")[:2]
        acc[(f[0], l)] = Decimal(a)
for p in json.load(open(sys.argv[1])):
    got = [acc.get((p["id"], l["line_id"]), Decimal(0)) for l in p["lines"]]
    full = all(g == Decimal(l["quantity"]) for g, l in zip(got, p["lines"]))
    st = "Received" if full else "Pending" if not any(got) else "Partially Received"
    for g, l in zip(got, p["lines"]):
        print(p["id"], l["line_id"], format(g.normalize(), "f"), st)
PY
)
flow_table -json >"$SCRATCH/account1"
t_is "after round one NetSuite received exactly round one's accepted quantities" \
	"$(python3 -c 'import json,sys
for l in open(sys.argv[1]):
    r = json.loads(l); print(r["po"], r["line"], r["netsuite"], r["status"])' "$SCRATCH/account1")" "$want1"

t_ok "round two received in HotWax" receive_round "$SCRATCH/round2"
t_ok "the outbound cron job succeeds again" flow_outbound
t_ok "NetSuite imports the second receipt file" ns import

flow_table -json >"$SCRATCH/account"
t_ok "every PO Received, NetSuite quantities equal HotWax's accepted" flow_table -check
t_is "every NetSuite line received in full" \
	"$(python3 -c 'import json,sys; print(sum(1 for l in open(sys.argv[1]) if json.loads(l)["netsuite"] == json.loads(l)["ordered"]))' "$SCRATCH/account")" "$lines"

sp=$SCRATCH/spool
count() { ls "$@" 2>/dev/null | wc -l; }
t_is "po/new is empty" "$(count "$sp/po/new")" 0
t_is "po/failed is empty" "$(count "$sp/po/failed")" 0
t_is "po/rejects is empty" "$(count "$sp/po/rejects")" 0
t_is "po/cur holds ceil(lines/25) batches" "$(count "$sp"/po/cur/*.json)" $(( (lines + 24) / 25 ))
t_is "receipt/new is empty" "$(count "$sp/receipt/new")" 0
t_is "receipt/cur holds the two published files" "$(count "$sp"/receipt/cur/*.json)" 2
t_is "receipt/failed is empty" "$(count "$sp/receipt/failed")" 0
t_is "po/raw holds the one CSV as downloaded" "$(count "$sp/po/raw")" 1
t_is "po/tmp is empty" "$(count "$sp/po/tmp")" 0
t_is "receipt/tmp is empty" "$(count "$sp/receipt/tmp")" 0
t_is "receipt/errors is empty" "$(count "$sp/receipt/errors")" 0
t_true "no receipt/excess.csv" ! -s "$sp/receipt/excess.csv"
rb=$SFTP_BASE/purchaseorder
t_is "the PO CSV was archived on the server" "$(count "$rb/fulfillment/archive")" 1
t_is "no CSV left in the inbox" "$(find "$rb/fulfillment" -maxdepth 1 -type f | wc -l)" 0
t_is "NetSuite archived both receipt files" "$(count "$rb/receipt/archive")" 2
t_is "no receipt file left unread" "$(find "$rb/receipt" -maxdepth 1 -type f | wc -l)" 0

t_ok "a third outbound run publishes nothing" flow_outbound
t_is "and prints nothing" "$(t_out)$(t_err)" ""
t_is "still two files published" "$(count "$sp"/receipt/cur/*.json)" 2

t_ok "the servers stop" flow_stop
t_ok "sshd is gone" sh -c "! kill -0 $SSHD_PID 2>/dev/null"
t_ok "the HotWax simulator is gone" sh -c "! kill -0 $HOTWAX_PID 2>/dev/null"
t_is "no posync program is left running" "$(pgrep -f "$SCRATCH" | grep -v "^$$\$" | wc -l)" 0
t_done
