#!/bin/sh
# A run publishes a file's first batch and is killed before the rest and
# its marker; batch_size is changed before the rerun.  The rerun cuts the
# file's rows into other batches: skipping the batch already published by
# its name would lose rows, writing it would send some twice.  So the
# rerun says so and leaves the file (78) until batch_size is what it was;
# then it finishes the file, each row in exactly one batch.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_built po-export-parse
posync_conf hotwax.batch_size=1
SP=$SCRATCH/spool
NEW=$SP/po/new
pep() { po-export-parse "$@" >"$SCRATCH/.out" 2>"$SCRATCH/.err"; rc=$?; }
rows() { cat "$SP"/po/new/* "$SP"/po/cur/* 2>/dev/null | grep -c '^{'; }

printf '%s\n' "$HDR" '9801,SKU-A,1,116,1,' '9801,SKU-B,2,116,2,' '9801,SKU-C,3,116,3,' >"$SCRATCH/b.csv"
H=$(t_pohash b.csv "$SCRATCH/b.csv")
pep "$SCRATCH/b.csv"
t_is "batch_size 1: three batches" "$(t_out | wc -l | tr -d ' ')" 3
# the run killed after its first batch: the rest and the marker not there
# (a crash between the renames: see tests/1106), the first sent (cur/)
mkdir -p "$SP/po/cur"
mv "$NEW/b.csv.$H.00001.json" "$SP/po/cur/"
rm -f "$NEW"/* "$SP/state/parsed/$H"

posync_conf hotwax.batch_size=2
pep "$SCRATCH/b.csv"
t_is "batch_size changed: exit 78" "$rc" 78
t_like "... said, naming the batch, its rows and the size it had" "$(t_err)" \
	"b\\.csv\\.$H\\.00001\\.json holds 1 rows where this run cuts 2: batch_size changed.*set back \\(to 1,"
t_is "... no batch written" "$(t_out)" ""
t_true "... no marker" ! -e "$SP/state/parsed/$H"
t_is "... nothing left in tmp/" "$(ls -A "$SP/po/tmp")" ""

posync_conf hotwax.batch_size=1
pep "$SCRATCH/b.csv"
t_is "batch_size set back: exit 0" "$rc" 0
t_is "... the two missing batches written" "$(t_out)" "$NEW/b.csv.$H.00002.json
$NEW/b.csv.$H.00003.json"
t_is "... every row once, in new/ and cur/" "$(rows)" 3
t_true "... the marker" -f "$SP/state/parsed/$H"
t_done
