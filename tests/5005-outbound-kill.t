#!/bin/sh
# kill -9 across the whole outbound pipeline: each round a store receives
# goods in HotWax, then `receipt-export | receipt-push` runs (wired as the
# crontab's pipe) and receipt-export, receipt-push or both are killed at a
# random moment; the crontab job is then rerun and NetSuite (the
# simulator) imports.  In the end every receipt must have reached NetSuite
# exactly once -- NetSuite's received quantity on each line equals what
# HotWax accepted, with its "unlisted open lines are received in full"
# default on -- NetSuite never failed a PO, and a watcher on the receipt
# folder never saw a file smaller than it ended up.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_built receipt-export receipt-push po-export-parse po-import

# 600001: big lines, received every round, never full.  600002: 10 ordered,
# 2 every other round (with a rejected one now and then) until it is
# Received.  600003: line 2 never reaches HotWax
# (an unknown SKU), so it must be listed with 0 in every element.
flow_three_pos 60000 K
# every performFind a little slower, so kills land inside receipt-export too
hw_ctl POST /_sim/fault '{"kind":"delay","path":"performFind","seconds":0.05,"count":1000000}' >/dev/null

# The watcher: "receipt NAME SIZE" for every file it sees in the receipt
# folder.
rp_watch 0.005 receipt="$R"

# the store associate, as flow_receive but without asking NetSuite for the
# facility (every PO here is 116's): it keeps the rounds short
recv() { flow_receive_at 116 "$@" || echo "receiving $* failed" >>"$SCRATCH/recv.err"; }
rnd() { od -An -N1 -tu1 /dev/urandom | tr -d ' '; }	# 0..255
FIFO=$SCRATCH/pipe
ROUNDS=10 i=0 killed=0 kexp=0 reruns_bad=0 imports_bad=0
exec 3>&2 2>/dev/null	# the shell's "Killed" notices go nowhere
while [ $i -lt $ROUNDS ]; do
	i=$((i + 1))
	recv 600001 1:1 2:0.25
	[ $((i % 2)) = 1 ] && [ $i -le 10 ] && recv 600002 1:2:$((i % 4 / 2))
	[ $((i % 4)) = 0 ] && recv 600003 1:2
	# the crontab's pipe, each program with its own pid
	rm -f "$FIFO"; mkfifo "$FIFO"
	receipt-export >"$FIFO" 2>>"$SCRATCH/killed.err" &
	epid=$!
	receipt-push <"$FIFO" 2>>"$SCRATCH/killed.err" &
	ppid=$!
	case $(( $(rnd) % 3 )) in
	0) victims=$epid ;; 1) victims=$ppid ;; *) victims="$epid $ppid" ;;
	esac
	sleep "0.$(rnd | awk '{printf "%03d", $1 * 500 / 255}')"
	for v in $victims; do
		kill -9 "$v" 2>/dev/null || continue
		killed=$((killed + 1))
		[ "$v" = "$epid" ] && kexp=$((kexp + 1))
	done
	wait "$epid" "$ppid"
	flow_outbound 2>>"$SCRATCH/rerun.err" || reruns_bad=$((reruns_bad + 1))
	ns import >/dev/null 2>>"$SCRATCH/import.err" || imports_bad=$((imports_bad + 1))
done
exec 2>&3 3>&-
t_diag "$killed programs killed before they ended in $ROUNDS rounds ($kexp of them receipt-export)"
hw_ctl POST /_sim/faults/clear >/dev/null

# Drain: whatever waits is published one file per NetSuite read.
tries=0
while [ $tries -lt 10 ]; do
	tries=$((tries + 1))
	flow_outbound 2>>"$SCRATCH/rerun.err" || reruns_bad=$((reruns_bad + 1))
	ns import >/dev/null 2>>"$SCRATCH/import.err" || imports_bad=$((imports_bad + 1))
	[ -z "$(ls -A "$SP/new")" ] && [ -z "$(ls "$R" | grep '\.json$')" ] && break
done
touch "$SCRATCH/stop"
wait "$WATCH"

t_is "every receive call went through" "$(cat "$SCRATCH/recv.err" 2>/dev/null)" ""
t_is "every rerun of the crontab job exited 0" "$reruns_bad" 0
t_is "... and printed nothing" "$(cat "$SCRATCH/rerun.err")" ""
t_is "every NetSuite import went through" "$imports_bad" 0
[ -s "$SCRATCH/import.err" ] && sed 's/^/# import: /' "$SCRATCH/import.err" | head -n 5
t_is "the spool's receipt/new is empty" "$(ls -A "$SP/new")" ""
t_is "no journal left" "$(ls "$SCRATCH/spool/state" | grep -c pending)" 0
t_is "the receipt folder is empty" "$(ls "$R" | grep -c '\.json$')" 0
t_is "staging is empty" "$(ls -A "$R/../receipt-staging" 2>/dev/null)" ""
t_is "NetSuite failed no PO (no error CSV)" "$(ls -A "$R/error")" ""
t_is "every file published once: archive/ holds exactly the spool's cur/" \
	"$(ls "$R/archive" | sort | tr '\n' ' ')" "$(ls "$SP/cur" | sort | tr '\n' ' ')"
t_is "... with the same bytes" \
	"$(for f in "$SP"/cur/*.json; do cmp -s "$f" "$R/archive/${f##*/}" || echo "${f##*/}"; done)" ""

# NetSuite's books against HotWax's, line by line, computed from the
# simulators' states (hidden receipts included).
t_is "NetSuite received exactly what HotWax accepted, on every line" "$(flow_mismatch)" ""
t_is "600001 line 1: one per round" "$(ns received 600001 1)" "$ROUNDS"
t_is "600002 received in full" "$(ns received 600002 1)" 10
t_is "600002 is Received" "$(ns status 600002)" "Received"
t_is "600003 line 1" "$(ns received 600003 1)" $((ROUNDS / 4 * 2))
t_is "600003 line 2 (never in HotWax) not received" "$(ns received 600003 2)" 0
t_is "600001 is not Received" "$(ns status 600001)" "Partially Received"
t_is "the watcher saw files in the receipt folder" "$(test -s "$SCRATCH/seen" && echo yes)" yes
t_is "every file ever seen there had its final size" "$(python3 - "$SCRATCH/seen" "$R/archive" <<'PY'
import os, sys
for l in open(sys.argv[1]):
    _, name, size = l.split()
    if os.path.getsize(os.path.join(sys.argv[2], name)) != int(size):
        print(name, size)
PY
)" ""

t_done
