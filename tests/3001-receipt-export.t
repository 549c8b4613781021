#!/bin/sh
# receipt-export against the HotWax simulator: the elements of the file
# (open lines only, zero lines, lines that never reached HotWax, exact
# decimal sums), rejected-only POs, excess capped and recorded, orders that
# are not NetSuite's ignored, a PO received in two steps, a receipt made
# visible late with an earlier time, -n, and quiet runs with nothing new.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_re
# each run's own file is checked: no fold (0872, 0873 test the fold)
re_nofold

t_exit "a bad option is a usage error" 64 receipt-export --bogus
t_ok "-V" receipt-export -V
t_is "-V prints name and version" "$(t_out)" "receipt-export posync 0.1.0"

# NetSuite sent these lines; line 3 of 1001 has a SKU HotWax does not know,
# line 4 was rejected for its quantity: neither reached HotWax.
ns_po 1001 1:SKU1:10 2:SKU2:4 3:NOSUCH:2 4:SKU1:?
ns_po 1002 1:SKU1:5 2:SKU2:1
ns_po 1003 1:SKU1:3
ns_po 1004 1:SKU2:2
hw_ctl POST /_sim/orders '{"orderId":"SO1","orderTypeId":"SALES_ORDER","items":[{"productId":"P1","quantity":2}]}' >/dev/null
hw_ctl POST /_sim/orders '{"orderId":"PO9","items":[{"productId":"P1","quantity":2}]}' >/dev/null
t_is "HotWax has the NetSuite lines it could take" \
	"$(hw_ctl GET /_sim/state | hw_json '" ".join(o["externalId"] + "/" + i["externalId"] for o in d["orders"] if o["externalId"] for i in o["items"])')" \
	"1001/1 1001/2 1002/1 1002/2 1003/1 1004/1"

recv 1001 1=3 2=0.1
recv 1001 1=2 2=0.2
recv 1002 1=5
recv 1003 1=0/3		# rejected goods only: no element
recv 1004 1=5		# 2 ordered: 3 too many
recv @SO1 '#00001=2'
recv @PO9 '#00001=1'
R1004=$(hw_ctl GET /_sim/state | hw_json '" ".join(r["receiptId"] for r in d["receipts"] if r["orderId"] == [o["orderId"] for o in d["orders"] if o["externalId"] == "1004"][0])')

t_exit "first run: excess on 1004 makes it exit 65" 65 receipt-export -v
f1=$(t_out)
t_like "it prints one path in receipt/new" "$f1" \
	"^$SPOOL/receipt/new/posync_PurchaseOrderReceiptFeed_[0-9]{4}-[0-9]{2}-[0-9]{2}-[0-9]{2}_[0-9]{2}_[0-9]{2}_[0-9]{3}\.json\$"
t_is "the file holds exactly the open lines of each PO with goods" "$(cat "$f1")" \
'[{"order_id":"1001","items":[{"line_id":"1","quantity":5},{"line_id":"2","quantity":0.3},{"line_id":"3","quantity":0},{"line_id":"4","quantity":0}]},
{"order_id":"1002","items":[{"line_id":"1","quantity":5},{"line_id":"2","quantity":0}]},
{"order_id":"1004","items":[{"line_id":"1","quantity":2}]}]'
t_like "the excess is said on stderr" "$(t_err)" "PO \"1004\" line \"1\": 3 accepted .*\"$R1004\""
t_like "-v says the sales order is ignored" "$(t_err)" "order SO1 is not a NetSuite purchase order"
t_like "-v says the PO without externalId is ignored" "$(t_err)" "order PO9 is not a NetSuite purchase order"
t_is "excess.csv: header and one row" "$(cat "$SPOOL/receipt/excess.csv")" \
"\"order_id\",\"line_id\",\"quantity\",\"receipt_ids\"
\"1004\",\"1\",\"3\",\"$R1004\""
t_true "no journal left" ! -e "$SPOOL/state/receipt-export.pending"

t_exit "second run, nothing new: exit 0" 0 receipt-export
t_is "silent on stdout" "$(t_out)" ""
t_is "silent on stderr" "$(t_err)" ""
t_is "no new file" "$(re_files | wc -l)" 1
t_is "the excess is not recorded twice" "$(wc -l <"$SPOOL/receipt/excess.csv")" 2

# two steps: the second file leaves out the line the first completed
recv 1002 2=1
t_exit "the rest of 1002" 0 receipt-export
f2=$(t_out)
t_is "only the line still open" "$(cat "$f2")" \
	'[{"order_id":"1002","items":[{"line_id":"2","quantity":1}]}]'
t_true "the second name sorts after the first" "$(printf '%s\n%s\n' "$f2" "$f1" | sort | head -n 1)" = "$f1"
t_is "1002 fully received: gone from the polines ledger" \
	"$(grep -c '^1002	' "$SPOOL/state/polines")" 0
t_is "1001 still there" "$(grep -c '^1001	[^	]' "$SPOOL/state/polines")" 4

# -n shows the file and changes nothing
recv 1001 1=1
cp "$SPOOL/state/receipt-export.state" "$SCRATCH/state.before"
want='[{"order_id":"1001","items":[{"line_id":"1","quantity":1},{"line_id":"2","quantity":0},{"line_id":"3","quantity":0},{"line_id":"4","quantity":0}]}]'
t_exit "-n" 0 receipt-export -n
t_is "-n prints the JSON it would write" "$(t_out)" "$want"
t_is "-n writes no file" "$(re_files | wc -l)" 2
t_ok "-n leaves the state alone" cmp "$SCRATCH/state.before" "$SPOOL/state/receipt-export.state"
t_exit "the real run" 0 receipt-export
t_is "writes what -n showed" "$(cat "$(t_out)")" "$want"

# a receipt visible late, with a time inside the overlap
hw_ctl POST /_sim/fault '{"kind":"late_receipts","path":"oms/purchaseOrders/.*/receive","hide_seconds":600,"backdate_seconds":60}' >/dev/null
recv 1001 2=1
t_exit "the late receipt is not visible yet" 0 receipt-export
t_is "no file" "$(t_out)" ""
recv 1001 1=1
t_exit "a receipt after it" 0 receipt-export
t_is "goes out alone" "$(cat "$(t_out)")" \
	'[{"order_id":"1001","items":[{"line_id":"1","quantity":1},{"line_id":"2","quantity":0},{"line_id":"3","quantity":0},{"line_id":"4","quantity":0}]}]'
hw_ctl POST /_sim/release-late >/dev/null
t_exit "the late receipt appears, with an earlier time" 0 receipt-export
t_is "goes out once" "$(cat "$(t_out)")" \
	'[{"order_id":"1001","items":[{"line_id":"1","quantity":0},{"line_id":"2","quantity":1},{"line_id":"3","quantity":0},{"line_id":"4","quantity":0}]}]'
t_exit "and never again" 0 receipt-export
t_is "no file" "$(t_out)$(t_err)" ""

# every receipt, over all files, exactly once
t_is "the totals over every file" "$(re_totals)" "1001 1 7
1001 2 1.3
1001 3 0
1001 4 0
1002 1 5
1002 2 1
1004 1 2"
t_is "five files, all with distinct names" "$(re_files | sort -u | wc -l)" 5

t_done
