#!/bin/sh
# Folding never re-sends a receipt file NetSuite already has (review C,
# finding 1; posync(7), THE RECEIPT QUEUE):
#  - a run killed between the rename on the server and the move to cur/
#    leaves the published file A in new/; a person's file copied in with
#    an old mtime (cp -p) sorts before it, but A is still folded only when
#    receipt-push held it (it never holds a file it finds on the server);
#  - files a person puts back from cur/ into new/ (cp -p) were published
#    before, and are never folded into a new name.
# In both, what NetSuite received from posync's files sums to exactly what
# HotWax accepted.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"
bed_outbound

# ---- (a) a kill before the move to cur/, and a person's old file
ns_po 8400 1:SKU1:1000
printf '[{"order_id":"8400","items":[{"line_id":"1","quantity":0.25}]}]\n' \
	>"$SCRATCH/fix.json"
touch -d '2020-11-01 10:00' "$SCRATCH/fix.json"
recv 8400 1=1
pipe 2>"$SCRATCH/err"
A=$(ls "$SPOOL/receipt/cur" | grep Feed)
t_true "A is published and in cur/" -f "$R/$A"
mv "$SPOOL/receipt/cur/$A" "$SPOOL/receipt/new/$A"	# the kill
cp -p "$SCRATCH/fix.json" "$SPOOL/receipt/new/fix.json"
recv 8400 1=2
t_exit "receipt-export after the kill: exit 0" 0 receipt-export
t_true "... A, on the server already, is not folded" -f "$SPOOL/receipt/new/$A"
t_is "... A, fix.json and the new file wait" "$(ls "$SPOOL/receipt/new" | wc -l)" 3
for i in 1 2 3 4; do netsuite_reads; pipe 2>>"$SCRATCH/err"; done
netsuite_reads
t_is "... the spool is empty at the end" "$(ls "$SPOOL/receipt/new")" ""
t_is "NetSuite got 1+2 from posync's files, what HotWax accepted" \
	"$(ns_totals _PurchaseOrderReceiptFeed_)" "8400 1 3"
t_is "... and the person's file once" "$(ls "$SCRATCH/read" | grep -c fix.json)" 1

# ---- (b) published files put back from cur/ into new/
for q in 4 8; do recv 8400 1=$q; pipe 2>>"$SCRATCH/err"; netsuite_reads; done
t_is "three more published: 1+2+4+8 in all" "$(ns_totals _PurchaseOrderReceiptFeed_)" "8400 1 15"
for f in $(ls "$SPOOL/receipt/cur" | grep Feed | tail -2); do
	cp -p "$SPOOL/receipt/cur/$f" "$SPOOL/receipt/new/"
done
recv 8400 1=16
t_exit "receipt-export with two published files back in new/" 0 receipt-export
t_is "... neither is folded: three files wait" "$(ls "$SPOOL/receipt/new" | wc -l)" 3
B=$(ls "$SPOOL/receipt/new" | tail -1)
t_like "... the new file holds only the new 16" "$(cat "$SPOOL/receipt/new/$B")" \
	'"quantity": *16[^0-9.]'
for i in 1 2 3 4; do pipe 2>>"$SCRATCH/err"; netsuite_reads; done
t_is "... the spool is empty at the end" "$(ls "$SPOOL/receipt/new")" ""
t_is "NetSuite got what HotWax accepted, 31, no more" \
	"$(ns_totals _PurchaseOrderReceiptFeed_)" "8400 1 31"
t_done
