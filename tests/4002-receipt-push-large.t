#!/bin/sh
# receipt-push publishing a 20 MB file: NetSuite's receipt folder never
# holds a partial file.  A background loop watches the folder (and the
# staging folder) during the upload and records every size it sees.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_rp_folders
SP=$SCRATCH/spool/receipt STG=$S
N=posync_PurchaseOrderReceiptFeed_2026-11-27-10_00_00_000.json

python3 - "$SP/new/$N" <<'PY'
import sys
el = '{"order_id": "%d", "items": [{"line_id": "1", "quantity": 1}]}'
out, parts, size, i = sys.argv[1], [], 1, 0
while size < 20_000_000:
    parts.append(el % i); size += len(parts[-1]) + 2; i += 1
open(out, "w").write("[" + ",\n".join(parts) + "]\n")
PY
FULL=$(stat -c %s "$SP/new/$N")
t_true "a receipt file of 20 MB" "$FULL" -ge 20000000

# The watcher: one line per sighting, "receipt NAME SIZE" or "staging
# NAME SIZE".
mkdir -p "$STG"
rp_watch 0 receipt="$R" staging="$STG"
sleep 0.2
t_ok "publish it" receipt-push
sleep 0.2
touch "$SCRATCH/stop"
wait "$WATCH"

t_ok "it is in receipt/, whole" cmp "$R/$N" "$SP/cur/$N"
seen_r=$(grep -c '^receipt ' "$SCRATCH/seen")
t_true "the watcher saw the file in receipt/" "$seen_r" -gt 0
t_is "every sighting in receipt/ had the full size" \
	"$(grep '^receipt ' "$SCRATCH/seen" | grep -vc " $FULL\$")" 0
partial=$(grep '^staging ' "$SCRATCH/seen" | grep -vc " $FULL\$")
t_diag "sightings: $seen_r in receipt/ (all whole), $partial partial ones in staging"
t_true "the watcher saw the upload in progress (a partial file in staging)" "$partial" -gt 0
t_is "staging is empty afterwards" "$(ls -A "$STG")" ""

t_done
