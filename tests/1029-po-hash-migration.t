#!/bin/sh
# po-export-parse names a file's batches, side CSVs and marker by XXH3 of
# its name and content (pohash.h); older posyncs named them by FNV-1a.
# What an older posync left keeps its names, so no row goes to HotWax
# twice across the upgrade:
#  - on a spool this posync began, names are XXH3 (as xxhsum computes it)
#    and SPOOL/state/po-hash says no older output can be there;
#  - a file an older posync parsed (its marker by the old hash) is not
#    parsed again;
#  - batches an older run published without their marker (killed between
#    them) are not written again: the file keeps the old names;
#  - once po-hash's time is past and no marker lacks the hash line, the
#    old hash is not computed: old names are no longer looked for;
#  - a damaged po-hash, or one ahead of the clock, is said and written
#    again for keep_days from now; a later posync's is read; -n writes none.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_built po-export-parse
posync_conf hotwax.batch_size=1
SP=$SCRATCH/spool
ST=$SP/state/po-hash
PARSED=$SP/state/parsed
NEW=$SP/po/new
KEEP=$((30 * 86400))	# keep_days' default, in seconds

pep() { po-export-parse "$@" >"$SCRATCH/.out" 2>"$SCRATCH/.err"; rc=$?; }
fresh() { rm -rf "$SP"; mkdir -p "$SP/po/cur" "$PARSED"; }
# old_until_near -- po-hash's time is keep_days from now (a minute's slack)
old_until_near() {
	_u=$(sed -n 's/^old-until //p' "$ST")
	_d=$((_u - $(date +%s)))
	[ "$_d" -le "$KEEP" ] && [ "$_d" -ge $((KEEP - 60)) ]
}

printf '%s\n' "$HDR" '9701,SKU-A,5,116,1,' '9701,SKU-B,2,116,2,' >"$SCRATCH/a.csv"
H=$(t_pohash a.csv "$SCRATCH/a.csv")
O=$(t_oldhash a.csv "$SCRATCH/a.csv")
t_true "the two hashes differ" "$H" != "$O"
B1=$NEW/a.csv.$H.00001.json
B2=$NEW/a.csv.$H.00002.json

# ---- a spool this posync began
pep "$SCRATCH/a.csv"
t_is "a new spool: exit 0" "$rc" 0
t_is "... batches named by XXH3 of name and content" "$(t_out)" "$B1
$B2"
t_true "... the marker too" -f "$PARSED/$H"
t_like "... it says which hash names it" "$(cat "$PARSED/$H")" '^hash xxh3$'
t_is "... po-hash: no older output here" "$(cat "$ST")" "posync-po-hash 1
old-until 0"
t_is "... nothing said" "$(t_err)" ""

# ---- an older posync parsed it; its marker is by the old hash
fresh
printf 'posync-parsed 2\nrows 2 rejected 0 batches 2 recovered 0\nfile a.csv\n' >"$PARSED/$O"
pep -v "$SCRATCH/a.csv"
t_is "a file an older posync parsed: exit 0" "$rc" 0
t_is "... not parsed again" "$(t_out)" ""
t_like "... said under -v" "$(t_err)" 'a\.csv": parsed before'
t_true "... no marker by the new hash" ! -e "$PARSED/$H"
t_true "... po-hash: older output may be here for keep_days" old_until_near

# ---- an older run published a batch, then was killed before its marker
fresh
printf '[\n]\n' >"$SP/po/cur/a.csv.$O.00001.json"
pep "$SCRATCH/a.csv"
t_is "a batch by the old name, no marker: exit 0" "$rc" 0
t_is "... only the batch missing is written, by the old name" "$(t_out)" \
	"$NEW/a.csv.$O.00002.json"
t_true "... the marker by the old name" -f "$PARSED/$O"
t_is "... without the hash line: its names are the old hash's" \
	"$(grep -c '^hash' "$PARSED/$O")" 0
t_true "... nothing by the new name" ! -e "$PARSED/$H" -a ! -e "$B1"
t_true "... po-hash: keep_days from now" old_until_near
sed -i 's/^old-until .*/old-until 1000/' "$ST"
pep -v "$SCRATCH/a.csv"
t_is "po-hash's time past, the old marker left: still parsed before" "$(t_out)" \
	"$NEW/a.csv.$O.00002.json"	# its batch waiting in new/ named again
t_like "... said under -v" "$(t_err)" 'a\.csv": parsed before'

# ---- po-hash's time past, every marker by the new hash
fresh
printf 'posync-po-hash 1\nold-until 1000\n' >"$ST"
printf '[\n]\n' >"$SP/po/cur/a.csv.$O.00001.json"
pep "$SCRATCH/a.csv"
t_is "the old hash's time over: exit 0" "$rc" 0
t_is "... its names not looked for: the batches by the new hash" "$(t_out)" "$B1
$B2"
t_is "... po-hash left as it was" "$(cat "$ST")" "posync-po-hash 1
old-until 1000"

# ---- po-hash damaged, ahead of the clock, a later posync's
for bad in 'posync-po-hash 1\nold-until soon\n' 'garbage' \
    'posync-po-hash 1\nold-until -5\n' 'posync-po-hash 1\n'; do
	fresh
	printf "$bad" >"$ST"
	printf '[\n]\n' >"$SP/po/cur/a.csv.$O.00001.json"
	pep "$SCRATCH/a.csv"
	t_is "po-hash damaged ($bad): exit 0" "$rc" 0
	t_like "... said, naming it" "$(t_err)" "$ST is damaged"
	t_is "... the old names looked for all the same" "$(t_out)" \
		"$NEW/a.csv.$O.00002.json"
	t_true "... written again: keep_days from now" old_until_near
done
fresh
printf 'posync-po-hash 1\nold-until 99999999999\n' >"$ST"
pep "$SCRATCH/a.csv"
t_is "po-hash ahead of the clock: exit 0" "$rc" 0
t_like "... said" "$(t_err)" "$ST is ahead of the clock"
t_true "... written again: keep_days from now" old_until_near
fresh
printf 'posync-po-hash 7\nold-until 0\nwhat 1\n' >"$ST"
pep "$SCRATCH/a.csv"
t_is "a later posync's po-hash: exit 0" "$rc" 0
t_like "... said" "$(t_err)" 'later posync'
t_is "... read as this posync's own: names by the new hash" "$(t_out)" "$B1
$B2"
t_is "... left as it is" "$(cat "$ST")" "posync-po-hash 7
old-until 0
what 1"

# ---- a dry run writes no po-hash
fresh
printf '[\n]\n' >"$SP/po/cur/a.csv.$O.00001.json"
pep -n "$SCRATCH/a.csv"
t_is "-n: exit 0" "$rc" 0
t_true "... no po-hash written" ! -e "$ST"
t_done
