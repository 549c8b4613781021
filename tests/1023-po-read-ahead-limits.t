#!/bin/sh
# The backlog's read-ahead and batches at their limits (issue 12, P3,
# the review of c3):
# - [sftp] run_timeout passing while a batch is read ahead (faultproxy
#   delay:, run_timeout 2 s): exit 75, and the metrics say 75 and no
#   success, though the first file of the batch was taken; the next run
#   takes the rest, each PO once;
# - a server silent once the last file is archived (tests/bed/stallproxy.py
#   stops forwarding when the archive is full): the run's end waits one
#   [sftp] timeout in all (3 s here), not one per SFTP channel and one
#   more (9 x 3 s before); the bound asserted is 3 timeouts;
# - a server silent in the middle of a batch: the message names the
#   batch, not the file last started, and no file that moved is said to
#   have met "the connection was lost earlier";
# - a low open files limit (ulimit -n 30): the read-ahead keeps to what the
#   limit leaves, says nothing of copies it does without, and all is taken;
# - a server allowing one session a connection: "1 SFTP channel".
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_pep
fresh() { rm -rf "$SP" "$AR" "$IN"/*.csv; mkdir -p "$AR"; }
inbox_n() { ls "$IN"/*.csv 2>/dev/null | wc -l | tr -d ' '; }
# stall_proxy ARGS -- tests/bed/stallproxy.py on a free port ($SPP), with
# a known_hosts for it
stall_proxy() {
	SPP=$(free_port)
	"$BED/stallproxy.py" "$SPP" "$SSHD_PORT" "$@" </dev/null >/dev/null 2>&1 &
	_spid=$!
	t_at_exit "kill $_spid"
	wait_port "$SPP" || t_bail "the stall proxy did not start"
	sed "s/^\[127\.0\.0\.1\]:$SSHD_PORT /[127.0.0.1]:$SPP /" "$SFTP_KNOWN_HOSTS" >"$SCRATCH/kh.stall"
}

# --- run_timeout while a batch is read ahead
N=150
pep_backlog $N 8300
sftp_proxy delay:0.02
posync_conf sftp.port="$PP" sftp.known_hosts="$SCRATCH/known_hosts.proxy" \
	sftp.timeout=5 sftp.run_timeout=2
t_exit "run_timeout passes while a backlog is read ahead: exit 75" 75 po-export-parse
t_like "... said" "$(t_err)" 'run_timeout \(2 s\) has passed'
t_is "... no sanitizer report (POSYNC_BINDIR=build/san)" "$(t_err | grep -c Sanitizer)" 0
t_true "... not all was taken" "$(inbox_n)" -gt 0
M=$SP/state/po-export-parse.metrics
t_is "... the metrics' exit status is 75" "$(awk '$1 == "exit" { print $2 }' "$M")" 75
t_is "... and no success" "$(awk '$1 == "success" && $2 != 0' "$M")" ""
posync_conf
t_ok "the next run" po-export-parse
t_is "... each PO once" "$(new_pos | sort | uniq -d | wc -l | tr -d ' ')" 0
t_is "... all parsed" "$(new_pos | wc -l | tr -d ' ')" $N
t_is "... inbox and po/tmp empty" "$(inbox_n)$(ls -A "$SP/po/tmp")" 0

# --- a server silent once the archive is full
fresh
N=40
pep_backlog $N 8000
STALL_DELAY=0.06 stall_proxy 999999999 "$AR" $N
posync_conf sftp.port="$SPP" sftp.known_hosts="$SCRATCH/kh.stall" \
	sftp.timeout=3 sftp.run_timeout=60
start=$(date +%s)
po-export-parse >"$SCRATCH/.out" 2>"$SCRATCH/.err"
took=$(( $(date +%s) - start ))
t_is "silent after the last answer: all archived" "$(ls "$AR" | wc -l | tr -d ' ')" $N
t_true "... the run's end waits one [sftp] timeout, not one a channel (took ${took}s; 27 s before)" \
	"$took" -le 9
t_is "... no sanitizer report (POSYNC_BINDIR=build/san)" "$(grep -c Sanitizer "$SCRATCH/.err")" 0
kill $_spid

# --- a server silent in the middle of a batch
fresh
pep_backlog $N 8100
stall_proxy 40000
posync_conf sftp.port="$SPP" sftp.known_hosts="$SCRATCH/kh.stall" \
	sftp.timeout=3 sftp.run_timeout=60
po-export-parse -v >"$SCRATCH/.out" 2>"$SCRATCH/.err"
t_is "silent mid-batch: exit 69" "$?" 69
t_like "... the stall names the batch" "$(t_err | grep 'no answer within')" \
	'requests not answered\): no answer within \[sftp\] timeout'
t_is "... no file is said to meet a lost connection by name" \
	"$(t_err | grep -c 'csv": the connection was lost earlier')" 0
kill $_spid
posync_conf
t_ok "... the next run" po-export-parse
t_is "... each PO once, all parsed" "$(new_pos | sort -u | wc -l | tr -d ' ')$(new_pos | wc -l | tr -d ' ')" "$N$N"

# --- a low open files limit
fresh
N=80
pep_backlog $N 40000
(ulimit -n 30; exec po-export-parse) >"$SCRATCH/.out" 2>"$SCRATCH/.err"
t_is "ulimit -n 30, 80 files: exit 0" "$?" 0
t_is "... no word of a read-ahead copy done without" "$(t_err)" ""
t_is "... all taken" "$(new_pos | wc -l | tr -d ' ')" $N
t_is "... the inbox is empty" "$(inbox_n)" 0

# --- one session a connection
fresh
N=4
pep_backlog $N 8200
sshd_more 1 -o MaxSessions=1
P1=$MORE_PORT
posync_conf sftp.port="$P1" sftp.known_hosts="$SCRATCH/known_hosts.1"
t_ok "MaxSessions 1: exit 0" po-export-parse -v
t_like "... -v says one channel, singular" "$(t_err)" 'the server allows 1 SFTP channel at once'
t_is "... all parsed" "$(new_pos | wc -l | tr -d ' ')" $N
t_done
