#!/bin/sh
# The fold takes only posync's own files: names receipt-export could have
# written (common/rfile.c, rfile_is_posync).  It took any name its time
# parser read (review D 1.2): a person's file with a short millisecond
# field, posync_PurchaseOrderReceiptFeed_2099-01-01-00_00_00_5.json, once
# named in the held list, was folded away into posync's next file.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"
bed_re
H=$SPOOL/state/receipt-push.held
P=posync_PurchaseOrderReceiptFeed_2099-01-01-00_00_00_5.json
mkdir -p "$SPOOL/receipt/new"
printf '[{"order_id":"9","items":[{"line_id":"1","quantity":1}]}]\n' >"$SPOOL/receipt/new/$P"
printf '# posync notes v1\n%s\n' "$P" >"$H"

ns_po 8260 1:SKU1:100
recv 8260 1=1
t_exit "an export beside a person's file named like posync's" 0 receipt-export
t_true "... leaves the person's file in new/" -f "$SPOOL/receipt/new/$P"
t_is "... as it was" "$(cat "$SPOOL/receipt/new/$P")" \
	'[{"order_id":"9","items":[{"line_id":"1","quantity":1}]}]'
t_is "... and writes its own file beside it" "$(re_files | wc -l)" 2
t_done
