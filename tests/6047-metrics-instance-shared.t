#!/bin/sh
# Two configurations, two spools, one [metrics] instance and one
# textfile_dir: each run would replace the other's file.  The file names
# its spool on its first line, so the second says so (a warning naming
# both spools and the instance, the run's status its own); a configuration
# with its own instance, or the same spool again, says nothing.
. "${0%/*}/lib.sh"
. "$BED/posync.sh"
. "$BED/metrics.sh"

bed_built po-import
metrics_conf "$SCRATCH/a.conf" "$SCRATCH/spool-a" shared
metrics_conf "$SCRATCH/b.conf" "$SCRATCH/spool-b" shared
metrics_conf "$SCRATCH/c.conf" "$SCRATCH/spool-c" own
P=$MD/posync_po-import_shared.prom

metrics_pi "$SCRATCH/a.conf"
t_is "a: 0, quiet" "$PI_ST $(cat "$SCRATCH/pi.err")" "0 "
t_is "its file names its spool first" "$(head -n 1 "$P")" "# posync spool $SCRATCH/spool-a"
metrics_pi "$SCRATCH/a.conf"
t_is "a again: quiet" "$(cat "$SCRATCH/pi.err")" ""
metrics_pi "$SCRATCH/c.conf"
t_is "c, its own instance: quiet" "$(cat "$SCRATCH/pi.err")" ""

metrics_pi "$SCRATCH/b.conf"
t_is "b, the same instance: still 0" "$PI_ST" 0
t_is "one warning" "$(wc -l <"$SCRATCH/pi.err")" 1
t_like "naming the file, the other spool and the instance" "$(cat "$SCRATCH/pi.err")" \
	"^po-import: $P: written for the spool \"?$SCRATCH/spool-a\"? too: two configurations share \\[metrics\\] instance shared"
t_is "b's metrics are written" "$(head -n 1 "$P")" "# posync spool $SCRATCH/spool-b"
metrics_pi "$SCRATCH/a.conf"
t_like "and a, next, says it too" "$(cat "$SCRATCH/pi.err")" "written for the spool \"?$SCRATCH/spool-b\"? too"

# one spool spelt differently: a trailing '/', a symlink to it
ln -s spool-a "$SCRATCH/link-a"
metrics_conf "$SCRATCH/a2.conf" "$SCRATCH/spool-a/" shared
metrics_conf "$SCRATCH/a3.conf" "$SCRATCH/link-a" shared
metrics_pi "$SCRATCH/a.conf"
metrics_pi "$SCRATCH/a2.conf"
t_is "the same spool with a trailing /: quiet" "$PI_ST $(cat "$SCRATCH/pi.err")" "0 "
metrics_pi "$SCRATCH/a3.conf"
t_is "the same spool through a symlink: quiet" "$PI_ST $(cat "$SCRATCH/pi.err")" "0 "
metrics_pi "$SCRATCH/b.conf"
t_like "another spool after it: still said" "$(cat "$SCRATCH/pi.err")" "written for the spool \"?$SCRATCH/link-a\"? too"
t_ok "promtool takes the file, its first line a comment" sh -c 'command -v promtool >/dev/null || exit 0; promtool check metrics <"$1"' sh "$P"
t_done
