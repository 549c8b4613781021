#!/bin/sh
# po-export-parse counts a file's rows once: accepted, rejected and
# recovered (a SKU holding commas, read NetSuite's way: accepted too),
# counted here from the input; a second run on the same file (parsed
# before) adds nothing; a dry run writes no metrics at all.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"
. "$BED/metrics.sh"

bed_built po-export-parse
posync_conf metrics.textfile_dir="$MD" metrics.instance=t6048
SP=$SCRATCH/spool
P=$MD/posync_po-export-parse_t6048.prom
mkdir -p "$SCRATCH/in"
f=$SCRATCH/in/rows.csv
{
	echo "$HDR"
	echo '200,plain,1,116,1,12/24/2026'
	echo '200,Box, small, red,2,116,2,12/24/2026'
	echo '201,SKU-B,x,116,1,'
	echo '202,SKU-C,3,116,1,'
	echo '203,SKU-D,,116,1,'
} >"$f"

t_exit "a dry run: 65 (rejects)" 65 po-export-parse -n "$f"
t_true "writes no metrics" ! -e "$P"
t_true "nor a state" ! -e "$SP/state/po-export-parse.metrics"

t_exit "the run: 65 (rejects)" 65 po-export-parse "$f"
rej=$(find "$SP/po/rejects" -name '*.csv' ! -name '*.recovered.csv' -exec awk 'FNR > 1' {} + | wc -l)
rec=$(cat "$SP"/po/rejects/*.recovered.csv | awk 'NR > 1' | wc -l)
rows=$(awk 'NR > 1' "$f" | wc -l)
t_is "rows rejected: those in its rejects file" "$(metric "$P" posync_rows_rejected_total)" "$rej"
t_is "rows recovered: those in its recovered file" "$(metric "$P" posync_rows_recovered_total)" "$rec"
t_is "rows accepted: the others, the recovered among them" "$(metric "$P" posync_rows_accepted_total)" $((rows - rej))
t_is "one CSV file" "$(metric "$P" posync_csv_files_total)" "$(ls "$SP/state/parsed" | wc -l)"
t_is "the rejects queue: its one file" "$(metric "$P" posync_queue_files 'queue="po/rejects"')" \
	"$(ls "$SP/po/rejects" | grep -vc '\.recovered\.csv$')"
cp "$P" "$SCRATCH/first"

po-export-parse "$f" >/dev/null 2>&1
t_is "the same file again: counted once" "$(grep '_total{' "$P")" "$(grep '_total{' "$SCRATCH/first")"
t_done
