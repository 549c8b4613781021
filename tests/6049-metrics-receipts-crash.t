#!/bin/sh
# receipt-export killed after writing its journal (or its file) counts
# nothing (it never reached its end); the rerun that finishes the journal
# counts its receipts, once: receipts exported always equals HotWax's
# receipts, the excess rows those in excess.csv, the cursor the state's,
# and still the last measured after a run that could not load its state.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"
. "$BED/metrics.sh"

bed_re metrics.textfile_dir="$MD" metrics.instance=t6049
re_nofold
P=$MD/posync_receipt-export_t6049.prom
receipts() { hw_ctl GET /_sim/state | hw_json 'len(d["receipts"])'; }

n=0
for step in journal file; do
	n=$((n + 1))
	ns_po 610$n 1:SKU1:2 2:SKU2:1
	recv 610$n 1=1 2=3
	( POSYNC_TEST_CRASH=$step receipt-export >/dev/null 2>&1
	  echo $? >"$SCRATCH/crash.rc" ) 2>/dev/null
	t_is "killed after the $step step" "$(cat "$SCRATCH/crash.rc")" 137
	t_exit "the rerun after the $step step: 65 (excess)" 65 receipt-export
	t_is "receipts exported: HotWax's receipts, after the $step step" \
		"$(metric "$P" posync_receipts_exported_total)" "$(receipts)"
	t_is "excess rows: those in excess.csv" "$(metric "$P" posync_excess_rows_total)" \
		"$(awk 'NR > 1' "$SPOOL/receipt/excess.csv" | wc -l)"
done
t_exit "a run with nothing new: 0" 0 receipt-export
t_is "adds nothing" "$(metric "$P" posync_receipts_exported_total)" "$(receipts)"
cur=$(awk '$1 == "cursor" { print int($2 / 1000) }' "$ST")
t_true "the state holds a cursor" "${cur:-0}" -gt 0
t_is "the cursor: the state's, in seconds" "$(metric "$P" posync_receipt_cursor_timestamp_seconds)" "$cur"

# a run that fails before it loads its state (damaged: exit 78) measures
# no cursor: the last one measured is written, the series never vanishes
cp "$ST" "$SCRATCH/state.good"
sed -i 's/^cursor\t.*/cursor\tnot-a-time/' "$ST"
t_exit "a state that does not parse: 78" 78 receipt-export
t_is "the cursor as last measured is still written" \
	"$(metric "$P" posync_receipt_cursor_timestamp_seconds)" "$cur"
t_is "... the run's status with it" "$(metric "$P" posync_last_exit_status)" 78
cp "$SCRATCH/state.good" "$ST"
t_done
