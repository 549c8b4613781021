#!/bin/sh
# The receipt queue stays short (contracts.md section 4): NetSuite imports
# only every third cron tick, the crontab's outbound pipe runs every tick
# and a store receives goods every tick.  receipt-push holds each new file
# while the one before waits unread; receipt-export folds what later runs
# export into the held file.  So spool/receipt/new never holds more than
# one file after a tick, and in the end NetSuite received exactly what
# HotWax accepted, on every line, without an error.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_built receipt-export receipt-push po-export-parse po-import

# 830001: received a little every tick; 830002: 2 every other tick until
# full (10), so it closes while files are being folded; 830003: line 2
# never reaches HotWax (listed with 0 in every element).
flow_three_pos 83000 F
recv() { flow_receive_at 116 "$@" || echo "receiving $* failed" >>"$SCRATCH/recv.err"; }
TICKS=${FOLD_TICKS:-30} i=0 maxq=0 bad=0 imports=0
while [ $i -lt $TICKS ]; do
	i=$((i + 1))
	recv 830001 1:1 2:0.25
	[ $((i % 2)) = 1 ] && [ $i -le 10 ] && recv 830002 1:2
	[ $((i % 5)) = 0 ] && recv 830003 1:3
	flow_outbound 2>>"$SCRATCH/outbound.err" || bad=$((bad + 1))
	q=$(ls "$SP/new" | grep -c '\.json$')
	[ "$q" -gt "$maxq" ] && maxq=$q
	echo "tick $i: $q waiting" >>"$SCRATCH/queue"
	if [ $((i % 3)) = 0 ]; then
		ns import >/dev/null 2>>"$SCRATCH/import.err" || bad=$((bad + 1))
		imports=$((imports + 1))
	fi
done
t_diag "$TICKS ticks, $imports NetSuite imports, at most $maxq file(s) waiting"
t_is "spool/receipt/new never held more than one file after a tick" "$maxq" 1
t_is "every tick's pipe exited 0 and printed nothing" "$bad $(cat "$SCRATCH/outbound.err")" "0 "

# Drain: at most two more imports (the published file, then the held one).
n=0
while [ $n -lt 3 ]; do
	n=$((n + 1))
	flow_outbound 2>>"$SCRATCH/outbound.err"
	ns import >/dev/null 2>>"$SCRATCH/import.err"
done
t_is "every receive call went through" "$(cat "$SCRATCH/recv.err" 2>/dev/null)" ""
t_is "the spool's receipt/new is empty" "$(ls -A "$SP/new")" ""
t_is "the receipt folder is empty" "$(ls "$R" | grep -c '\.json$')" 0
t_is "NetSuite failed no PO (no error CSV)" "$(ls -A "$R/error" 2>/dev/null)" ""
t_is "NetSuite imported without a complaint" "$(cat "$SCRATCH/import.err")" ""
t_is "every file published once: archive/ holds exactly the spool's cur/" \
	"$(ls "$R/archive" | sort | tr '\n' ' ')" "$(ls "$SP/cur" | sort | tr '\n' ' ')"
t_ok "fewer files than ticks: later exports were folded" \
	test "$(ls "$SP/cur" | wc -l)" -le $((imports + 2))
t_is "NetSuite received exactly what HotWax accepted, on every line" "$(flow_mismatch)" ""
t_is "830001 line 1: one per tick" "$(ns received 830001 1)" "$TICKS"
t_is "830002 received in full" "$(ns received 830002 1)" 10
t_is "830002 is Received" "$(ns status 830002)" "Received"
t_is "830003 line 1" "$(ns received 830003 1)" $((TICKS / 5 * 3))
t_is "830003 line 2 (never in HotWax) not received" "$(ns received 830003 2)" 0
t_done
