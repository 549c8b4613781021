#!/bin/sh
# A file a person hands to receipt-push (issue 8, review A finding 2) takes
# its place in the queue by when it entered spool/receipt/new: it goes
# after the files made before it and before those made after, so a steady
# flow of receipts does not starve it.  Held, it is said on stderr once,
# to the person who named it; the cron pipe stays quiet.  The posync files
# queued before it are never folded into a file that would go after it.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"
bed_outbound
published() { ls "$R" "$R/archive" | grep -c '\.json$'; }
ns_po 8400 1:SKU1:1000
recv 8400 1=1
t_ok "a first file goes out" pipe
printf '[{"order_id":"8400","items":[{"line_id":"1","quantity":0.5}]}]\n' >"$SCRATCH/fix-8400.json"
t_exit "a person publishes a correction by hand: exit 0" 0 receipt-push "$SCRATCH/fix-8400.json"
t_like "... told it is held" "$(t_err)" '^receipt-push: ".*/fix-8400\.json": held until NetSuite reads'
t_is "... in one line" "$(t_err | wc -l)" 1
sleep 0.01
netsuite_reads
recv 8400 1=1
pipe 2>"$SCRATCH/pipe.err"
t_true "at the first read after the file before it, the person's file is published" -f "$R/fix-8400.json"
t_is "... the cron pipe said nothing" "$(cat "$SCRATCH/pipe.err")" ""
t_is "... the tick's own file waits behind it" "$(ls "$SCRATCH/spool/receipt/new" | grep -c PurchaseOrderReceiptFeed)" 1
for t in 1 2; do
	netsuite_reads
	recv 8400 1=1
	pipe 2>>"$SCRATCH/pipe.err"
done
t_is "two more ticks: one file published per read" "$(published)" 4
t_is "... quietly" "$(cat "$SCRATCH/pipe.err")" ""

# ---- older posync files waiting with it go first, and are not folded past it
netsuite_reads
ns_po 8401 1:SKU1:1000
recv 8401 1=1
pipe			# A: published, unread
recv 8401 1=1
pipe			# B: made, held
A=$(ls "$SCRATCH/spool/receipt/new")
printf '[{"order_id":"8401","items":[{"line_id":"1","quantity":0.5}]}]\n' >"$SCRATCH/fix-8401.json"
sleep 0.01
t_exit "a second correction by hand, behind an older held file: exit 0" 0 receipt-push "$SCRATCH/fix-8401.json"
sleep 0.01
recv 8401 1=1
pipe 2>"$SCRATCH/pipe.err"	# C: made after the person's file
netsuite_reads
recv 8401 1=1
pipe 2>>"$SCRATCH/pipe.err"
t_true "at the next read the older posync file goes, not folded" -f "$R/$A"
netsuite_reads
recv 8401 1=1
pipe 2>>"$SCRATCH/pipe.err"
t_true "... then the person's file" -f "$R/fix-8401.json"
netsuite_reads
pipe 2>>"$SCRATCH/pipe.err"
t_is "... then one file with what came after it" "$(ls "$R" | grep -c PurchaseOrderReceiptFeed)" 1
t_is "... nothing waits any more" "$(ls "$SCRATCH/spool/receipt/new")" ""
t_is "... all quietly" "$(cat "$SCRATCH/pipe.err")" ""
t_done
