#!/bin/sh
# receipt-export: a malformed receipt row from HotWax (negative, non-numeric
# or over-precise quantityAccepted, no orderId or orderItemSeqId) holds back
# only its own PO -- named on stderr, exit 65, the cursor kept before it --
# while every other PO goes out; once HotWax answers well again the held
# POs go out, once.  A malformed answer as a whole still fails the run (76).
# The simulator refuses to make such receipts, so the first receipt page is
# a hand-written copy of its real one with the rows spoiled (fault "status"
# 200 with a body).
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_re hotwax.receipt_overlap=0

ns_po 2001 1:SKU1:5 2:SKU2:5
ns_po 2002 1:SKU1:4
ns_po 2003 1:SKU1:4
ns_po 2004 1:SKU1:4
ns_po 2005 1:SKU1:4
ns_po 2006 1:SKU1:4
recv 2001 1=1
recv 2001 2=2
recv 2002 1=4
recv 2003 1=3
recv 2004 1=2
recv 2005 1=1
recv 2006 1=4

# receipt id of PO $1 line $2 (the first one), from the simulator's state
rid() {
	hw_ctl GET /_sim/state | hw_json "[r['receiptId'] for r in d['receipts']
		for o in d['orders'] if o['orderId'] == r['orderId'] and o['externalId'] == '$1'
		for i in o['items'] if i['orderItemSeqId'] == r['orderItemSeqId'] and i['externalId'] == '$2'][0]"
}
r1=$(rid 2001 2) r3=$(rid 2003 1) r4=$(rid 2004 1) r5=$(rid 2005 1) r6=$(rid 2006 1)
ms5=$(hw_ctl GET /_sim/state | hw_json "[r['datetimeReceived'] for r in d['receipts'] if r['receiptId'] == '$r5'][0]")

# The real first page, spoiled: PO 2001's line-2 receipt negative, 2003's
# with 9 places, 2004's without an item, 2005's without an order, 2006's
# quantity not a number.
page=$(hw_api POST performFind '{"entityName":"ShipmentReceiptAndItem",
	"inputFields":{},"fieldList":["receiptId","orderId","orderItemSeqId",
	"quantityAccepted","quantityRejected","datetimeReceived"],
	"orderBy":"datetimeReceived,receiptId","viewSize":250,"viewIndex":0,
	"noConditionFind":"Y"}' |
	python3 -c '
import json, sys
p = json.load(sys.stdin)
r1, r3, r4, r5, r6 = sys.argv[1:]
for d in p["docs"]:
    if d["receiptId"] == r1: d["quantityAccepted"] = -2
    if d["receiptId"] == r3: d["quantityAccepted"] = "SPOIL"
    if d["receiptId"] == r4: del d["orderItemSeqId"]
    if d["receiptId"] == r5: del d["orderId"]
    if d["receiptId"] == r6: d["quantityAccepted"] = "abc"
s = json.dumps(p)
# 9 decimal places, as a JSON number (json.dumps cannot write one)
print(s.replace("\"SPOIL\"", "1.123456789"))
' "$r1" "$r3" "$r4" "$r5" "$r6") || t_bail "cannot read the simulator's receipts"
t_is "the page holds the 7 receipts" \
	"$(printf '%s' "$page" | hw_json 'len(d["docs"])')" 7
fault() {
	hw_ctl POST /_sim/fault "$(python3 -c '
import json, sys
print(json.dumps({"kind": "status", "status": 200, "method": "POST",
                  "path": "performFind", "count": 1, "body": sys.argv[1],
                  "content_type": "application/json"}))' "$1")" >/dev/null
}

fault "$page"
t_exit "bad rows: exit 65" 65 receipt-export
err=$(t_err)
t_is "only the good PO goes out" "$(cat "$(t_out)")" \
	'[{"order_id":"2002","items":[{"line_id":"1","quantity":4}]}]'
t_like "the negative quantity is named, with its PO" "$err" \
	"receipt $r1 \\(HotWax order [^ ]*, NetSuite PO 2001\\): quantityAccepted -2 is not a quantity.*PO 2001 held back"
t_like "the 9 places are named" "$err" \
	"receipt $r3 .*NetSuite PO 2003\\): quantityAccepted 1.123456789 is not a quantity"
t_like "the missing item is named" "$err" \
	"receipt $r4 .*NetSuite PO 2004\\): no orderItemSeqId; PO 2004 held back"
t_like "the missing order is named" "$err" \
	"receipt $r5: no orderId; no order to hold back"
t_like "the non-numeric quantity is named" "$err" \
	"receipt $r6 .*NetSuite PO 2006\\): quantityAccepted \"abc\" is not a quantity"
cursor=$(sed -n 's/^cursor	//p' "$SPOOL/state/receipt-export.state")
t_true "the cursor stays at or before the receipt without an order" \
	"$cursor" -le "$ms5"
t_is "only PO 2002's receipt is in the ledger" \
	"$(grep '^r	' "$SPOOL/state/receipt-export.state" | cut -f2)" "$(rid 2002 1)"

fault "$page"
t_exit "still bad: exit 65 again" 65 receipt-export
t_is "no file" "$(t_out)" ""
t_like "reported again" "$(t_err)" "receipt $r1 .*PO 2001 held back"

t_exit "HotWax answers well again: exit 0" 0 receipt-export
t_is "the held POs go out, whole" "$(cat "$(t_out)")" \
	'[{"order_id":"2001","items":[{"line_id":"1","quantity":1},{"line_id":"2","quantity":2}]},
{"order_id":"2003","items":[{"line_id":"1","quantity":3}]},
{"order_id":"2004","items":[{"line_id":"1","quantity":2}]},
{"order_id":"2005","items":[{"line_id":"1","quantity":1}]},
{"order_id":"2006","items":[{"line_id":"1","quantity":4}]}]'
t_is "over every file, each receipt once" "$(re_totals)" "2001 1 1
2001 2 2
2002 1 4
2003 1 3
2004 1 2
2005 1 1
2006 1 4"
t_exit "then nothing" 0 receipt-export
t_is "silent" "$(t_out)$(t_err)" ""

# a malformed answer as a whole still fails the run, and moves nothing
recv 2002 1=0/1
before=$(cat "$SPOOL/state/receipt-export.state")
fault '{"docs":{"receiptId":"X"},"count":1}'
t_exit "docs not a list: exit 76" 76 receipt-export
t_like "said" "$(t_err)" 'no "docs" list'
fault '[1,2]'
t_exit "not an object: exit 76" 76 receipt-export
t_is "the state did not move" "$(cat "$SPOOL/state/receipt-export.state")" "$before"

t_done
