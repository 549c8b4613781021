#!/bin/sh
# receipt-export's query window and ledger: the ledger forgets receipts
# that fell before the window (it stays bounded), and the window never
# moves back over them -- not even when a PO is held back by a receipt
# with an earlier time -- so a forgotten receipt is never exported again.
# Receipt times are set with the simulator's late_receipts fault
# (backdate_seconds, nothing hidden).
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_re hotwax.receipt_overlap=100

rid_of() { # ORDERID -- the newest receipt id of a HotWax order
	hw_ctl GET /_sim/state | hw_json "[r['receiptId'] for r in d['receipts'] if r['orderId'] == '$1'][-1]"
}
ledger() { sed -n 's/^r	\([^	]*\)	.*/\1/p' "$SPOOL/state/receipt-export.state" | tr '\n' ' '; }

ns_po 5001 1:SKU1:100
HX=$(hw_ctl GET /_sim/state | hw_json '[o["orderId"] for o in d["orders"] if o["externalId"] == "5001"][0]')
backdate 150
recv 5001 1=1
A=$(rid_of "$HX")
t_exit "a receipt 150 s old" 0 receipt-export
t_is "goes out" "$(cat "$(t_out)")" '[{"order_id":"5001","items":[{"line_id":"1","quantity":1}]}]'
t_is "the ledger holds it" "$(ledger)" "$A "

recv 5001 1=2
B=$(rid_of "$HX")
t_exit "a receipt now" 0 receipt-export
t_is "goes out alone" "$(cat "$(t_out)")" '[{"order_id":"5001","items":[{"line_id":"1","quantity":2}]}]'
t_is "the ledger forgot the first (before cursor - overlap): it stays bounded" "$(ledger)" "$B "

# A PO held back (its line has no NetSuite id) by a receipt 90 s old:
# inside the window, before the cursor.
hw_ctl POST /_sim/orders '{"orderId":"HX9","externalId":"5009","items":[
	{"orderItemSeqId":"00001","productId":"P1","quantity":3}]}' >/dev/null
printf '5009\t1\t3\n' >>"$SPOOL/state/polines"
backdate 90
recv @HX9 '#00001=1'
t_exit "a held PO with an earlier receipt: 65" 65 receipt-export
t_like "... said" "$(t_err)" "HotWax order HX9 item 00001 has no NetSuite line id.*PO 5009 held back"
t_is "... no file" "$(t_out)" ""
t_exit "still held on the next run" 65 receipt-export
t_is "... and still no file: the forgotten receipt is not exported again" "$(t_out)" ""
t_is "every receipt of 5001 went out exactly once" "$(re_totals)" "5001 1 3"
t_is "two files in all" "$(re_files | wc -l)" 2

t_done
