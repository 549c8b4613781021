#!/bin/sh
# receipt-export --start-at TIME, taking over from another exporter: the
# receipts HotWax dates before TIME went to NetSuite through that
# exporter, so they count as received there (contracts.md section 4):
# a line they received in full is not listed again (NetSuite fails the
# whole PO on a listed line that is not open), a line they received in
# part gets at most what is left open, the rest reported as excess.  They
# are never exported themselves.  Before the fix they were not counted:
# line 1 was listed with 0 and line 3 got 3 where 1 was open, exit 0.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_re hotwax.receipt_overlap=600
re_nofold

ns_po 9700 1:SKU1:5 2:SKU2:5 3:SKU3:5
ns_po 9701 1:SKU1:5		# only ever received by the other exporter
backdate 7200; recv 9700 1=5	# the other exporter sent these: line 1 closed,
backdate 7200; recv 9700 3=4	# line 3 has 1 open
backdate 7200; recv 9701 1=2
TIME=$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)
t_exit "--start-at TIME" 0 receipt-export --start-at "$TIME"

recv 9700 2=3 3=3		# after TIME: line 3 gets 3, only 1 open
t_exit "the first run: line 3's excess" 65 receipt-export
t_is "... line 1 (closed before TIME) not listed, line 3 capped at what is open" \
	"$(elements)" '[{"order_id":"9700","items":[{"line_id":"2","quantity":3},{"line_id":"3","quantity":1}]}]'
t_like "... the excess said" "$(t_err)" 'PO "9700" line "3": 2 accepted in HotWax beyond what is open'
t_like "... and recorded" "$(cat "$SPOOL/receipt/excess.csv")" '"9700","3","2","R'
t_is "... PO 9701 (nothing after TIME) not exported" "$(elements | grep -c 9701)" 0
t_is "... the state holds the totals, those before TIME included" \
	"$(grep '^t	9700' "$ST")" "t	9700	1	5	5
t	9700	2	5	3
t	9700	3	5	5"

# the next receipt on the PO: its totals come from the state now
recv 9700 2=2
t_exit "a later receipt on line 2" 0 receipt-export
t_is "... only line 2 is open: it gets 2" \
	"$(cat "$SPOOL/receipt/new/$(re_files | tail -1)")" \
	'[{"order_id":"9700","items":[{"line_id":"2","quantity":2}]}]'
t_is "... two files in all" "$(re_files | wc -l)" 2

# a receipt on the PO the other exporter received in part, after TIME
recv 9701 1=1
t_exit "PO 9701, first seen after TIME" 0 receipt-export
t_is "... line 1 counts the 2 received before TIME: 1 sent, 2 still open" \
	"$(cat "$SPOOL/receipt/new/$(re_files | tail -1)")" \
	'[{"order_id":"9701","items":[{"line_id":"1","quantity":1}]}]'
t_is "... its total in the state" "$(grep '^t	9701' "$ST")" "t	9701	1	5	3"
t_done
