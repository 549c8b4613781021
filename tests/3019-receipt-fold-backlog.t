#!/bin/sh
# A backlog of waiting receipt files is folded even by a run that exports
# nothing new (contracts.md section 4: at most one posync file waits).
# Before, only a run with new receipts folded, so files made while the
# publish lock was busy, or during an SFTP outage, drained one per NetSuite
# import.  During an outage receipt-push cannot hold (it cannot see the
# server), so the oldest file, which may be out on the server already, is
# kept apart; every later one is folded: at most two files wait, and one
# once receipt-push has held the oldest.  NetSuite's sums match HotWax's.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_need receipt-export receipt-push
bed_outbound
# NetSuite reads what waits in its receipt folder
ns_read() { for f in "$R"/*.json; do [ -e "$f" ] && mv "$f" "$R/archive/"; done; :; }
nfiles() { re_files | wc -l; }
# quantity per PO line over what NetSuite read
ns_totals() {
	python3 - "$R/archive" <<'PY'
import json, os, sys
from decimal import Decimal
t = {}
for n in sorted(os.listdir(sys.argv[1])):
    for el in json.load(open(os.path.join(sys.argv[1], n))):
        for it in el["items"]:
            k = (el["order_id"], it["line_id"])
            t[k] = t.get(k, Decimal(0)) + Decimal(str(it["quantity"]))
for k in sorted(t):
    print(k[0], k[1], t[k])
PY
}

ns_po 8720 1:SKU1:1000
recv 8720 1=1
t_ok "a first file goes out and waits unread" pipe

# A: receipt-push was publishing (the publish lock busy): no fold
for k in 1 2 3; do
	recv 8720 1=1
	flock "$SPOOL/state/receipt-publish.lock" receipt-export >/dev/null
done
t_is "three files wait" "$(nfiles)" 3
t_ok "receipt-push holds them" receipt-push
t_is "... naming all three in its held list" \
	"$(rp_held | wc -l)" 3
t_ok "a tick with no new receipt" pipe
t_is "... folds them: one file waits" "$(nfiles)" 1
t_is "... holding all three receipts once" "$(re_totals)" "8720 1 3"
t_ok "a second tick with nothing new" pipe
t_is "... changes nothing" "$(nfiles)" 1

# B: an SFTP outage (receipt-push cannot connect), a receipt a tick
sed 's/^port = .*/port = 1/' "$POSYNC_CONFIG" >"$SCRATCH/down.conf"
grep -q '^port = 1$' "$SCRATCH/down.conf" || t_bail "no port in the config"
max=0
for k in 1 2 3 4; do
	recv 8720 1=1
	receipt-export | receipt-push -c "$SCRATCH/down.conf" 2>/dev/null
	n=$(nfiles)
	[ "$n" -gt "$max" ] && max=$n
done
t_is "4 outage ticks: never more than two files wait" "$max" 2
ns_read
t_ok "the server back, NetSuite read the first: a tick" pipe
t_ok "... and one more (nothing new)" pipe
t_is "... one file waits" "$(nfiles)" 1
for k in 1 2 3; do
	ns_read
	pipe
done
t_is "drained: nothing waits" "$(nfiles)" 0
t_is "NetSuite read each receipt once: 1 + 3 + 4" "$(ns_totals)" "8720 1 8"
t_done
