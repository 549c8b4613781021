#!/bin/sh
# A folder made in NetSuite's receipt folder, under the name of the file
# being published, after receipt-push listed the folder and before its
# rename: the rename was refused, taken for "someone published it
# meanwhile", and the file moved to SPOOL/receipt/cur unsent, exit 0.
# Now receipt-push looks at what refused it: not a regular file, so the
# file stays in SPOOL/receipt/new with the file after it, said, exit 78;
# nothing is left in staging; the folder removed, it goes out whole.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"
bed_rp_folders
RR=$SFTP_BASE/purchaseorder/receipt		# as the server names it
F=posync_PurchaseOrderReceiptFeed_2026-01-01-00_00_00_000.json
G=posync_PurchaseOrderReceiptFeed_2026-01-01-00_15_00_000.json
# large enough that its upload lasts while the folder is made: a JSON
# array padded with 40 MB of spaces (receipt-push checks the first byte)
{ printf '['; head -c 40000000 /dev/zero | tr '\0' ' '
  printf '{"order_id":"1","items":[{"line_id":"1","quantity":1}]}]\n'; } >"$N/$F"
printf '[{"order_id":"2","items":[{"line_id":"1","quantity":2}]}]\n' >"$N/$G"

# the folder is made once the upload into staging has begun
timeout 60 sh -c 'while [ ! -e "$1" ]; do :; done; mkdir "$2" && touch "$3"' \
	sh "$S/$F" "$R/$F" "$SCRATCH/made" &
W=$!
receipt-push </dev/null >"$SCRATCH/o" 2>"$SCRATCH/e"; rc=$?
wait $W
if [ ! -e "$SCRATCH/made" ]; then
	# the upload and rename beat the watcher: nothing to check here
	t_skip_all "the folder was not made before the rename (rc $rc)"
fi
t_is "the rename refused by a folder made meanwhile: exit 78" $rc 78
t_like "... said without -v, naming the folder" "$(cat "$SCRATCH/e")" \
	"receipt-push: \"$RR/$F\": a folder has the name of the receipt file \"$N/$F\".*the 1 file\\(s\\) after it wait"
t_true "... the file stays in new/, not moved to cur/" -f "$N/$F" -a ! -e "$C/$F"
t_true "... the next one too" -f "$N/$G" -a ! -e "$R/$G"
t_is "... nothing left in staging" "$(ls "$S")" ""
rmdir "$R/$F"
t_exit "the folder removed: the next run" 0 receipt-push </dev/null
t_ok "... publishes the file whole" cmp "$C/$F" "$R/$F"
t_true "... and only it" ! -e "$R/$G"
t_done
