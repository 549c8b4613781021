#!/bin/sh
# A parsed marker that cannot be read is pruned as a readable one is: past
# keep_days, once its file is gone from the server.  Before review I a
# marker over 4096 bytes was never pruned, and every run warned
# "...: kept: File too large" for ever.  Its file still there, it is kept.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_pep spool.keep_days=1
PARSED=$SP/state/parsed
mkdir -p "$PARSED"
pep() { po-export-parse "$@" >"$SCRATCH/.out" 2>"$SCRATCH/.err"; rc=$?; }
huge() { # NAME -- a marker over 4096 bytes naming NAME
	printf 'posync-parsed 2\nrows 3 rejected 1 batches 1 recovered 0\nfile %s\n' "$1"
	head -c 5000 /dev/zero | tr '\0' x; echo
}
G=$PARSED/0123456789abcdef
huge gone.csv >"$G"
printf '\0\0\0\0' >"$PARSED/00000000000000cc"
printf 'posync-parsed 2\nrows 3 rej' >"$PARSED/00000000000000dd"
touch -d '30 days ago' "$G" "$PARSED/00000000000000cc" "$PARSED/00000000000000dd"
pep
t_is "damaged markers of files gone, no CSV waiting: exit 0" "$rc" 0
t_true "... the marker over 4096 bytes is pruned" ! -e "$G"
t_true "... the marker of NUL bytes is pruned" ! -e "$PARSED/00000000000000cc"
t_true "... the marker cut short is pruned" ! -e "$PARSED/00000000000000dd"
t_is "... nothing said" "$(t_err)" ""
pep
t_is "the next run: exit 0, nothing said" "$rc:$(t_err)" "0:"

# its file still on the server (it cannot be archived): kept
printf '%s\n' "$HDR" '9230,SKU-A,5,116,1,' >"$IN/kept.csv"
touch -d '10 minutes ago' "$IN/kept.csv"
posync_conf spool.keep_days=1 netsuite.po_min_age=3600
K=$PARSED/00000000000000ee
huge kept.csv >"$K"
touch -d '30 days ago' "$K"
pep
t_true "a damaged aged marker whose file is on the server is kept" -f "$K"
t_is "... nothing said of it" "$(t_err | grep -c 00000000000000ee)" 0
rm -f "$IN/kept.csv"
pep
t_true "its file gone: pruned" ! -e "$K"
t_done
