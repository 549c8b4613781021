#!/bin/sh
# kill -9 of receipt-push at random moments, each followed by reruns: every
# file is published exactly once and the receipt folder never holds a
# partial file.  NetSuite (the simulator) reads each file before the next
# round, and counts the Item Receipts it made.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_rp_folders
SP=$SCRATCH/spool/receipt STG=$S
mkdir -p "$STG"
NS() { python3 "$BED/netsuite-sim.py" --state "$SCRATCH/ns.json" "$@"; }
echo '[{"id": "1001", "facility": "116", "arrival": "", "lines": [{"line_id": "1", "sku": "A", "quantity": 1000}]}]' >"$SCRATCH/pos.json"
NS load "$SCRATCH/pos.json" || { echo "Bail out! netsuite-sim load failed"; exit 1; }

# Each file: one element receiving 1 on PO 1001, padded with whitespace to
# 3 MB so that a kill often lands during the upload.
python3 - "$SCRATCH/template.json" <<'PY'
import sys
body = '[{"order_id": "1001", "items": [{"line_id": "1", "quantity": 1}]}'
open(sys.argv[1], "w").write(body + " " * (3_000_000 - len(body) - 2) + "]\n")
PY
FULL=$(stat -c %s "$SCRATCH/template.json")

# The watcher records the size of every file it sees in receipt/.
rp_watch 0 receipt="$R"

ROUNDS=20 killed=0 bad=0 reruns_bad=0
i=0
while [ $i -lt $ROUNDS ]; do
	i=$((i + 1))
	n=posync_PurchaseOrderReceiptFeed_2026-11-27-10_00_$(printf %02d $i)_000.json
	cp "$SCRATCH/template.json" "$SP/new/$n"
	# Two kills a round, at random moments within the first 0.4 s.
	for k in 1 2; do
		receipt-push 2>>"$SCRATCH/kill.err" &
		pid=$!
		sleep "0.$(od -An -N1 -tu1 /dev/urandom | awk '{printf "%03d", $1 * 400 / 255}')"
		kill -9 "$pid" 2>/dev/null && killed=$((killed + 1))
		wait "$pid" 2>/dev/null
	done
	# Reruns finish the work.
	tries=0
	until [ -f "$SP/cur/$n" ] || [ $tries -ge 3 ]; do
		receipt-push 2>>"$SCRATCH/rerun.err" || reruns_bad=$((reruns_bad + 1))
		tries=$((tries + 1))
	done
	if [ ! -f "$SP/cur/$n" ] || ! cmp -s "$R/$n" "$SCRATCH/template.json" ||
		[ "$(ls "$R" | grep -c '\.json$')" != 1 ]; then
		bad=$((bad + 1))
		t_diag "round $i: not published exactly once and whole: $(ls "$R")"
	fi
	NS import >/dev/null || bad=$((bad + 1))
done
touch "$SCRATCH/stop"
wait "$WATCH"

t_diag "$killed of $((ROUNDS * 2)) runs were killed before they ended"
t_is "every round ended with its file in receipt/ once, whole, and in cur/" "$bad" 0
t_is "no rerun failed" "$reruns_bad" 0
[ -s "$SCRATCH/rerun.err" ] && sed 's/^/# rerun: /' "$SCRATCH/rerun.err" | head -n 10
t_is "NetSuite made one Item Receipt per file" \
	"$(NS show | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["item_receipts"]))')" "$ROUNDS"
t_is "... so PO 1001 line 1 received $ROUNDS" "$(NS received 1001 1)" "$ROUNDS"
t_is "the archive holds every file" "$(ls "$R/archive" | grep -c '\.json$')" "$ROUNDS"
t_true "the watcher saw files in receipt/" -s "$SCRATCH/seen"
t_is "every file ever seen in receipt/ had its full size" \
	"$(grep -vc " $FULL\$" "$SCRATCH/seen")" 0
t_is "staging is empty" "$(ls -A "$STG")" ""
t_is "the spool's new/ is empty" "$(ls -A "$SP/new")" ""

t_done
