#!/bin/sh
# A CSV that grows just after the server read to its end (tests/1003's
# "a file growing while it is read", made to happen every time): the
# server preloads bed/grow-at-end.c, which appends to the file once,
# right after a read of it came back short.  libssh2 1.10 keeps reads in
# flight past the end it was asked for; one answered short, a later one
# with the new bytes, it calls that "Read Packet At Unexpected Offset" and
# leaks the packet -- said as "the read ended early", and under the
# sanitizer build an abort (status 134) one run in 17 of tests/1003.  A
# download now reads what was listed and no further (sftp.c, read_len):
# the look after (future.h) says the file changed, quietly (-v: left for
# the next run), and nothing of it is kept.  Read alone, in a read-ahead
# batch (sftp_fetch_many) and parsed as it arrives (4 MiB and more); the
# next run, the file still, takes each whole.
. "${0%/*}/lib.sh"
GROW_DIR=$SCRATCH/grow
export GROW_DIR
mkdir -p "$GROW_DIR"
SSHD_PRELOAD=$SCRATCH/grow-at-end.so
cc -shared -fPIC -o "$SSHD_PRELOAD" "$TOP/tests/bed/grow-at-end.c" -ldl ||
	t_skip_all "cannot build bed/grow-at-end.c"
. "$BED/bed.sh"

bed_pep
# csv NAME PO ROWS: NAME in the inbox, ten minutes old, PO's ROWS lines
csv() {
	{ echo "$HDR"; python3 -c 'import sys; po, n = sys.argv[1], int(sys.argv[2])
sys.stdout.write("".join("%s,SKU-A,1,116,%d,\n" % (po, i) for i in range(1, n + 1)))' "$2" "$3"; } >"$IN/$1"
	touch -d '10 minutes ago' "$IN/$1"
}
# grows NAME PO FROM ROWS: once read to its end, NAME gains ROWS lines
grows() {
	python3 -c 'import sys; po, a, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
sys.stdout.write("".join("%s,SKU-A,1,116,%d,\n" % (po, i) for i in range(a, a + n)))' "$2" "$3" "$4" >"$GROW_DIR/$1"
}
kept() { ls -A "$SP/po/raw" "$SP/po/new" "$SP/po/tmp" 2>/dev/null | grep -c "$1"; }
ledger() { cat "$SP/state/polines" 2>/dev/null | grep -c "^$1	"; }

# --- read alone (sftp_get_listed), under -v
csv alone.csv 9801 3000
grows alone.csv 9801 3001 2000
size=$(wc -c <"$IN/alone.csv")
t_ok "a CSV that grows once its end was read, alone: exit 0" po-export-parse -v
t_true "... it did grow after a read of it reached its end" \
	! -e "$GROW_DIR/alone.csv" -a "$(wc -c <"$IN/alone.csv")" -gt "$size"
t_is "... prints no path" "$(t_out)" ""
t_like "... said under -v: changed while it was read" "$(t_err)" \
	'alone\.csv" changed while it was read: left for the next run'
t_is "... said so and nothing else of it" \
	"$(t_err | grep 'alone\.csv' | grep -vc 'taking\|changed while it was read: left for the next run')" 0
t_true "... it stays in the inbox" -f "$IN/alone.csv"
t_is "... no copy, no batch" "$(kept alone)" 0
t_is "... none of its lines in the ledger" "$(ledger 9801)" 0

# --- in a read-ahead batch (sftp_fetch_many), without -v; alone.csv,
# grown and still now, is taken whole with the others
csv b1.csv 9811 3000
csv b2.csv 9812 2
csv b3.csv 9813 2
grows b1.csv 9811 3001 2000
t_ok "one of four small CSVs read ahead grows at its end: exit 0" po-export-parse
t_true "... it did grow after a read of it reached its end" ! -e "$GROW_DIR/b1.csv"
t_is "... nothing said" "$(t_err)" ""
t_is "... a path for each of the others' batches" "$(t_out | grep -c '/b1\.csv')" 0
t_true "... it stays in the inbox" -f "$IN/b1.csv"
t_is "... no copy, no batch" "$(kept b1)" 0
t_is "... none of its lines in the ledger" "$(ledger 9811)" 0
t_is "... the others are taken whole, alone.csv as it grew" "$(new_po_counts)" \
	"9801:5000 9812:2 9813:2 "

# --- parsed as it arrives (4 MiB and more), without -v; b1.csv, still
# now, is taken whole
csv big.csv 9821 200000
grows big.csv 9821 200001 3000
t_ok "a CSV of $(wc -c <"$IN/big.csv") bytes grows at its end: exit 0" po-export-parse
t_true "... it did grow after a read of it reached its end" ! -e "$GROW_DIR/big.csv"
t_is "... nothing said" "$(t_err)" ""
t_is "... no path of its" "$(t_out | grep -c '/big\.csv')" 0
t_true "... it stays in the inbox" -f "$IN/big.csv"
t_is "... no copy, no batch" "$(kept big)" 0
t_is "... none of its lines in the ledger" "$(ledger 9821)" 0
t_is "... b1.csv taken whole" "$(new_pos | grep -c '^9811$')" 5000

# --- the next run: it is still now, and taken whole
t_ok "the next run, nothing growing" po-export-parse
t_is "... takes it whole" "$(new_pos | grep -c '^9821$')" 203000
t_true "... and archives all" "$(ls -A "$IN" | grep -c '\.csv$')" = 0
t_done
