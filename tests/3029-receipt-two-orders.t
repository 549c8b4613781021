#!/bin/sh
# A NetSuite PO held by two HotWax orders (same externalId 9900: line 1
# on order HWA, line 2 on HWB), no --start-at: each run sees one order's
# receipts only; the PO's per-line totals in the state carry what the
# other order's receipts sent, so line 2, received in full on HWB, is not
# listed when HWA gets a receipt later (contracts.md section 4).
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_re hotwax.receipt_overlap=600
re_nofold

last() { cat "$SPOOL/receipt/new/$(re_files | tail -1)"; }

printf '9900\t1\t5\n9900\t2\t5\n' >>"$SPOOL/state/polines"
t_ok "order HWA (PO 9900 line 1)" order HWA 9900 1 P1
t_ok "order HWB (PO 9900 line 2)" order HWB 9900 2 P2

t_ok "line 2 received in full on HWB" recv @HWB '#00001=5'
t_exit "the first run" 0 receipt-export
t_is "... line 2 gets 5, line 1 (open) listed with 0" "$(last)" \
	'[{"order_id":"9900","items":[{"line_id":"1","quantity":0},{"line_id":"2","quantity":5}]}]'

t_ok "2 received on HWA" recv @HWA '#00001=2'
t_exit "the second run" 0 receipt-export
t_is "... line 1 gets 2; line 2 (closed by HWB's receipt) not listed" "$(last)" \
	'[{"order_id":"9900","items":[{"line_id":"1","quantity":2}]}]'
t_is "... two files in all" "$(re_files | wc -l)" 2
t_is "... the state's totals cover both orders" "$(grep '^t	9900' "$ST")" \
	"t	9900	1	5	2
t	9900	2	5	5"
t_done
