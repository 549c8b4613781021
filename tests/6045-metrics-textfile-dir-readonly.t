#!/bin/sh
# [metrics] textfile_dir is read-only: one warning naming it, the run's
# work done and its status its own, no temporary file left, the file a
# run wrote before left whole.  As an ordinary user the folder's mode
# makes it read-only; root ignores modes, so as root it is a read-only
# tmpfs (skipped where none can be mounted).
. "${0%/*}/lib.sh"
. "$BED/posync.sh"
. "$BED/metrics.sh"

bed_built po-import
RO=$SCRATCH/ro
mkdir "$RO"
if [ "$(id -u)" = 0 ]; then
	t_need_tmpfs
	mount -t tmpfs -o size=64k posync-test "$RO" || t_bail "cannot mount a tmpfs"
	t_at_exit "umount $RO"
fi
metrics_conf "$SCRATCH/c.conf" "$SCRATCH/spool" t6045
sed -i "s|^textfile_dir = .*|textfile_dir = $RO|" "$SCRATCH/c.conf"
metrics_pi "$SCRATCH/c.conf"
t_is "a first run, the folder writable: 0" "$PI_ST" 0
cp "$RO/posync_po-import_t6045.prom" "$SCRATCH/before"
if [ "$(id -u)" = 0 ]; then
	mount -o remount,ro "$RO" || t_bail "cannot make the tmpfs read-only"
else
	chmod 555 "$RO"
	t_at_exit "chmod 755 $RO"
fi

mkdir -p "$SCRATCH/spool/po/new"
printf '[]' >"$SCRATCH/spool/po/new/b1.json"
metrics_pi "$SCRATCH/c.conf"
t_true "po-import ends as HotWax out of reach makes it (not 0)" "$PI_ST" -ne 0
t_is "its batch stays for the next run" "$(ls "$SCRATCH/spool/po/new")" b1.json
t_is "one warning about the metrics" "$(grep -c 'metrics' "$SCRATCH/pi.err")" 1
t_like "naming the folder" "$(grep metrics "$SCRATCH/pi.err")" \
	"^po-import: metrics not written to \\[metrics\\] textfile_dir $RO .*: (Read-only file system|Permission denied)\$"
t_is "the folder holds only the first run's file" "$(ls -A "$RO")" posync_po-import_t6045.prom
t_ok "that file whole, as it was" cmp "$SCRATCH/before" "$RO/posync_po-import_t6045.prom"
t_ok "the run is kept in the state" grep -q "^exit $PI_ST\$" "$SCRATCH/spool/state/po-import.metrics"
t_done
