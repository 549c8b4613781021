#!/bin/sh
# The error folder's mtime (tests/4028) is proven by a walk begun 3 s or
# more after the server was first seen to show it, counted on the
# monotonic clock: a step of this host's wall clock between two runs
# (faketime, the wall clock only) proves nothing early, and one back or
# a day forward has the folder listed, never skipped wrongly.
. "${0%/*}/lib.sh"
t_need_faketime
. "$BED/bed.sh"
bed_rp_logged
E=$R/error
REC=$SP/state/receipt-push.errors-dir
crun() { : >"$LOG"; t_clock "$1" receipt-push </dev/null >"$SCRATCH/run.out" 2>"$SCRATCH/run.err"; }
listed() { sftp_requests | grep -c "^opendir \"$E\"\$"; }
proven() { grep -v '^#' "$REC" | cut -d' ' -f4; }

rp_run
sleep 4	# more than ERRDIR_SETTLE
rp_run
rp_run
t_is "proven: the error folder not listed" "$(listed)" 0
crun +1d
t_is "the clock a day ahead: listed (the last walk 6 hours old)" "$(listed)" 1
rp_run
t_is "the clock back: listed (the last walk ahead of it)" "$(listed)" 1
rp_run
t_is "then not listed: its mtime was proven on the monotonic clock" "$(listed)" 0
crun -1h
t_is "the clock an hour back: listed" "$(listed)" 1

# a new mtime, then the wall clock 10 s ahead less than a second later
printf 'orderId,errorMessage\n1001,Closed\n' >"$E/e1.csv"
touch -m -d '1 hour ago' "$E/e1.csv"
t0=$(date +%s)
rp_run
t_is "a new error file: exit 65" "$?" 65
crun +10s
t1=$(date +%s)
if [ "$((t1 - t0))" -lt 3 ]; then
	t_is "a run with the clock 10 s ahead, within 3 s: the new mtime not proven" "$(proven)" 0
	rp_run
	t_is "... the run after lists the folder" "$(listed)" 1
else
	t_diag "the machine took $((t1 - t0)) s for two runs: the step is not told from time"
fi
t_done
