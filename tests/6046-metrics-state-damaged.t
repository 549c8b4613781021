#!/bin/sh
# SPOOL/state/PROGRAM.metrics damaged, a later posync's, or not a file:
# a warning naming it, the run's work done and its status its own, the
# textfile written, and nothing else lost: a damaged line's counter alone
# starts again, as does one that would overflow; a later posync's file is
# left as it is.
. "${0%/*}/lib.sh"
. "$BED/posync.sh"
. "$BED/metrics.sh"

bed_built po-import po-export-parse
metrics_conf "$SCRATCH/c.conf" "$SCRATCH/spool" t6046
S=$SCRATCH/spool/state/po-import.metrics
P=$MD/posync_po-import_t6046.prom
metrics_pi "$SCRATCH/c.conf"
t_is "a first run: 0" "$PI_ST" 0

# a damaged line among good ones
printf '# posync notes v1\nbatches_uploaded 5\nbatches_failed 7x\nhotwax_row_errors 3\nsuccess 1000\nexit 0\n' >"$S"
metrics_pi "$SCRATCH/c.conf"
t_is "a damaged line: the run is 0" "$PI_ST" 0
t_is "one warning, naming the file and the line" "$(cat "$SCRATCH/pi.err")" \
	"po-import: $S: its line batches_failed is damaged: taken as 0"
t_is "the good counters are kept" "$(metric "$P" posync_batches_uploaded_total) $(metric "$P" posync_hotwax_row_errors_total)" "5 3"
t_is "the damaged one starts again" "$(metric "$P" posync_batches_failed_total)" 0
t_ok "the state is written whole again" grep -qx 'batches_failed 0' "$S"
metrics_pi "$SCRATCH/c.conf"
t_is "and the next run is quiet" "$(cat "$SCRATCH/pi.err")" ""

# a counter at the edge of a long long (damaged, or hostile): adding the
# run's count would overflow (undefined behaviour; ASan's report); the
# counter starts again from the run's count, said
printf '# posync notes v1\nbatches_uploaded 5\nsuccess 1000\nexit 0\nretries 9223372036854775807\n' >"$S"
metrics_pi "$SCRATCH/c.conf"
t_is "a counter at LLONG_MAX and nothing added: quiet" "$(cat "$SCRATCH/pi.err")" ""
t_is "... it stays" "$(metric "$P" posync_retries_total)" 9223372036854775807
metrics_conf "$SCRATCH/x.conf" "$SCRATCH/spool-x" t6046
printf '%s\n' "$HDR" '9501,SKU-A,5,116,1,' >"$SCRATCH/a.csv"
printf '%s\n' "$HDR" '9502,SKU-A,5,116,1,' >"$SCRATCH/b.csv"
po-export-parse -c "$SCRATCH/x.conf" "$SCRATCH/a.csv" >/dev/null 2>&1
SX=$SCRATCH/spool-x/state/po-export-parse.metrics
PX=$MD/posync_po-export-parse_t6046.prom
sed -i 's/^csv_files .*/csv_files 9223372036854775807/' "$SX"
t_exit "po-export-parse's counter at LLONG_MAX, one more CSV: 0" 0 \
	po-export-parse -c "$SCRATCH/x.conf" "$SCRATCH/b.csv"
t_is "one warning, naming the file and the counter" "$(t_err)" \
	"po-export-parse: $SX: its counter csv_files would pass 9223372036854775807: started again from this run's 1"
t_is "the counter starts again from the run's count" "$(metric "$PX" posync_csv_files_total)" 1
t_ok "... in the state too" grep -qx 'csv_files 1' "$SX"
t_is "the others are kept" "$(metric "$PX" posync_rows_accepted_total)" 2

# a later posync's file: left as it is
printf '# posync notes v99\nbatches_uploaded 40\nnew_counter 2\n' >"$S"
cp "$S" "$SCRATCH/later"
metrics_pi "$SCRATCH/c.conf"
t_is "a later posync's file: the run is 0" "$PI_ST" 0
t_is "one warning" "$(wc -l <"$SCRATCH/pi.err")" 1
t_like "naming the file" "$(cat "$SCRATCH/pi.err")" "^po-import: $S: .*later posync"
t_ok "the file is left as it was" cmp "$SCRATCH/later" "$S"
t_is "the textfile holds this run's counts alone" "$(metric "$P" posync_batches_uploaded_total)" 0
t_is "and this run's status" "$(metric "$P" posync_last_exit_status)" 0

# not a file at all
rm "$S"
mkdir "$S"
metrics_pi "$SCRATCH/c.conf"
t_is "a folder in its place: the run is 0" "$PI_ST" 0
t_is "one warning" "$(wc -l <"$SCRATCH/pi.err")" 1
t_like "naming it" "$(cat "$SCRATCH/pi.err")" "^po-import: .*$S"
t_true "the folder is left" -d "$S"
t_is "the textfile is written" "$(metric "$P" posync_last_exit_status)" 0
t_done
