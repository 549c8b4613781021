#!/bin/sh
# A PO amended in NetSuite (new lines, in a new CSV) while receipt-export
# is completing it: the polines ledger must keep the new lines.  Were they
# compacted away with the completed PO, a later element would leave out a
# new line HotWax never had -- and NetSuite receives an unlisted open line
# in full.  The amendment lands between receipt-export's computation and
# its compaction: here by a crash after the state step (the journal then
# holds the compaction until the rerun, while po-export-parse goes on).
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

re_setup
ns_po 1801 1:SKU1:2
recv 1801 1=2 || t_bail "receiving failed"
( POSYNC_TEST_CRASH=state receipt-export >/dev/null 2>&1
  echo $? >"$SCRATCH/crash.rc" ) 2>/dev/null
t_is "killed after the state step, the compaction pending" "$(cat "$SCRATCH/crash.rc")" 137
t_true "... its journal is left" -s "$SPOOL/state/receipt-export.pending"

# NetSuite amends the PO: line 2 reaches HotWax, line 3's SKU does not.
ns_po 1801 2:SKU2:3 3:NOSUCH:4
t_exit "the rerun finishes the interrupted run" 0 receipt-export
t_is "... the file for line 1 went out once" "$(re_totals)" "1801 1 2"
t_is "the amended PO stays in the polines ledger, new lines and all" \
	"$(awk -F'\t' '$1 == "1801" && $2 != "" { print $2 "=" $3 }' "$SPOOL/state/polines" | sort | tr '\n' ' ')" \
	"1=2 2=3 3=4 "
t_is "... and open in the state (no completion time)" \
	"$(grep -c "^c	1801	" "$SPOOL/state/receipt-export.state")" 0

recv 1801 2=1 || t_bail "receiving failed"
t_exit "a receipt on the new line" 0 receipt-export
t_is "lists both open lines: the new line not in HotWax with 0" "$(cat "$(t_out)")" \
	'[{"order_id":"1801","items":[{"line_id":"2","quantity":1},{"line_id":"3","quantity":0}]}]'

# Without an amendment the completed PO still leaves the ledger.
ns_po 1802 1:SKU1:1
recv 1802 1=1 || t_bail "receiving failed"
t_exit "a PO completed, nothing amended" 0 receipt-export
t_is "... leaves the polines ledger" "$(grep -c '^1802	' "$SPOOL/state/polines")" 0
t_done
