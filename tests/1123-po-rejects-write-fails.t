#!/bin/sh
# A write of the rejected rows' CSV that fails (ENOSPC, strace(1)'s fault
# injection) while the writes after it succeed, as on a disk that fills
# and frees again: the run says it cannot write that file, with the
# error of the write that failed -- stdio only sets a flag, and the errno
# left by a later call said "No such file or directory" (review L) --
# exits 74, and keeps nothing of the CSV; the next run takes it whole.
. "${0%/*}/lib.sh"
t_need_strace

SP=$SCRATCH/spool
printf '[spool]\ndir = %s\n' "$SP" >"$SCRATCH/posync.conf"
chmod 600 "$SCRATCH/posync.conf"
# 3000 rows, every one rejected for its quantity, ids kept: the rejects
# CSV takes many of stdio's 4 KiB writes
python3 - >"$SCRATCH/rej.csv" <<'PY'
print("external-id,product-sku,quantity,external-facility-id,item-external-id,arrival-date")
for i in range(1, 3001):
    print("7601,SKU-%d,n/a,116,%d," % (i, i))
PY
pep() { po-export-parse -c "$SCRATCH/posync.conf" "$@"; }

# Which write(2) is the second to the rejects CSV in tmp/: the main
# thread's writes come in the same order in every run of the same file.
strace -o "$SCRATCH/trace" -y -e trace=write \
    po-export-parse -c "$SCRATCH/posync.conf" "$SCRATCH/rej.csv" >/dev/null 2>&1
k=$(awk '/^write\(/ { n++ } /^write\([0-9]+<[^>]*\/po\/tmp\/rej\.csv\.[^>]*\.csv\.[0-9]+>/ {
    if (++w == 2) { print n; exit } }' "$SCRATCH/trace")
t_like "the rejects CSV takes several writes (the 2nd is write #$k)" "$k" '^[0-9][0-9]*$'
rm -rf "$SP"

t_exit "its 2nd write fails with ENOSPC, the others do not: exit 74" 74 \
    strace -o /dev/null -e trace=write -e inject=write:error=ENOSPC:when="$k" \
    po-export-parse -c "$SCRATCH/posync.conf" "$SCRATCH/rej.csv"
t_like "... the rejects CSV named, with the error of the write that failed" \
    "$(t_err)" 'cannot write .*/po/tmp/rej\.csv\.[^ ]*\.csv\.[0-9]*: No space left on device'
t_is "... no other reason given" "$(t_err | grep -c 'No such file\|Input/output')" 0
t_is "... nothing in new/" "$(ls "$SP/po/new" | wc -l | tr -d ' ')" 0
t_is "... no marker" "$(ls "$SP/state/parsed" 2>/dev/null | wc -l | tr -d ' ')" 0
t_is "... nothing left in po/tmp" "$(ls "$SP/po/tmp" | tr '\n' ' ')" ""

t_exit "the next run: exit 65 (its rows are bad)" 65 pep "$SCRATCH/rej.csv"
t_is "... every rejected row listed once" \
    "$(tail -n +2 "$SP"/po/rejects/rej.csv.*.csv | cut -d, -f1 | sort -un | wc -l | tr -d ' ')" 3000
t_is "... each of its lines in the ledger" \
    "$(grep -c '^7601	[0-9]*	?$' "$SP/state/polines")" 3000
t_done
