#!/bin/sh
# A backlog behind a slow link, every run cut short by [sftp] run_timeout
# (as a deadline or a kill would cut it): each run must leave some work
# durable, so the backlog moves.  The read-ahead's batches are paced by
# the time one takes (po-export-parse.c, ahead_pace): a first batch of
# 64 files read whole before anything was parsed outlasted every run,
# and the inbox never shrank (review RI, finding 1).
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_pep
N=150
pep_backlog $N 8300
inbox() { ls "$IN"/*.csv 2>/dev/null | wc -l | tr -d ' '; }
sftp_proxy delay:0.02
posync_conf sftp.port="$PP" sftp.known_hosts="$SCRATCH/known_hosts.proxy" \
	sftp.timeout=5 sftp.run_timeout=3
r=1 all75=1
while [ $r -le 4 ]; do
	po-export-parse >/dev/null 2>"$SCRATCH/.err"; rc=$?
	t_diag "run $r: exit $rc, inbox $(inbox), batches $(ls "$SP/po/new" | wc -l)"
	[ $rc = 75 ] || [ $rc = 0 ] || all75=0
	r=$((r + 1))
done
t_is "every run ended by run_timeout (75) or done (0)" "$all75" 1
t_true "the backlog moved: fewer than $N in the inbox after 4 runs" "$(inbox)" -lt $N
t_is "... no PO in two batches" "$(new_pos | uniq -d)" ""
posync_conf
t_ok "a run without the slow link" po-export-parse
t_is "... empties the inbox" "$(inbox)" 0
t_is "... each PO once" "$(new_pos | sort -u | wc -l | tr -d ' ') $(new_pos | wc -l | tr -d ' ')" "$N $N"
t_done
