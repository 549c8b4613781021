#!/bin/sh
# po-export-parse reads a remote CSV once, parsing it as it downloads, its
# content hash (batch names, marker) known only at the end (issue 12, P2):
# - an old file uploaded again, whose marker exists, adds no ledger
#   records (its quantities would set the lines back) and no batches: it
#   is only archived, and nothing provisional is left in tmp/;
# - a file replaced on the server during its download (stopped at the
#   step "downloading") leaves no batch, no marker, no ledger record and
#   nothing in tmp/; the next run parses the new content;
# - killed in the middle of a streamed parse (crash point "batch-closed"),
#   the rerun gives each row exactly once, with its ledger record.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_pep hotwax.batch_size=1000
LEDGER=$SP/state/polines

# gen FILE ROWS PO QTY -- ROWS rows of PO (line ids 1..ROWS), quantity QTY
gen() {
	python3 - "$2" "$3" "$4" >"$1" <<'PY'
import sys
rows, po, qty = int(sys.argv[1]), sys.argv[2], sys.argv[3]
sys.stdout.write("external-id,product-sku,quantity,external-facility-id,item-external-id,arrival-date\n")
sys.stdout.write("".join("%s,SKU-%d,%s,116,%d,\n" % (po, i, qty, i) for i in range(1, rows + 1)))
PY
}
# put FILE NAME AGE -- into the inbox as NAME, AGE old (a new inode: as an
# upload renamed into place)
put() {
	cp "$1" "$IN/.$2" && touch -d "$3" "$IN/.$2" && mv "$IN/.$2" "$IN/$2"
}
# qty PO LINE -- the ledger's last quantity for the line
qty() { awk -F'\t' -v p="$1" -v l="$2" '$1 == p && $2 == l { q = $3 } END { print q }' "$LEDGER"; }
tmp_left() { ls "$SP/po/tmp" 2>/dev/null | tr '\n' ' '; }

# --- an old file uploaded again, its marker there
gen "$SCRATCH/old.csv" 12000 7001 5
gen "$SCRATCH/fix.csv" 12000 7001 2
put "$SCRATCH/old.csv" po.csv '10 minutes ago'
t_ok "the first content" po-export-parse
t_is "... its 12 batches in new/ (more records than are held in memory)" "$(ls "$SP/po/new" | wc -l | tr -d ' ')" 12
t_is "... the ledger has its quantity" "$(qty 7001 17)" 5
put "$SCRATCH/fix.csv" po.csv '9 minutes ago'
t_ok "NetSuite's correction (the quantity 2)" po-export-parse
t_is "... the ledger has the new quantity" "$(qty 7001 17)" 2
ledger_size=$(wc -c <"$LEDGER")
batches=$(ls "$SP/po/new" | wc -l | tr -d ' ')
put "$SCRATCH/old.csv" po.csv '8 minutes ago'
t_ok "the old file uploaded again" po-export-parse
t_is "... no ledger record added: the quantity stays 2" "$(qty 7001 17)" 2
t_is "... the ledger did not grow" "$(wc -c <"$LEDGER")" "$ledger_size"
t_is "... no batch written" "$(ls "$SP/po/new" | wc -l | tr -d ' ')" "$batches"
t_is "... nothing left in tmp/" "$(tmp_left)" ""
t_true "... it was archived" ! -e "$IN/po.csv"

# --- replaced on the server while it downloads
rm -rf "$SP"
gen "$SCRATCH/big.csv" 200000 7002 3
gen "$SCRATCH/new.csv" 10 7003 4
put "$SCRATCH/big.csv" big.csv '10 minutes ago'
pep_stopped downloading 'put "$SCRATCH/new.csv" big.csv "5 minutes ago"'
t_is "replaced during its download: exit 0" "$?" 0
t_is "... it was stopped in the download and replaced" "$(cat "$SCRATCH/.acted")" 1
t_is "... quiet" "$(t_err)" ""
t_is "... no batch" "$(ls "$SP/po/new" | wc -l | tr -d ' ')" 0
t_is "... no marker" "$(ls "$SP/state/parsed" 2>/dev/null | wc -l | tr -d ' ')" 0
t_is "... no ledger record" "$(cat "$LEDGER" 2>/dev/null | wc -l | tr -d ' ')" 0
t_is "... nothing left in tmp/" "$(tmp_left)" ""
t_is "... the new content waits in the inbox" "$(cmp "$SCRATCH/new.csv" "$IN/big.csv" && echo same)" same
t_ok "the next run" po-export-parse
t_is "... parses the new content alone" "$(new_po_counts)" "7003:10 "
t_is "... its ledger records" "$(awk -F'\t' '$2 != "" { print $1 }' "$LEDGER" | sort | uniq -c | awk '{ print $2 ":" $1 }')" "7003:10"

# --- killed in the middle of a streamed parse
rm -rf "$SP"
put "$SCRATCH/big.csv" big.csv '10 minutes ago'
POSYNC_TEST_CRASH=batch-closed po-export-parse >"$SCRATCH/out1" 2>&1
t_is "killed at the first batch closed" "$?" 137
t_true "... the file is still in the inbox" -e "$IN/big.csv"
t_is "... no batch published" "$(ls "$SP/po/new" | wc -l | tr -d ' ')" 0
t_ok "the rerun" po-export-parse
t_is "... every row once, in 200 batches" "$(new_po_counts) $(ls "$SP/po/new" | wc -l | tr -d ' ')" "7002:200000  200"
t_is "... no row twice" "$(cat "$SP"/po/new/*.json | grep -o '"itemExternalId": "[0-9]*"' | sort | uniq -d | wc -l | tr -d ' ')" 0
t_is "... each line in the ledger" "$(awk -F'\t' '$1 == "7002" && $2 != "" { print $2 }' "$LEDGER" | sort -u | wc -l | tr -d ' ')" 200000
t_is "... nothing left in tmp/" "$(tmp_left)" ""
t_true "... archived" -e "$AR/big.csv"
t_done
