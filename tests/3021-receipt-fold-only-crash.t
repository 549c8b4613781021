#!/bin/sh
# A run that exports nothing new but folds a backlog is one journaled step
# like any other: killed by SIGKILL after each step of its commit (the
# POSYNC_TEST_CRASH hook, receipt-export(1)), the next run finishes it:
# the oldest file (receipt-push never held it) and one folded file wait,
# holding every receipt once.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_re
ns_po 8740 1:SKU1:1000
total=0 left=0 first=
for step in journal unfold file state; do
	# a backlog of files made while receipt-push held the publish lock
	for k in 1 2 3; do
		recv 8740 1=1
		total=$((total + 1))
		flock "$SPOOL/state/receipt-publish.lock" receipt-export >/dev/null
	done
	[ -n "$first" ] || first=$(re_files | head -n 1)
	t_is "$step: a backlog of $((3 + left)) files" "$(re_files | wc -l)" "$((3 + left))"
	POSYNC_TEST_CRASH=$step receipt-export >/dev/null 2>&1
	t_is "killed after the $step step (SIGKILL)" "$?" 137
	t_true "... a journal is left" -e "$J"
	t_exit "the next run finishes it" 0 receipt-export
	t_true "... no journal" ! -e "$J"
	# receipt-push never held the oldest: it stays apart (posync(7))
	t_is "... the oldest and one folded file wait" "$(re_files | wc -l)" 2
	t_is "... the oldest is the first run's" "$(re_files | head -n 1)" "$first"
	t_is "... every receipt in it once" "$(re_totals)" "8740 1 $total"
	left=2
done
t_done
