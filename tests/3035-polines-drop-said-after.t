#!/bin/sh
# "PO ... dropped" is said once the new ledger is in place, never before
# (issue 9): a compaction that cannot write the new ledger (here a file
# size limit, as a full disk would) fails with 74 and says no drop, run
# after run; once it can, the drop is said, once.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_re
receipt-export >/dev/null 2>&1		# the spool tree, a state
now=$(date +%s)
old=$(( now - 400 * 86400 ))
# sorted, as a compaction writes it, about 300 KB: 8900 expired
{ printf '8900\t\t%s\n8900\t1\t5\n' $old
  i=90000; while [ $i -lt 99000 ]; do printf '%s\t\t%s\n%s\t1\t5\n' $i $now $i; i=$((i + 1)); done
} >"$L"
cp "$L" "$SCRATCH/before"
limited() { ( trap '' XFSZ; ulimit -f 200; exec "$@" ); }	# 100 KB (dash) or 200 KB
for run in 1 2; do
	t_exit "run $run: the new ledger cannot be written" 74 limited receipt-export
	t_like "... said" "$(t_err)" "cannot write"
	t_is "... no drop said" "$(t_err | grep -c dropped)" 0
done
cmp -s "$SCRATCH/before" "$L" && same=yes || same=no
t_is "the ledger is as it was" "$same" yes
t_exit "the limit lifted" 0 receipt-export
t_like "... the drop is done and said" "$(t_err)" "PO 8900 dropped"
t_is "... 8900 is gone" "$(grep -c '^8900	' "$L")" 0
t_done
