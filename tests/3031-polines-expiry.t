#!/bin/sh
# POs that never complete leave the polines ledger (issue 9, finding 9):
# one NetSuite has not exported for [spool] polines_keep_days is dropped
# when receipt-export compacts the ledger (once a day, or when a PO
# completes), and said on stderr, once.  A late receipt on a dropped PO
# is still capped by what receipt-export's state knows was sent; a line
# that only the ledger knew is no longer listed (receipt-export(1)).
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_re spool.polines_keep_days=30
re_nofold
now=$(date +%s)
seen() { printf '%s\t\t%s\n' "$1" "$(( now - $2 * 86400 ))" >>"$SPOOL/state/polines"; }

# 9801: partly received, then NetSuite stops exporting it; 9803: never
# received, line 2 never reached HotWax; 9802: seen today (ages are
# measured against the ledger's newest seen time: tests/0983).
ns_po 9801 1:SKU1:5 2:NOSUCH:3;	seen 9801 40
ns_po 9803 1:SKU1:2 2:NOSUCH:1;	seen 9803 31
ns_po 9802 1:SKU2:4;		seen 9802 0
recv 9801 1=3 || t_bail "receiving failed"

t_exit "a run: 9801's receipt goes out" 0 receipt-export
t_is "... with both its open lines" "$(cat "$(t_out)")" \
	'[{"order_id":"9801","items":[{"line_id":"1","quantity":3},{"line_id":"2","quantity":0}]}]'
day=$(date -u -d "@$(( now - 40 * 86400 ))" +%Y-%m-%d)
t_like "... and the ledger's first compaction says 9801 is dropped" "$(t_err)" \
	"receipt-export: $SPOOL/state/polines: PO 9801 dropped: not in a NetSuite export since $day \\(polines_keep_days 30\\), and never fully received"
t_like "... and 9803" "$(t_err)" "PO 9803 dropped"
t_is "... one line each, nothing else" "$(t_err | wc -l | tr -d ' ')" 2
t_is "the ledger keeps only 9802" \
	"$(awk -F'\t' '$1 != "" { print $1 }' "$SPOOL/state/polines" | sort -u | tr '\n' ' ')" "9802 "

t_exit "the next run" 0 receipt-export
t_is "... says nothing again" "$(t_err)" ""

# Late receipts on the dropped POs.
recv 9801 1=4 || t_bail "receiving failed"
recv 9803 1=2 || t_bail "receiving failed"
t_exit "late receipts on dropped POs: 9801's excess makes it 65" 65 receipt-export
t_is "... 9801 is capped by the totals sent (3 of 5) and keeps line 2; 9803 has HotWax's line only" \
	"$(cat "$(t_out)")" \
'[{"order_id":"9801","items":[{"line_id":"1","quantity":2},{"line_id":"2","quantity":0}]},
{"order_id":"9803","items":[{"line_id":"1","quantity":2}]}]'
t_like "... 9801's excess is said" "$(t_err)" 'PO "9801" line "1": 2 accepted'

# keep_days 0: never dropped
posync_conf spool.polines_keep_days=0
seen 9802 400
printf '\t\t1\n' >"$SCRATCH/head" && cat "$SCRATCH/head" "$SPOOL/state/polines" >"$SCRATCH/l" &&
	cp "$SCRATCH/l" "$SPOOL/state/polines"	# compaction due: last one "in 1970"
t_exit "with polines_keep_days = 0" 0 receipt-export
t_is "... nothing is dropped" "$(awk -F'\t' '$1 == "9802" && $2 != ""' "$SPOOL/state/polines" | wc -l | tr -d ' ')" 1
t_is "... nor said" "$(t_err)" ""
t_true "... though the ledger was compacted (its header renewed)" \
	"$(head -n 1 "$SPOOL/state/polines" | cut -f 3)" -gt 1
t_done
