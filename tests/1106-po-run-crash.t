#!/bin/sh
# A run's files are made durable together (issue 12, P3): every file's
# batches, ledger records, reject lists and marker are written, then one
# sync, the renames, and only then are the remote files archived.  A kill
# -9 at the two steps between (POSYNC_TEST_CRASH, po-export-parse(1)):
# - "staged", all written, nothing synced: nothing is in new/, nothing is
#   archived, no marker is there; the rerun parses every file again;
# - "synced", all durable and in place, nothing archived: the rerun only
#   archives (every marker is there) and names the batches again;
# each time every PO line is in exactly one batch, every file archived,
# and the rejected row listed once.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_pep netsuite.po_min_age=0 hotwax.batch_size=2

# Three exports: 3, 4 (one bad row) and 1 rows; 2, 2 and 1 batches.
inbox() {
	printf '%s\n' "$HDR" "${1}01,SKU-A,1,116,1," "${1}01,SKU-A,2,116,2," \
	    "${1}02,SKU-A,3,116,1," >"$IN/a.csv"
	printf '%s\n' "$HDR" "${1}03,SKU-A,1,116,1," "${1}03,SKU-A,x,116,2," \
	    "${1}04,SKU-A,3,116,1," "${1}04,SKU-A,4,116,2," >"$IN/b.csv"
	printf '%s\n' "$HDR" "${1}05,SKU-A,1,116,1," >"$IN/c.csv"
	touch -d '10 minutes ago' "$IN/a.csv" "$IN/b.csv" "$IN/c.csv"
}
archived() { (cd "$AR" && ls a.csv b.csv c.csv 2>/dev/null | tr '\n' ' '); }
markers() { ls "$SP/state/parsed" 2>/dev/null | grep -c '^[0-9a-f]*$'; }
# every row with a PO and a line is in the ledger, the bad one too (its
# quantity unknown: pocsv_poline)
ledger() {
	awk -F'\t' '$2 != ""' "$SP/state/polines" 2>/dev/null |
		grep "^$1" | cut -f1,2 | sort -u | tr '\t' / | tr '\n' ' '
}
ALL1="9101:2 9102:1 9103:1 9104:2 9105:1 "
LED1="9101/1 9101/2 9102/1 9103/1 9103/2 9104/1 9104/2 9105/1 "

# --- killed once everything is written, before the sync
inbox 91
POSYNC_TEST_CRASH=staged po-export-parse >"$SCRATCH/.out" 2>"$SCRATCH/.err"
t_is "killed at staged: exit 137" "$?" 137
t_is "... no batch in new/" "$(new_po_counts)" ""
t_is "... no marker" "$(markers)" 0
t_true "... the markers' content waits beside their names" \
	"$(ls "$SP/state/parsed" | grep -c '\.tmp\.[0-9]*$')" -eq 3
t_is "... nothing archived" "$(archived)" ""
t_is "... no path printed" "$(t_out)" ""
po-export-parse >"$SCRATCH/.out" 2>"$SCRATCH/.err"
t_is "the rerun: 65 (the bad row)" "$?" 65
t_is "... names the five batches" "$(t_out | wc -l | tr -d ' ')" 5
t_is "... every PO line once" "$(new_po_counts)" "$ALL1"
t_is "... five batches" "$(ls "$SP/po/new" | wc -l | tr -d ' ')" 5
t_is "... all three archived" "$(archived)" "a.csv b.csv c.csv "
t_is "... the inbox empty" "$(ls "$IN" | grep -c csv)" 0
t_is "... three markers" "$(markers)" 3
t_is "... the ledger has every good line" "$(ledger 91)" "$LED1"
t_is "... the bad row listed once" \
	"$(cat "$SP"/po/rejects/b.csv.*.csv | grep -c '9103,SKU-A,x')" 1
t_is "... no leftover in tmp/" "$(ls "$SP/po/tmp" | wc -l | tr -d ' ')" 0
t_is "... nor in state/parsed" "$(ls "$SP/state/parsed" | grep -c '\.tmp\.')" 0
rm -f "$SP"/po/new/*

# --- killed once everything is durable, before any file is archived
inbox 92
ALL2=$(echo "$ALL1" | sed 's/91/92/g')
POSYNC_TEST_CRASH=synced po-export-parse >"$SCRATCH/.out" 2>"$SCRATCH/.err"
t_is "killed at synced: exit 137" "$?" 137
t_is "... every PO line once in new/" "$(new_po_counts)" "$ALL2"
t_is "... the paths printed" "$(t_out | wc -l | tr -d ' ')" 5
t_is "... six markers" "$(markers)" 6
t_is "... nothing more archived" "$(ls "$AR" | grep -c '\.1$')" 0
t_is "... the inbox as it was" "$(ls "$IN" | grep csv | tr '\n' ' ')" "a.csv b.csv c.csv "
po-export-parse >"$SCRATCH/.out" 2>"$SCRATCH/.err"
t_is "the rerun: 65 (the bad row, parsed before)" "$?" 65
t_like "... says so" "$(t_err)" "b\\.csv\": parsed before: 1 of 4 rows were rejected"
t_is "... no batch written again" "$(new_po_counts)" "$ALL2"
t_is "... names the five again" "$(t_out | wc -l | tr -d ' ')" 5
t_is "... all three archived (under a second name)" \
	"$(cd "$AR" && ls a.csv.1 b.csv.1 c.csv.1 2>/dev/null | wc -l | tr -d ' ')" 3
t_is "... the inbox empty" "$(ls "$IN" | grep -c csv)" 0
t_is "... the ledger has every good line" "$(ledger 92)" "$(echo "$LED1" | sed 's/91/92/g')"
t_is "... the bad row listed once" \
	"$(cat "$SP"/po/rejects/b.csv.*.csv | grep -c '9203,SKU-A,x')" 1
t_done
