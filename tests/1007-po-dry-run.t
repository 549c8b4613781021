#!/bin/sh
# po-export-parse -n creates, moves and deletes nothing, locally or
# remotely: on a spool that does not exist yet (no spool tree, no lock, no
# ledger afterwards) and on an existing one (every file's name, size and
# mtime the same), with an inbox holding a good file, one with a rejected
# row, one that cannot be used at all (it would go to po_error_dir, which
# does not exist yet), one too big and one too fresh: the SFTP tree's
# listing is the same before and after, while stdout says what would be
# done.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_sshd
ROOT=$SFTP_BASE
IN=$ROOT/purchaseorder/fulfillment
SP=$SCRATCH/fresh/spool
printf '%s\n' "$HDR" '1,a,1,116,1,' >"$IN/good.csv"
printf '%s\n' "$HDR" '2,a,1,116,1,' '2,b,zero,116,2,' >"$IN/onebad.csv"
printf '%s\n' 'no,header,here' '3,a,1,116,1,' >"$IN/unusable.csv"
python3 -c 'import sys; sys.stdout.write("'"$HDR"'\n" + "4,a,1,116,1,\n" * 200)' >"$IN/big.csv"
touch -d '10 minutes ago' "$IN"/*.csv
printf '%s\n' "$HDR" '5,a,1,116,1,' >"$IN/fresh.csv"
posync_conf spool.dir="$SP" netsuite.po_min_age=60 netsuite.po_max_size=2000

# snap DIR -- every path under DIR with its type, size, mode and mtime
snap() { (cd "$1" && find . -printf '%p %y %s %m %T@\n' | LC_ALL=C sort); }
snap "$SFTP_HOME" >"$SCRATCH/remote.before"
t_true "the error folder does not exist yet" ! -e "$IN/error"

t_exit "-n on a fresh spool: exit 65 (a row and a file would be rejected)" 65 po-export-parse -n
out=$(t_out)
t_like "... says it would take good.csv" "$out" "would take .*/good\.csv"
t_like "... says it would move unusable.csv to the error folder" "$out" "would move \".*/unusable\.csv\" to \".*/error\""
t_like "... and big.csv" "$out" "would move \".*/big\.csv\" to \".*/error\""
t_like "... says it would wait for fresh.csv" "$out" "would wait for .*/fresh\.csv"
t_like "... counts onebad.csv's rows" "$out" "onebad\.csv\": 2 rows: 1 good in 1 batches, 1 rejected"
t_true "... the spool does not exist" ! -e "$SP"
t_true "... nor its parent" ! -e "$SCRATCH/fresh"
snap "$SFTP_HOME" >"$SCRATCH/remote.after"
t_ok "... the SFTP tree is the same (names, sizes, modes, mtimes)" \
	diff "$SCRATCH/remote.before" "$SCRATCH/remote.after"

t_exit "-n with local files on a fresh spool" 0 po-export-parse -n "$IN/good.csv"
t_true "... creates no spool" ! -e "$SCRATCH/fresh"

# An existing spool, after a real run took nothing (the inbox is kept by
# making every file fresh first).
touch "$IN"/*.csv
t_exit "a real run makes the spool" 0 po-export-parse
t_true "... with its tree and lock" -d "$SP/po/new" -a -e "$SP/state/po-export-parse.lock"
touch -d '10 minutes ago' "$IN"/good.csv "$IN"/onebad.csv "$IN"/unusable.csv "$IN"/big.csv
snap "$SFTP_HOME" >"$SCRATCH/remote.before"
snap "$SP" >"$SCRATCH/spool.before"
t_exit "-n on the existing spool: exit 65" 65 po-export-parse -n
t_like "... says it would take good.csv" "$(t_out)" "would take .*/good\.csv"
snap "$SP" >"$SCRATCH/spool.after"
t_ok "... the spool is the same (names, sizes, modes, mtimes)" \
	diff "$SCRATCH/spool.before" "$SCRATCH/spool.after"
snap "$SFTP_HOME" >"$SCRATCH/remote.after"
t_ok "... the SFTP tree is the same" diff "$SCRATCH/remote.before" "$SCRATCH/remote.after"
t_exit "-n -v with local files on the existing spool" 65 po-export-parse -n -v "$IN/onebad.csv"
snap "$SP" >"$SCRATCH/spool.after"
t_ok "... the spool is still the same" diff "$SCRATCH/spool.before" "$SCRATCH/spool.after"
t_done
