#!/bin/sh
# A parsed marker that cannot be read -- over 4096 bytes, holding a NUL
# byte, cut mid-record, bytes of no marker -- still says its file was
# parsed (never parsed twice), but not whether rows were rejected: it is
# said once a run, naming the marker, the run exits 65 for a person to
# look, and the marker is left as it is.  Before review I: "parsed
# before", exit 0, nothing said; a marker with a NUL byte was rewritten
# only up to it, without the file line the -v message announced.
. "${0%/*}/lib.sh"
. "$BED/posync.sh"

bed_marker

damaged() { # NAME WHY -- the marker's content in $SCRATCH/content
	cp "$SCRATCH/content" "$M"
	cp "$M" "$SCRATCH/before"
	t_exit "$1: not parsed again, 65" 65 po-export-parse -v "$SCRATCH/m.csv"
	t_is "... no batch" "$(t_out)" ""
	t_is "... none written" "$(ls "$SP/po/new" | wc -l | tr -d ' ')" 0
	t_is "... said once, naming the marker and why" \
		"$(t_err | grep -c "\"m\\.csv\": its marker $M cannot be read ($2)")" 1
	t_is "... not said to be rewritten" "$(t_err | grep -c ' now ')" 0
	t_ok "... the ledger as it was" cmp "$SCRATCH/ledger.before" "$SP/state/polines"
	t_ok "... the marker left as it was" cmp "$SCRATCH/before" "$M"
}
{ printf 'posync-parsed 2\nrows 3 rejected 1 batches 1 recovered 0\nfile m.csv\n'
  head -c 5000 /dev/zero | tr '\0' x; echo; } >"$SCRATCH/content"; damaged "a marker over 4096 bytes" 'it is over 4096 bytes'
printf 'posync-parsed 2\nrows 3 rej' >"$SCRATCH/content"; damaged "a marker cut mid-record" 'its counts are cut short or missing'
printf 'rows 3 rejected 1 batches 1 recovered 0\0garbage\n' >"$SCRATCH/content"; damaged "a marker holding a NUL byte" 'it holds a NUL byte'
printf '\0\0\0\0' >"$SCRATCH/content"; damaged "a marker of NUL bytes (a crash)" 'it holds a NUL byte'
printf 'posync-parsed 2\nrows 3 rejected 1 batches 1 recovered 0\nfile m.c' >"$SCRATCH/content"
damaged "a marker whose file line is cut" 'its file line is cut short'
printf '\217\001\377random bytes\n' >"$SCRATCH/content"; damaged "bytes of no marker" 'its counts are cut short or missing'

printf 'rows 3 rej' >"$M"
t_exit "without -v: 65" 65 po-export-parse "$SCRATCH/m.csv"
t_like "... the marker that cannot be read said without -v" "$(t_err)" 'cannot be read'
t_exit "-n: 65" 65 po-export-parse -n "$SCRATCH/m.csv"
t_like "... said under -n too" "$(t_err)" 'cannot be read'
t_is "... the marker as it was" "$(cat "$M")" 'rows 3 rej'
t_done
