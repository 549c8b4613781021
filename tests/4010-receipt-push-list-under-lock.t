#!/bin/sh
# receipt-push lists spool/receipt/new under the publish lock (issue 8,
# review A finding 4): a fold that ends while it waits for the lock has
# removed the file it held and written a later one; the run publishes that
# later file and exits 0, and never names the one folded away.  The test
# holds the publish lock itself (flock(1)) and "folds" while it holds it.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"
command -v flock >/dev/null || t_skip_all "no flock(1)"
bed_rp_folders
mkdir -p "$SP/state"
OLD=posync_PurchaseOrderReceiptFeed_2026-01-01-00_00_00_000.json
NEW=posync_PurchaseOrderReceiptFeed_2026-01-01-00_05_00_000.json
printf '[{"order_id":"1","items":[{"line_id":"1","quantity":1}]}]\n' >"$SP/receipt/new/$OLD"

# the "fold": under the lock, a later file with both receipts, the held one gone
flock "$SP/state/receipt-publish.lock" sh -c '
	touch "$1/locked"; sleep 2
	printf "[{\"order_id\":\"1\",\"items\":[{\"line_id\":\"1\",\"quantity\":2}]}]\n" >"$2/$4"
	rm "$2/$3"' sh "$SCRATCH" "$SP/receipt/new" "$OLD" "$NEW" &
FOLD=$!
n=0; while [ ! -e "$SCRATCH/locked" ] && [ $n -lt 50 ]; do sleep 0.1; n=$((n+1)); done
t_true "the test holds the publish lock" -e "$SCRATCH/locked"
t_exit "receipt-push started during the fold exits 0" 0 receipt-push </dev/null
t_is "... says nothing" "$(t_err)" ""
wait $FOLD
t_true "... published the file the fold wrote" -f "$R/$NEW"
t_true "... which moved to cur/" -f "$SP/receipt/cur/$NEW"
t_is "... and nothing else" "$(ls "$R" | grep -c '\.json$')" 1
t_done
