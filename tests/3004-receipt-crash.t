#!/bin/sh
# receipt-export killed at any point and run again: every receipt ends up
# in exactly one file.  First at each step of the commit (a test hook,
# POSYNC_TEST_CRASH, dies as kill -9 would right after it), then by kill -9
# at random moments while performFind is slowed down.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_re
# each run's own file is checked: no fold (0872, 0873 test the fold)
re_nofold

# each step: a fresh PO of 2; the last step completes it so the polines
# ledger is compacted too
n=0
for step in journal file state compact; do
	n=$((n + 1))
	ns_po 400$n 1:SKU1:2 2:SKU2:1
	if [ $step = compact ]; then recv 400$n 1=2 2=1; else recv 400$n 1=1; fi
	before=$(re_files | wc -l)
	# a subshell, so the shell's "Killed" notice goes nowhere
	( POSYNC_TEST_CRASH=$step receipt-export >/dev/null 2>&1
	  echo $? >"$SCRATCH/crash.rc" ) 2>/dev/null
	t_is "killed after the $step step" "$(cat "$SCRATCH/crash.rc")" 137
	t_true "a journal is left after the $step step" -s "$SPOOL/state/receipt-export.pending"
	t_exit "the rerun after the $step step" 0 receipt-export
	t_like "prints the file's path" "$(t_out)" "^$SPOOL/receipt/new/posync_.*\.json\$"
	t_is "one file more" "$(re_files | wc -l)" $((before + 1))
	if [ $step = compact ]; then
		t_is "it holds the PO" "$(cat "$(t_out)")" \
			"[{\"order_id\":\"400$n\",\"items\":[{\"line_id\":\"1\",\"quantity\":2},{\"line_id\":\"2\",\"quantity\":1}]}]"
		t_is "the completed PO left the polines ledger" \
			"$(grep -c "^400$n	" "$SPOOL/state/polines")" 0
	else
		t_is "it holds the PO" "$(cat "$(t_out)")" \
			"[{\"order_id\":\"400$n\",\"items\":[{\"line_id\":\"1\",\"quantity\":1},{\"line_id\":\"2\",\"quantity\":0}]}]"
	fi
	t_true "no journal" ! -e "$SPOOL/state/receipt-export.pending"
	t_exit "and then nothing" 0 receipt-export
	t_is "no output" "$(t_out)$(t_err)" ""
done

# random kill -9 while receipts keep coming
ns_po 4100 1:SKU1:10000 2:SKU2:10000
hw_ctl POST /_sim/fault '{"kind":"delay","path":"performFind","seconds":0.1,"count":100000}' >/dev/null
made=0 i=0 killed=0
# stderr of the loop goes nowhere: the shell says "Killed" for each kill
exec 3>&2 2>/dev/null
while [ $i -lt 25 ]; do
	i=$((i + 1))
	recv 4100 1=1 2=0.5
	made=$((made + 1))
	receipt-export >>"$SCRATCH/paths" 2>>"$SCRATCH/err" &
	pid=$!
	sleep "0.$(od -An -N1 -tu1 /dev/urandom | awk '{printf "%02d", $1 % 50}')"
	kill -9 $pid 2>/dev/null && killed=$((killed + 1))
	wait $pid
	[ $((i % 4)) = 0 ] && receipt-export >>"$SCRATCH/paths" 2>>"$SCRATCH/err"
done
exec 2>&3 3>&-
t_diag "$killed of $i runs killed"
hw_ctl POST /_sim/faults/clear >/dev/null
t_exit "a last run finishes" 0 receipt-export
t_exit "and the next has nothing" 0 receipt-export
t_is "silent" "$(t_out)$(t_err)" ""
t_true "no journal" ! -e "$SPOOL/state/receipt-export.pending"
t_is "every receipt in exactly one file" "$(re_totals | grep '^4100 ')" \
	"4100 1 $made
4100 2 $(python3 -c "print(format($made * 0.5, 'g'))")"
t_is "no leftovers in receipt/tmp" "$(ls "$SPOOL/receipt/tmp" | wc -l)" 0
t_is "the other POs untouched" "$(re_totals | grep -v '^4100 ')" "4001 1 1
4001 2 0
4002 1 1
4002 2 0
4003 1 1
4003 2 0
4004 1 2
4004 2 1"
t_is "stderr of all those runs was empty" "$(t_killed_err "$SCRATCH/err")" ""

t_done
