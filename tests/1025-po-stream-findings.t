#!/bin/sh
# po-export-parse's streamed parse (issue 12, P2), what review RC2 found:
# - a staged file's held ledger records (more than are held in memory)
#   keep no descriptor once appended: with files staged, none is open
#   (a backlog of them ran out of descriptors);
# - a whole file parsed before (downloaded, then parsed, or local: the
#   same name and content, the same hash) is
#   hashed first and not parsed again: no batch is even closed (crash
#   point "batch-closed" never reached);
# - a provisional name no remote file's can be: a file named as the
#   first file's side CSV would have been (SAFE.p000000000000001.csv)
#   while that file streams changes nothing of either.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_pep hotwax.batch_size=1000

# gen FILE ROWS PO -- ROWS rows of PO (line ids 1..ROWS); with BAD, every
# 1000th row has a bad quantity (a rejected row)
gen() {
	python3 - "$2" "$3" "${BAD:-}" >"$1" <<'PY'
import sys
rows, po, bad = int(sys.argv[1]), sys.argv[2], sys.argv[3]
sys.stdout.write("external-id,product-sku,quantity,external-facility-id,item-external-id,arrival-date\n")
sys.stdout.write("".join("%s,SKU-%d,%s,116,%d,\n" % (po, i, "x" if bad and i % 1000 == 0 else "1", i) for i in range(1, rows + 1)))
PY
}
put() {
	cp "$1" "$IN/.$2" && touch -d "$3" "$IN/.$2" && mv "$IN/.$2" "$IN/$2"
}
tmp_left() { ls "$SP/po/tmp" 2>/dev/null | tr '\n' ' '; }

# --- held ledger records: no descriptor kept once appended
N=5
for k in $(seq $N); do
	gen "$SCRATCH/f$k.csv" 10001 $((8000 + k))
	put "$SCRATCH/f$k.csv" f$k.csv '10 minutes ago'
done
pep_stopped staged 'ls -l /proc/$_pid/fd | grep -c "ledger.*deleted" >"$SCRATCH/fds"'
t_is "$N files staged, each with more records than are held in memory: exit 0" "$?" 0
t_is "... stopped at 'staged'" "$(cat "$SCRATCH/.acted")" 1
t_is "... no held-records file open there" "$(cat "$SCRATCH/fds")" 0
t_is "... all archived" "$(ls "$IN" | grep -c csv)" 0
t_is "... every line in the ledger" "$(awk -F'\t' '$2 != "" { print $1 ":" $2 }' "$SP/state/polines" | sort -u | wc -l | tr -d ' ')" $((N * 10001))

# --- a whole file parsed before is not parsed again
rm -rf "$SP"
rm -f "$AR"/* "$IN"/*.csv
gen "$SCRATCH/mid.csv" 30000 8101
put "$SCRATCH/mid.csv" mid.csv '10 minutes ago'
t_ok "a remote file (downloaded, then parsed)" po-export-parse
batches=$(ls "$SP/po/new" | wc -l | tr -d ' ')
ledger=$(wc -c <"$SP/state/polines")
put "$SCRATCH/mid.csv" mid.csv '9 minutes ago'
POSYNC_TEST_CRASH=batch-closed po-export-parse >"$SCRATCH/.out" 2>"$SCRATCH/.err"
t_is "uploaded again: not parsed (no batch closed), exit 0" "$?" 0
t_is "... its batches named again" "$(wc -l <"$SCRATCH/.out" | tr -d ' ')" "$batches"
t_is "... the ledger did not grow" "$(wc -c <"$SP/state/polines")" "$ledger"
t_is "... nothing left in tmp/" "$(tmp_left)" ""
t_true "... archived" ! -e "$IN/mid.csv"
POSYNC_TEST_CRASH=batch-closed po-export-parse "$SCRATCH/mid.csv" >"$SCRATCH/.out" 2>"$SCRATCH/.err"
t_is "the same as a local file: not parsed (no batch closed), exit 0" "$?" 0
t_is "... its batches named again" "$(wc -l <"$SCRATCH/.out" | tr -d ' ')" "$batches"

# --- a remote name like a provisional one
rm -rf "$SP"
rm -f "$AR"/* "$IN"/*.csv
BAD=1 gen "$SCRATCH/big.csv" 200000 8201
gen "$SCRATCH/s1.csv" 1 8202
gen "$SCRATCH/s2.csv" 1 8203
put "$SCRATCH/big.csv" a.csv '10 minutes ago'
put "$SCRATCH/s1.csv" a.csv.p000000000000001.csv '9 minutes ago'
put "$SCRATCH/s2.csv" zz.csv '8 minutes ago'
po-export-parse >"$SCRATCH/.out" 2>"$SCRATCH/.err"
t_is "a file streamed with rejects, one named as its side CSV was: exit 65" "$?" 65
t_is "... every PO whole" "$(new_po_counts)" "8201:199800 8202:1 8203:1 "
t_is "... inbox empty" "$(ls "$IN" | grep -c csv)" 0
t_is "... a.csv's rejects: 200 rows and the header" "$(cat "$SP"/po/rejects/a.csv.*[0-9a-f].csv | wc -l | tr -d ' ')" 201
t_is "... nothing left in tmp/" "$(tmp_left)" ""
t_done
