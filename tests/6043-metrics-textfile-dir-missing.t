#!/bin/sh
# [metrics] textfile_dir names a folder that does not exist: one warning
# naming it, the run's work done and its status its own, the counters
# kept in the state all the same (the next run, once the folder is
# there, writes them).
. "${0%/*}/lib.sh"
. "$BED/posync.sh"
. "$BED/metrics.sh"

bed_built po-import
metrics_conf "$SCRATCH/c.conf" "$SCRATCH/spool" t6043
sed -i "s|^textfile_dir = .*|textfile_dir = $SCRATCH/nowhere|" "$SCRATCH/c.conf"
# a batch HotWax (out of reach) cannot take: the run has work, and a status
mkdir -p "$SCRATCH/spool/po/new"
printf '[]' >"$SCRATCH/spool/po/new/b1.json"

metrics_pi "$SCRATCH/c.conf"
st=$PI_ST
t_true "po-import ends as HotWax out of reach makes it (not 0)" "$st" -ne 0
t_is "its batch stays for the next run" "$(ls "$SCRATCH/spool/po/new")" b1.json
t_is "one warning about the metrics" "$(grep -c 'metrics' "$SCRATCH/pi.err")" 1
t_like "naming the folder" "$(grep metrics "$SCRATCH/pi.err")" \
	"^po-import: metrics not written to \\[metrics\\] textfile_dir $SCRATCH/nowhere .*: No such file or directory\$"
t_true "nothing made in its place" ! -e "$SCRATCH/nowhere"
t_ok "the run is kept in the state" grep -q "^exit $st\$" "$SCRATCH/spool/state/po-import.metrics"

# the same run again, the folder made: it is written, the failed run's
# status the last but one
mkdir "$SCRATCH/nowhere"
metrics_pi "$SCRATCH/c.conf"
t_is "the next run has the same status" "$PI_ST" "$st"
t_is "and no metrics warning" "$(grep -c 'metrics' "$SCRATCH/pi.err")" 0
t_is "its file says it" "$(metric "$SCRATCH/nowhere/posync_po-import_t6043.prom" posync_last_exit_status)" "$st"

# HotWax's retries are counted: a run allowed two more tries adds two
before=$(metric "$SCRATCH/nowhere/posync_po-import_t6043.prom" posync_retries_total)
sed -i 's/^retries = 0$/retries = 2/' "$SCRATCH/c.conf"
POSYNC_BACKOFF_MS=10 metrics_pi "$SCRATCH/c.conf"
t_is "two retries counted, as [hotwax] retries allows" \
	"$(metric "$SCRATCH/nowhere/posync_po-import_t6043.prom" posync_retries_total)" $((before + 2))

# a run killed while writing left its temporary file: the next write
# removes it (its PID gone), never a running writer's nor another
# instance's
sh -c 'exit 0' & dead=$!; wait $dead
D=$SCRATCH/nowhere
printf 'x' >"$D/.posync_po-import_t6043.prom.$dead"
printf 'x' >"$D/.posync_po-import_t6043.prom.$$"
printf 'x' >"$D/.posync_po-import_other.prom.$dead"
metrics_pi "$SCRATCH/c.conf"
t_true "a killed run's temporary file is removed" ! -e "$D/.posync_po-import_t6043.prom.$dead"
t_true "... a running writer's is left" -e "$D/.posync_po-import_t6043.prom.$$"
t_true "... and another instance's" -e "$D/.posync_po-import_other.prom.$dead"

# a queue whose folder cannot be read is no empty queue: said, and its
# series left out (a gap, never a false 0); the other queue's are written.
# Root reads through modes: it runs without that power (setpriv).
nodac() {
	if [ "$(id -u)" = 0 ]; then
		setpriv --bounding-set=-dac_override,-dac_read_search "$@"
	else "$@"; fi
}
P=$SCRATCH/nowhere/posync_po-import_t6043.prom
chmod 0 "$SCRATCH/spool/po/failed"
nodac po-import -c "$SCRATCH/c.conf" </dev/null >/dev/null 2>"$SCRATCH/pi.err"
chmod 0750 "$SCRATCH/spool/po/failed"
t_like "an unreadable queue folder is said" "$(cat "$SCRATCH/pi.err")" \
	"cannot read the queue folder $SCRATCH/spool/po/failed"
t_is "... its series left out" "$(grep -c 'queue="po/failed"' "$P")" 0
t_is "... po/new's written" "$(metric "$P" posync_queue_files 'queue="po/new"')" 1
t_done
