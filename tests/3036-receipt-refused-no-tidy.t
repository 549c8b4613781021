#!/bin/sh
# A receipt-export run that refuses changes nothing (issue 9): a refused
# --start-at (64) or a run stopped by a damaged state (78) neither prunes
# receipt/cur nor compacts the polines ledger; a run that did its work
# (0, or 65) does both.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_re spool.keep_days=30 spool.polines_keep_days=30
S=$SPOOL/state/receipt-export.state
now=$(date +%s)
mkdir -p "$SPOOL/receipt/cur"
old() {	# an old file in cur/, an old PO and a fresh one in the ledger
	echo '[]' >"$SPOOL/receipt/cur/old.json"
	touch -d '100 days ago' "$SPOOL/receipt/cur/old.json"
	printf '8800\t1\t5\n8800\t\t%s\n8801\t1\t5\n8801\t\t%s\n' \
		$(( now - 400 * 86400 )) $now >"$L"
	cp "$L" "$SCRATCH/before"
}
unchanged() {
	cmp -s "$SCRATCH/before" "$L" && same=yes || same=no
	t_is "$1 ... the ledger is left as it was" "$same" yes
	t_ok "$1 ... receipt/cur is not pruned" test -e "$SPOOL/receipt/cur/old.json"
}

printf 'posync receipt-export state 1\ncursor\t1\nlast\t0\n' >"$S"
old
t_exit "--start-at with a state: refused" 64 receipt-export --start-at 2026-11-01T00:00:00Z
unchanged "refused --start-at"

cp "$S" "$SCRATCH/state"
printf 'cursor 5\n' >>"$S"		# a space for the tab
t_exit "a damaged state: the run stops" 78 receipt-export
unchanged "damaged state"

cp "$SCRATCH/state" "$S"
t_exit "a run that does its work" 0 receipt-export
t_like "... compacts the ledger, dropping 8800" "$(t_err)" "PO 8800 dropped"
t_ok "... and prunes receipt/cur" test ! -e "$SPOOL/receipt/cur/old.json"
t_done
