#!/bin/sh
# Which receipt files are posync's: a name receipt-export could have
# written (common/rfile.c, rfile_is_posync), the one test receipt-push and
# receipt-export's fold share.  They disagreed (review D 1.2): a person's
# file named posync_PurchaseOrderReceiptFeed_x.json was posync's to
# receipt-push (a glob) and a person's to the fold (the glob and a time).
# As posync's, one waiting unread in receipt_dir held every file back,
# and one in new/ was named in the held list, which only the fold reads.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"
bed_rp_folders
X=posync_PurchaseOrderReceiptFeed_x.json
F=posync_PurchaseOrderReceiptFeed_2026-01-01-00_00_00_000.json
G=posync_PurchaseOrderReceiptFeed_2026-01-01-00_15_00_000.json
body() { printf '[{"order_id":"%s","items":[{"line_id":"1","quantity":1}]}]\n' "$1"; }

# a person's file, named like posync's, waits unread on NetSuite's side
body 1 >"$R/$X"
body 2 >"$N/$F"
t_exit "a person's file waits unread in receipt_dir: receipt-push" 0 receipt-push </dev/null
t_true "... publishes posync's file all the same" -f "$R/$F"
t_true "... which leaves new/" ! -e "$N/$F"
t_is "... quietly" "$(t_err)" ""
rm -f "$R/$X" "$R/$F"

# one in new/, behind a posync file that goes out first
rm -f "$N/$F"
body 3 >"$N/$G"
sleep 0.01
body 4 >"$N/$X"
t_exit "a person's file named like posync's in new/: receipt-push" 0 receipt-push </dev/null
t_true "... publishes posync's file first" -f "$R/$G"
t_true "... and holds the person's (NetSuite has not read)" -f "$N/$X"
t_is "... not named in the held list, which only the fold reads" \
	"$(cat "$SP/state/receipt-push.held" 2>/dev/null | grep -c "^$X\$")" 0
t_done
