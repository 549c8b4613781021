#!/bin/sh
# The outbound half against both simulators, through the real inbound path:
# what stores receive in HotWax becomes Item Receipts in NetSuite, exactly,
# with NetSuite's "unlisted open lines are received in full" default on.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

flow_pos "$SCRATCH/pos.json" \
	"500001 116 1:A-1:4 2:A-2:10 3:A-3:2" \
	"500002 116 1:B-1:3 2:NOT-IN-HOTWAX:6" \
	"500003 120 1:C-1:1.5 2:C-2:2" \
	"500004 120 1:D-1:5" \
	"500005 116 1:E-1:5 2:E-2:1"
# HotWax's catalog lacks one SKU, so that line never reaches HotWax.
flow_up "$SCRATCH/pos.json" NOT-IN-HOTWAX

t_exit "inbound: the unknown SKU's row is reported (65)" 65 flow_inbound
t_like "po-import names the PO and line HotWax refused" "$(t_err)" "500002.*(line|item).*2|NOT-IN-HOTWAX"

flow_receive 500001 1:4 2:3          # line 1 in full, line 2 in part, line 3 not at all
flow_receive 500002 1:3              # its line 2 never reached HotWax
flow_receive 500003 1:1.5            # step one of two
flow_receive 500004 1:0:2            # rejected goods only
flow_receive 500005 1:7 2:1          # two more than ordered on line 1

# The pipe's status is receipt-push's; receipt-export's own 65 is in 0411.
t_ok "outbound runs despite the excess" flow_outbound
t_like "the excess is named on stderr" "$(t_err)" "500005"
t_true "excess.csv records it" -s "$SCRATCH/spool/receipt/excess.csv"
t_like "excess.csv holds PO, line and the 2 over" "$(cat "$SCRATCH/spool/receipt/excess.csv")" "500005.*1.*2"
t_ok "NetSuite imports" ns import
errdir=$SFTP_BASE/purchaseorder/receipt/error
t_is "NetSuite reports no error" "$(ls "$errdir" | wc -l)" 0

rcv() { ns received "$1" "$2"; }
st() { ns status "$1"; }
t_is "500001 line 1 received in full" "$(rcv 500001 1)" 4
t_is "500001 line 2 received in part" "$(rcv 500001 2)" 3
t_is "500001 line 3 not received (listed with 0)" "$(rcv 500001 3)" 0
t_is "500001 is Partially Received" "$(st 500001)" "Partially Received"
t_is "500002 line 1 received" "$(rcv 500002 1)" 3
t_is "500002 line 2 (never in HotWax) not received" "$(rcv 500002 2)" 0
t_is "500003 line 1 received (step one)" "$(rcv 500003 1)" 1.5
t_is "500003 line 2 not yet" "$(rcv 500003 2)" 0
t_is "500004 (rejected goods only) untouched" "$(rcv 500004 1)" 0
t_is "500004 still Pending" "$(st 500004)" "Pending"
t_is "500005 line 1 received what was open" "$(rcv 500005 1)" 5
t_is "500005 is Received" "$(st 500005)" "Received"

flow_receive 500003 2:2              # step two
t_ok "outbound step two" flow_outbound
last=$(ls "$SCRATCH"/spool/receipt/cur/*.json | sort | tail -n 1)
t_is "the second file leaves out the line step one completed" \
	"$(python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))))' "$last")" \
	'[{"order_id": "500003", "items": [{"line_id": "2", "quantity": 2}]}]'
t_ok "NetSuite imports step two" ns import
t_is "NetSuite still reports no error" "$(ls "$errdir" | wc -l)" 0
t_is "500003 is Received" "$(st 500003)" "Received"
t_is "500003 line 1 not received twice" "$(rcv 500003 1)" 1.5

n=$(ls "$SCRATCH"/spool/receipt/cur/*.json | wc -l)
t_ok "a run with nothing new" flow_outbound
t_is "prints nothing" "$(t_out)$(t_err)" ""
t_is "publishes nothing" "$(ls "$SCRATCH"/spool/receipt/cur/*.json | wc -l)" "$n"
t_is "NetSuite got exactly one Item Receipt per PO and step" \
	"$(ns show | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["item_receipts"]))')" 5
t_done
