#!/bin/sh
# bench/p1-parse.sh -- issue 12's P1: `po-export-parse FILE` against its
# peers, in one run, on the same file.
#
#   sh bench/p1-parse.sh [ROWS] [BATCH_SIZE]      (defaults 1000000, 1000)
#
# The file is bench/gen-po-csv.py's (one row in 50 a comma SKU, one in 40 a
# quote, one in 1000 a bad quantity: po-export-parse exits 65, as it
# must).  Peers: bench/csvcount (libcsv parse, count fields, nothing
# else), Python's csv + json writing the same batches (no validation, no
# fsync), and Miller (`mlr --icsv --ojson --allow-ragged-csv-input cat`:
# the comma SKUs make rows longer than the header).  Prints wall, CPU
# and peak RSS of each (/usr/bin/time), then the ratios the issue's table
# names.  Then a floor libcsv does not pay: bench/writefloor writing the
# batches' bytes into as many new files, and P1 less it; the same made
# durable by one syncfs (the durable floor), as po-export-parse's batches
# must be; and, just before po-export-parse, what 999 new empty files
# cost the kernel here and now (the create floor: see there).  All is
# made under ${TMPDIR:-/tmp}.  Nothing is asserted: this is for people.
# Needs `make bench-deps` (miller, bench/csvcount, bench/writefloor) and
# `make` (po-export-parse).
set -eu
ROWS=${1:-1000000}
BATCH=${2:-1000}
TOP=$(cd "$(dirname "$0")/.." && pwd)
PEP=$TOP/po-export-parse/po-export-parse
CSVCOUNT=$TOP/bench/csvcount
FLOOR=$TOP/bench/writefloor
for x in "$PEP" "$CSVCOUNT" "$FLOOR" /usr/bin/time; do
	[ -x "$x" ] || { echo "p1-parse: $x missing: make bench-deps all" >&2; exit 1; }
done
command -v mlr >/dev/null || { echo "p1-parse: no mlr: make bench-deps" >&2; exit 1; }
W=$(mktemp -d "${TMPDIR:-/tmp}/p1-parse.XXXXXX")
trap 'rm -rf "$W"' EXIT INT TERM

python3 "$TOP/bench/gen-po-csv.py" "$ROWS" >"$W/bench.csv"
printf '[spool]\ndir = %s/spool\n[hotwax]\nbatch_size = %s\n' "$W" "$BATCH" >"$W/posync.conf"
chmod 600 "$W/posync.conf"
mkdir "$W/peer"

# measure KEY CMD... -- wall, CPU (user + sys) and peak RSS of CMD into
# $W/KEY (stdout dropped), and a line for people.
measure() {
	_key=$1; shift
	_rc=0
	/usr/bin/time -f '%e %U %S %M' -o "$W/time" "$@" >/dev/null 2>"$W/stderr" || _rc=$?
	tail -n 1 "$W/time" | awk -v rc="$_rc" '{ print $1, $2 + $3, $4, rc }' >"$W/$_key"
	tail -n 1 "$W/time" | awk '{ print $2, $3 }' >"$W/$_key.us"	# user, sys
	awk -v k="$_key" '{ printf "%-16s %7.2f s wall %7.2f s cpu %9d KiB peak RSS  (exit %d)\n",
	    k, $1, $2, $3, $4 }' "$W/$_key"
}

echo "p1-parse: $ROWS rows, $(wc -c <"$W/bench.csv") bytes, batch_size $BATCH," \
    "$(date -u +%Y-%m-%dT%H:%MZ), $(uname -sm), $(nproc) cores"
cat "$W/bench.csv" >/dev/null	# every peer reads it from the page cache
measure libcsv "$CSVCOUNT" "$W/bench.csv"
measure python python3 "$TOP/bench/peer-csv.py" "$W/bench.csv" "$W/peer" "$BATCH"
measure mlr mlr --icsv --ojson --allow-ragged-csv-input cat "$W/bench.csv"
sync	# its one syncfs flushes its own batches, not the peers' files
# The kernel's price of a new file, here, now: 999 empty ones made beside
# where the spool will be (the same ext4 block group, as a rule).  On ext4
# without a journal it is not constant: each new inode is looked for past
# the group's inodes deleted in the last 30 s (5 min while their block is
# dirty), so a run minutes after many files were removed there (a test
# suite, this bench's own last run) pays many times what a quiet one does.
# The row says which kind of run this was; nothing is removed until the end.
mkdir "$W/cfloor"
measure create-floor "$FLOOR" /dev/null 999 "$W/cfloor"
measure po-export-parse "$PEP" -c "$W/posync.conf" "$W/bench.csv"
[ "$(cat "$W/po-export-parse" | cut -d' ' -f4)" -le 65 ] ||
    { echo "p1-parse: po-export-parse failed:" >&2; cat "$W/stderr" >&2; exit 1; }
nb=$(ls "$W/spool/po/new" | wc -l)
echo "  batches: $nb, peer's: $(ls "$W/peer" | wc -l)"
# A floor libcsv does not pay: writing po-export-parse's output at all, its
# batches' bytes into as many new files (bench/writefloor: no parse, no
# fsync).
cat "$W"/spool/po/new/* >"$W/all.json"
mkdir "$W/floor" "$W/dfloor"
sync
measure write-floor "$FLOOR" "$W/all.json" "$nb" "$W/floor"
# ...and made durable, as po-export-parse's batches must be before the
# remote file is archived: the same, then one syncfs (sync -f), as it does
# (in a folder of its own: none removed before it, see create-floor)
sync
measure durable-floor "$FLOOR" -s "$W/all.json" "$nb" "$W/dfloor"

# ratio A B COL -- A's column COL over B's
ratio() { paste -d' ' "$W/$1" "$W/$2" | awk -v c="$3" '{ b = $(c + 4);
    printf "%.2f", (b > 0 ? $c / b : 0) }'; }
echo "P1 wall vs libcsv:  $(ratio po-export-parse libcsv 1)x   (goal <= 3x)"
echo "P1 CPU vs libcsv:   $(ratio po-export-parse libcsv 2)x   (goal <= 2.5x)"
paste -d' ' "$W/po-export-parse" "$W/write-floor" "$W/libcsv" | awk '{
    printf "P1 less the write floor vs libcsv: wall %.2fx, CPU %.2fx\n",
    ($1 - $5) / $9, ($2 - $6) / $10 }'
paste -d' ' "$W/po-export-parse" "$W/durable-floor" "$W/libcsv" | awk '{
    printf "P1 less the durable write floor vs libcsv: wall %.2fx\n",
    ($1 - $5) / $9 }'
paste -d' ' "$W/po-export-parse" "$W/create-floor" "$W/libcsv" | awk '{
    printf "P1 less the create floor vs libcsv: wall %.2fx, CPU %.2fx   (999 new files: %.2f s, %.1fx libcsv)\n",
    ($1 - $5) / $9, ($2 - $6) / $10, $5, $5 / $9 }'
# The user-mode part alone: what parsing, validation and JSON cost, less
# the kernel's (reading the file, creating and writing the batches).
paste -d' ' "$W/po-export-parse.us" "$W/libcsv.us" | awk '{
    printf "P1 user CPU vs libcsv: %.2fx   (%.2f s user + %.2f s sys, libcsv %.2f + %.2f)\n",
    ($3 > 0 ? $1 / $3 : 0), $1, $2, $3, $4 }'
echo "P1 vs Python:       $(ratio python po-export-parse 1)x faster   (goal >= 10x)"
echo "P1 vs mlr:          $(ratio mlr po-export-parse 1)x faster   (goal >= 3x)"
echo "P1 RSS vs mlr's:    $(paste -d' ' "$W/po-export-parse" "$W/mlr" |
    awk '{ printf "%.2f", 100 * $3 / $7 }')%   (goal < 2%)"
