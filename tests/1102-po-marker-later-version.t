#!/bin/sh
# A parsed marker a later posync wrote ("posync-parsed 3", after a
# downgrade) counts as parsed, is read as this posync reads its own and
# is never rewritten: said once, as notes and the ledger say theirs.
# Before review I it was taken for an older posync's marker, given a
# second version line under -v "now has its version line".  A version
# line with a CR or a blank after it (a marker edited by hand) is still
# version 2: no second version line.
. "${0%/*}/lib.sh"
. "$BED/posync.sh"

bed_marker

printf 'posync-parsed 3\nrows 3 rejected 1 batches 1 recovered 0\nfile m.csv\nnew-v3-key yes\n' >"$M"
cp "$M" "$SCRATCH/v3"
t_exit "a later posync's marker: not parsed again (65 as then)" 65 po-export-parse -v "$SCRATCH/m.csv"
t_is "... no batch" "$(t_out)" ""
t_is "... none written" "$(ls "$SP/po/new" | wc -l | tr -d ' ')" 0
t_is "... said once, naming the marker and its version" \
	"$(t_err | grep -c "its marker $M was written by a later posync (its first line is \"posync-parsed 3\"")" 1
t_is "... not said to have been given a version line" "$(t_err | grep -c 'now has its version line')" 0
t_like "... its rejected row said as then" "$(t_err)" 'parsed before: 1 of 3 rows were rejected'
t_ok "... the ledger as it was" cmp "$SCRATCH/ledger.before" "$SP/state/polines"
t_ok "... the marker left as it was" cmp "$SCRATCH/v3" "$M"
t_exit "without -v: 65" 65 po-export-parse "$SCRATCH/m.csv"
t_like "... the later version said without -v" "$(t_err)" 'written by a later posync'
t_ok "... the marker still as it was" cmp "$SCRATCH/v3" "$M"
t_exit "-n: 65" 65 po-export-parse -n "$SCRATCH/m.csv"
t_ok "... the marker still as it was" cmp "$SCRATCH/v3" "$M"

for tail in '\r' ' '; do
	printf "posync-parsed 2$tail\nrows 3 rejected 1 batches 1 recovered 0$tail\nfile m.csv$tail\n" >"$M"
	cp "$M" "$SCRATCH/m2"
	t_exit "a version line ending in '$tail': 65 as then" 65 po-export-parse -v "$SCRATCH/m.csv"
	t_is "... no batch" "$(t_out)" ""
	t_is "... no second version line" "$(grep -c '^posync-parsed' "$M")" 1
	t_is "... nothing said of the marker" "$(t_err | grep -c 'its marker')" 0
	t_ok "... the marker as it was" cmp "$SCRATCH/m2" "$M"
done
t_done
