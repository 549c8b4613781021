#!/bin/sh
# receipt-export --start-at TIME with a NetSuite PO held by two HotWax
# orders (same externalId 9900: line 1 on order HWA, line 2 on HWB).
# Before TIME the other exporter received line 2 in full (on HWB); after
# TIME only HWA gets a receipt.  HWB's receipts before TIME count as
# received all the same: line 2 is closed in NetSuite and must not be
# listed (NetSuite fails the whole PO on a listed line that is not open,
# contracts.md section 4).  Before the fix seed_floor asked only for this
# run's orders (HWA): line 2 was listed with 0, exit 0, and the state
# recorded line 2 as received 0 for good.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_re hotwax.receipt_overlap=600
re_nofold

printf '9900\t1\t5\n9900\t2\t5\n' >>"$SPOOL/state/polines"
t_ok "order HWA (PO 9900 line 1)" order HWA 9900 1 P1
t_ok "order HWB (PO 9900 line 2)" order HWB 9900 2 P2
backdate 7200
t_ok "before TIME, line 2 received in full on HWB" recv @HWB '#00001=5'
TIME=$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)
t_exit "--start-at TIME" 0 receipt-export --start-at "$TIME"

t_ok "after TIME, 2 received on HWA only" recv @HWA '#00001=2'
t_exit "the first run" 0 receipt-export -v
t_like "... HWB's receipt before TIME counted" "$(t_err)" \
	'PO 9900 line 2: receipt .* \(HotWax order HWB\), dated before the --start-at floor, counted'
t_is "... line 2 (closed before TIME, on the other order) not listed" \
	"$(elements)" '[{"order_id":"9900","items":[{"line_id":"1","quantity":2}]}]'
t_is "... one file" "$(re_files | wc -l)" 1
t_is "... the state holds the totals, HWB's receipt before TIME included" \
	"$(grep '^t	9900' "$ST")" "t	9900	1	5	2
t	9900	2	5	5"

# a later receipt on line 2 (after TIME): the state knows it is closed
t_ok "after TIME, 1 more on HWB's line 2" recv @HWB '#00001=1'
t_exit "the next run: line 2's excess" 65 receipt-export
t_like "... the excess said" "$(t_err)" 'PO "9900" line "2": 1 accepted in HotWax beyond what is open'
t_is "... and no new file (nothing open to send)" "$(re_files | wc -l)" 1
t_done
