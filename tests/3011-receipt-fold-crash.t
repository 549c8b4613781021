#!/bin/sh
# receipt-export killed at every step of a fold (the test hook
# POSYNC_TEST_CRASH dies as kill -9 would right after the step: "journal",
# "unfold" -- the first folded file has left new/ --, "file", "state",
# "compact"), with receipt-push run before the rerun, as the next cron
# tick would.  Each time: receipt-push publishes nothing while the
# interrupted run's journal is there (a file it folds may be half gone);
# the rerun leaves exactly one file, the fold of the held ones and the new
# receipts; and NetSuite in the end has every receipt exactly once.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_need receipt-export receipt-push
command -v flock >/dev/null || t_skip_all "flock(1) is missing"
bed_outbound
SP=$SPOOL/receipt
in_r() { (cd "$R" && ls -1 | grep '\.json$' | tr '\n' ' '); }

# NetSuite is behind: one published file waits unread.
ns_po 8310 1:SKU1:100
recv 8310 1=1
t_ok "a first file is published" pipe
t_is "... and waits unread" "$(in_r | wc -w)" 1

n=0
for step in journal unfold file state compact; do
	n=$((n + 1))
	po=831$n
	ns_po $po 1:SKU1:2 2:SKU2:1
	recv $po 1=1
	t_ok "$step: the crontab's pipe" pipe
	t_is "$step: receipt-push held the new file" "$(re_files | wc -l)" 1
	held=$(re_files)
	if [ $step = unfold ]; then
		# a second file, written while the publish lock was busy
		# (receipt-push publishing), then held too
		recv $po 1=0.25
		t_ok "$step: an export while the publish lock is held" \
			flock "$SPOOL/state/receipt-publish.lock" receipt-export
		t_ok "$step: receipt-push holds both" receipt-push
		t_is "$step: two files wait" "$(re_files | wc -l)" 2
		t_is "$step: both are held" "$(rp_held)" "$(re_files)"
	fi
	if [ $step = compact ]; then recv $po 1=1 2=1; else recv $po 1=0.5; fi
	( POSYNC_TEST_CRASH=$step receipt-export >/dev/null 2>&1
	  echo $? >"$SCRATCH/crash.rc" ) 2>/dev/null
	t_is "$step: killed" "$(cat "$SCRATCH/crash.rc")" 137
	t_true "$step: a journal is left" -s "$SPOOL/state/receipt-export.pending"
	case $step in
	journal) t_is "$step: the held file is still there" "$(re_files)" "$held" ;;
	unfold)  t_is "$step: one held file is gone, the other still there" "$(re_files | wc -l)" 1 ;;
	*)       t_is "$step: only the folded file is there" "$(re_files | grep -c -v "^$held\$")" 1
		 t_is "$step: ... not the held one" "$(re_files | grep -c "^$held\$")" 0 ;;
	esac
	netsuite_reads
	t_ok "$step: receipt-push before the rerun" receipt-push
	t_is "$step: ... publishes nothing" "$(in_r)" ""
	t_exit "$step: the rerun" 0 receipt-export
	t_is "$step: no journal" "$(ls "$SPOOL/state" | grep -c pending)" 0
	t_is "$step: one file waits" "$(re_files | wc -l)" 1
	t_like "$step: it is the one printed, or the rerun finished the commit" \
		"$(t_out)" "^($SP/new/$(re_files))?\$"
	if [ $step = compact ]; then
		t_is "$step: it holds both runs' receipts" "$(re_totals)" "$po 1 2
$po 2 1"
		t_is "$step: the completed PO left the polines ledger" \
			"$(grep -c "^$po	" "$SPOOL/state/polines")" 0
	elif [ $step = unfold ]; then
		t_is "$step: it holds all three runs' receipts" "$(re_totals)" "$po 1 1.75
$po 2 0"
	else
		t_is "$step: it holds both runs' receipts" "$(re_totals)" "$po 1 1.5
$po 2 0"
	fi
	t_ok "$step: receipt-push publishes it" receipt-push
	t_is "$step: ... alone" "$(in_r | wc -w)" 1
done

netsuite_reads
t_exit "nothing more to export" 0 receipt-export
t_is "... silently" "$(t_out)$(t_err)" ""
t_is "the spool's receipt/new is empty" "$(re_files)" ""
t_is "NetSuite got every receipt exactly once" "$(python3 - "$R/archive" <<'PY'
import json, os, sys
from decimal import Decimal
tot = {}
for f in sorted(os.listdir(sys.argv[1])):
    for el in json.load(open(os.path.join(sys.argv[1], f)), parse_float=Decimal):
        for it in el["items"]:
            k = (el["order_id"], it["line_id"])
            tot[k] = tot.get(k, Decimal(0)) + Decimal(it["quantity"])
for (po, line), q in sorted(tot.items()):
    print(po, line, format(q.normalize(), "f"))
PY
)" "8310 1 1
8311 1 1.5
8311 2 0
8312 1 1.75
8312 2 0
8313 1 1.5
8313 2 0
8314 1 1.5
8314 2 0
8315 1 2
8315 2 1"
t_done
