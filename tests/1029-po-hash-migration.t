#!/bin/sh
# po-export-parse names a file's batches, side CSVs and marker by XXH3 of
# its name and content (pohash.h); older posyncs named them by FNV-1a.
# What an older posync left keeps its names, so no row goes to HotWax
# twice across the upgrade:
#  - on a spool this posync began, names are XXH3 (as xxhsum computes it)
#    and SPOOL/state/po-hash says the old hash is never looked for;
#  - a file an older posync parsed (its marker by the old hash) is not
#    parsed again, however late;
#  - batches an older run published without their marker (killed between
#    them) are not written again: the file keeps the old names;
#  - once no such output and no marker without the hash line is left,
#    po-hash says "old done" and the old names are no longer looked for;
#  - a po-hash damaged, too big or unreadable is said and made again from
#    the spool; one that cannot be written is exit 74; a later posync's
#    is read, never rewritten; -n writes none.  No clock is read;
#  - an orphan is kept while its output is in new/, cur/, failed/ or
#    rejects/ (a rerun of its CSV by hand must not send it again, nor
#    write a second refused batch or list of rejected rows), and only
#    files of its name are hashed both ways for it.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_built po-export-parse
posync_conf hotwax.batch_size=1
SP=$SCRATCH/spool
ST=$SP/state/po-hash
PARSED=$SP/state/parsed
NEW=$SP/po/new

pep() { po-export-parse "$@" >"$SCRATCH/.out" 2>"$SCRATCH/.err"; rc=$?; }
fresh() { rm -rf "$SP"; mkdir -p "$SP/po/cur" "$PARSED"; }
# orphan -- an older run's first batch of a.csv, in cur/, no marker
orphan() { printf '[\n{}\n]\n' >"$SP/po/cur/a.csv.$O.00001.json"; }

printf '%s\n' "$HDR" '9701,SKU-A,5,116,1,' '9701,SKU-B,2,116,2,' >"$SCRATCH/a.csv"
H=$(t_pohash a.csv "$SCRATCH/a.csv")
O=$(t_oldhash a.csv "$SCRATCH/a.csv")
t_true "the two hashes differ" "$H" != "$O"
B1=$NEW/a.csv.$H.00001.json
B2=$NEW/a.csv.$H.00002.json
DONE="posync-po-hash 1
old done"

# ---- a spool this posync began
pep "$SCRATCH/a.csv"
t_is "a new spool: exit 0" "$rc" 0
t_is "... batches named by XXH3 of name and content" "$(t_out)" "$B1
$B2"
t_true "... the marker too" -f "$PARSED/$H"
t_like "... it says which hash names it" "$(cat "$PARSED/$H")" '^hash xxh3$'
t_is "... po-hash: the old hash is never looked for" "$(cat "$ST")" "$DONE"
t_is "... nothing said" "$(t_err)" ""

# ---- an older posync parsed it; its marker is by the old hash
fresh
printf 'posync-parsed 2\nrows 2 rejected 0 batches 2 recovered 0\nfile a.csv\n' >"$PARSED/$O"
pep -v "$SCRATCH/a.csv"
t_is "a file an older posync parsed: exit 0" "$rc" 0
t_is "... not parsed again" "$(t_out)" ""
t_like "... said under -v" "$(t_err)" 'a\.csv": parsed before'
t_true "... no marker by the new hash" ! -e "$PARSED/$H"
t_is "... po-hash: looked for (its marker), no orphan" "$(cat "$ST")" "posync-po-hash 1
old"
pep -v "$SCRATCH/a.csv"
t_like "... and the run after: still parsed before" "$(t_err)" 'a\.csv": parsed before'

# ---- an older run published a batch, then was killed before its marker
fresh
orphan
pep "$SCRATCH/a.csv"
t_is "a batch by the old name, no marker: exit 0" "$rc" 0
t_is "... only the batch missing is written, by the old name" "$(t_out)" \
	"$NEW/a.csv.$O.00002.json"
t_true "... the marker by the old name" -f "$PARSED/$O"
t_is "... without the hash line: its names are the old hash's" \
	"$(grep -c '^hash' "$PARSED/$O")" 0
t_true "... nothing by the new name" ! -e "$PARSED/$H" -a ! -e "$B1"
t_is "... po-hash kept the orphan's hash" "$(cat "$ST")" "posync-po-hash 1
old hashed a.csv.$O"
pep -v "$SCRATCH/a.csv"
t_is "the run after: parsed before, its batch in new/ named again" "$(t_out)" \
	"$NEW/a.csv.$O.00002.json"
t_is "... the orphan dropped: its marker speaks for it" "$(cat "$ST")" "posync-po-hash 1
old"
rm -f "$PARSED/$O" "$SP"/po/cur/* "$NEW"/*	# pruned, sent
pep "$SCRATCH/a.csv"
t_is "no old output left: exit 0" "$rc" 0
t_is "... the batches by the new hash" "$(t_out)" "$B1
$B2"
t_is "... po-hash: done" "$(cat "$ST")" "$DONE"
rm -f "$NEW"/* "$PARSED"/*
orphan
pep "$SCRATCH/a.csv"
t_is "done: an old name is no longer looked for" "$(t_out)" "$B1
$B2"
t_is "... po-hash left as it was" "$(cat "$ST")" "$DONE"

# ---- po-hash kept an orphan whose output is gone
fresh
printf 'posync-po-hash 1\nold a.csv.%s\n' "$O" >"$ST"
pep "$SCRATCH/a.csv"
t_is "an orphan gone from the spool: new names" "$(t_out)" "$B1
$B2"
t_is "... po-hash: done" "$(cat "$ST")" "$DONE"

# ---- po-hash damaged, too big, unreadable, unwritable, a later posync's
for bad in 'garbage' 'posync-po-hash 1\n' 'posync-po-hash 1\nold xyz\n' \
    'posync-po-hash 1\nold done \n' 'posync-po-hash 1\nold done\r\n' \
    "posync-po-hash 1\\nold $O$O\\n" 'posync-po-hash 1\nold\0done\n'; do
	fresh
	printf "$bad" >"$ST"
	orphan
	pep "$SCRATCH/a.csv"
	t_is "po-hash damaged ($bad): exit 0" "$rc" 0
	t_like "... said, naming it" "$(t_err)" "$ST is damaged: made again from the spool"
	t_is "... the old names looked for all the same" "$(t_out)" \
		"$NEW/a.csv.$O.00002.json"
	t_is "... made again" "$(cat "$ST")" "posync-po-hash 1
old hashed a.csv.$O"
done
fresh
head -c 17000000 /dev/zero | tr '\0' 'x' >"$ST"
orphan
pep "$SCRATCH/a.csv"
t_like "po-hash too big: said" "$(t_err)" "$ST is too big: made again"
t_is "... the old names looked for" "$(t_out)" "$NEW/a.csv.$O.00002.json"
fresh
mkdir "$ST"
orphan
pep "$SCRATCH/a.csv"
t_is "po-hash a folder: exit 74" "$rc" 74
t_like "... said" "$(t_err)" "$ST cannot be read: made again"
t_is "... the old names looked for all the same" "$(t_out)" \
	"$NEW/a.csv.$O.00002.json"
fresh
printf 'posync-po-hash 7\nold done\n' >"$ST"
pep "$SCRATCH/a.csv"
t_is "a later posync's po-hash: exit 0" "$rc" 0
t_like "... said" "$(t_err)" 'later posync'
t_is "... read as this posync's own" "$(t_out)" "$B1
$B2"
fresh
printf 'posync-po-hash 7\nnew things\n' >"$ST"
orphan
pep "$SCRATCH/a.csv"
t_like "a later posync's po-hash this one cannot read: said" "$(t_err)" \
	"$ST is damaged: made again from the spool"
t_is "... the old names looked for" "$(t_out)" "$NEW/a.csv.$O.00002.json"
t_is "... never rewritten" "$(cat "$ST")" "posync-po-hash 7
new things"

# ---- an orphan is kept while its batch is in new/ or cur/, wherever its CSV
fresh
orphan
printf '%s\n' "$HDR" '9702,SKU-A,5,116,1,' >"$SCRATCH/b.csv"
pep "$SCRATCH/b.csv"
pep "$SCRATCH/b.csv"
t_is "another file's runs: a.csv's orphan kept" "$(cat "$ST")" "posync-po-hash 1
old hashed a.csv.$O"
rm -f "$SP"/po/cur/*	# pruned after keep_days
pep "$SCRATCH/b.csv"
t_is "... its batch pruned from cur/: done" "$(cat "$ST")" "$DONE"

# ---- output only in failed/ and rejects/: an orphan too, looked for by
# its file's name alone
fresh
mkdir -p "$SP/po/failed" "$SP/po/rejects"
printf '[\n{}\n]\n' >"$SP/po/failed/a.csv.$O.00001.json"
printf 'x\n' >"$SP/po/rejects/a.csv.$O.csv"
pep "$SCRATCH/b.csv"
t_is "old output in failed/ and rejects/ alone: po-hash keeps it, hashed" \
	"$(cat "$ST")" "posync-po-hash 1
old hashed a.csv.$O"
pep "$SCRATCH/a.csv"
t_is "... its file rerun: the refused batch not written again, the rest by the old name" \
	"$(t_out)" "$NEW/a.csv.$O.00002.json"

# ---- a po-hash "old" without "hashed" (by hand, or an earlier form) reads
# the markers: it can only look for more
fresh
printf 'posync-parsed 2\nrows 2 rejected 0 batches 2 recovered 0\nfile a.csv\n' >"$PARSED/$O"
printf 'posync-po-hash 1\nold\n' >"$ST"
pep -v "$SCRATCH/a.csv"
t_like "\"old\" alone, an old marker there: parsed before" "$(t_err)" 'a\.csv": parsed before'

# ---- a dry run writes no po-hash
fresh
orphan
pep -n "$SCRATCH/a.csv"
t_is "-n: exit 0" "$rc" 0
t_true "... no po-hash written" ! -e "$ST"
t_done
