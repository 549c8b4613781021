#!/bin/sh
# -n checks the spool as a real run does (issue 9, review of finding 10):
# a spool area split across filesystems or mounts makes every program's
# dry run exit 78 naming the folder, as the real run does.  Before: -n
# skipped the check, said nothing and exited 0.  The check only reads: a
# dry run on a spool not made yet makes nothing.  Runs as root (tmpfs).
. "${0%/*}/lib.sh"
. "$BED/bed.sh"
bed_mounts
PROGS="po-export-parse po-import receipt-export receipt-push"

for p in $PROGS; do
	t_exit "$p -n on a spool not made yet: exit 0" 0 $p -n </dev/null
done
t_is "nothing is made in the spool" "$(ls -A "$SPOOL")" ""

t_exit "a first run makes the spool tree" 0 po-import </dev/null
t_mount tmpfs "$SPOOL/po/cur"
for p in $PROGS; do
	t_exit "po/cur on a tmpfs: $p exits 78" 78 $p </dev/null
	t_exit "$p -n exits 78 too" 78 $p -n </dev/null
	t_like "naming the folder" "$(t_err)" "spool/po/cur is on another filesystem or mount than .*spool/po"
done
umount "$SPOOL/po/cur"
for p in $PROGS; do
	t_exit "one filesystem again: $p -n exits 0" 0 $p -n </dev/null
done
t_done
