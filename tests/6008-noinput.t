#!/bin/sh
# A missing or odd input file is exit 66 (EX_NOINPUT) in every program that
# takes files, refused at once, and the other files of the same run are
# still done: po-export-parse with local CSVs, po-import with batches,
# receipt-push with receipt files (named as arguments or on stdin).  A
# FIFO, /dev/zero or a directory never holds a run: every command is
# bounded by timeout(1), so a hang fails (exit 124) instead of waiting.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_all
hw_seed_prd1
T="timeout 20"
mkdir -p "$SCRATCH/in" "$SCRATCH/in/dir.csv" "$SCRATCH/in/dir.json"
mkfifo "$SCRATCH/in/fifo.csv" "$SCRATCH/in/fifo.json"
printf '%s\n' "$HDR" '9001,26897,3,116,1,' >"$SCRATCH/in/good.csv"

# ---- po-export-parse
t_exit "po-export-parse missing.csv: exit 66" 66 $T po-export-parse "$SCRATCH/in/missing.csv"
t_like "... says the file is missing" "$(t_err)" "^po-export-parse: cannot open \".*/missing\.csv\": No such file"
t_exit "po-export-parse -n /dev/zero: exit 66 at once" 66 $T po-export-parse -n /dev/zero
t_like "... not a regular file" "$(t_err)" "\"/dev/zero\": not a regular file"
t_exit "po-export-parse on a FIFO nobody writes: exit 66 at once" 66 $T po-export-parse "$SCRATCH/in/fifo.csv"
t_like "... not a regular file" "$(t_err)" "fifo\.csv\": not a regular file"
t_exit "po-export-parse on a directory: exit 66" 66 $T po-export-parse "$SCRATCH/in/dir.csv"
t_exit "a path through a file (ENOTDIR): exit 66" 66 $T po-export-parse "$SCRATCH/in/good.csv/x.csv"
t_exit "missing, FIFO and a good file in one run: exit 66" 66 \
	$T po-export-parse "$SCRATCH/in/missing.csv" "$SCRATCH/in/fifo.csv" "$SCRATCH/in/good.csv"
batch=$(t_out)
t_like "... the good file still makes its batch" "$batch" "^$SP/po/new/good\.csv\.[0-9a-f]{16}\.00001\.json\$"
t_is "... two messages, one per bad file" "$(t_err | grep -c 'cannot open')" 2
t_true "... and the batch is there" -f "$batch"

# odd_json PROG -- PROG (po-import, receipt-push) given a missing .json,
# a FIFO and a directory: exit 66 for each, said
odd_json() {
	t_exit "$1 missing.json: exit 66" 66 $T "$1" "$SCRATCH/in/missing.json" </dev/null
	t_like "... says so" "$(t_err)" "missing\.json: No such file"
	t_exit "$1 on a FIFO: exit 66 at once" 66 $T "$1" "$SCRATCH/in/fifo.json" </dev/null
	t_like "... not a regular file" "$(t_err)" "fifo\.json: not a regular file"
	t_exit "$1 on a directory: exit 66" 66 $T "$1" "$SCRATCH/in/dir.json" </dev/null
}

# ---- po-import
odd_json po-import
t_exit "po-import with the missing file, the FIFO and a good batch on stdin: exit 66" 66 \
	sh -c "printf '%s\n' '$SCRATCH/in/missing.json' '$SCRATCH/in/fifo.json' '$batch' | $T po-import"
t_is "... the good batch is uploaded" \
	"$(hw_ctl GET /_sim/state | hw_json '" ".join(o["externalId"] for o in d["orders"])')" 9001
t_true "... and moved to cur/" -f "$SP/po/cur/${batch##*/}"

# ---- receipt-push
good=posync_PurchaseOrderReceiptFeed_2026-11-27-10_00_00_000.json
printf '[{"order_id": "9001", "items": [{"line_id": "1", "quantity": 1}]}]\n' >"$SCRATCH/in/$good"
odd_json receipt-push
t_exit "receipt-push with the missing file and a good one on stdin: exit 66" 66 \
	sh -c "printf '%s\n' '$SCRATCH/in/missing.json' '$SCRATCH/in/$good' | $T receipt-push"
t_true "... the good file is published" -f "$SFTP_BASE/purchaseorder/receipt/$good"
t_done
