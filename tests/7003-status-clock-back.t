#!/bin/sh
# 7003-status-clock-back -- the last success a program's metrics state
# holds, when it cannot be taken as it is.  A run with this host's clock
# ahead (a year), then the clock put back: the last success it recorded
# is in the future.  posync-status says so (a WARNING, never "0s ago");
# the program's next run that fails forgets it, said once, so that the
# success's age (and an alert on it) reads "never" rather than "just now"
# for a year; one that succeeds records its own end.  A damaged success
# line is unknown, not "never succeeded".
. "${0%/*}/lib.sh"
. "$BED/posync.sh"

bed_need po-export-parse posync-status
t_need_faketime
posync_conf metrics.textfile_dir="$SCRATCH/md" metrics.instance=t7003
mkdir -p "$SCRATCH/md"
SM=$SCRATCH/spool/state/po-export-parse.metrics
P=$SCRATCH/md/posync_po-export-parse_t7003.prom
line() { t_out | grep "^$1 " ; }
succ() { awk '$1 == "success" { print $2 }' "$SM"; }
prom() { awk '/^posync_last_success_timestamp_seconds/ { print $2 }' "$P"; }

printf '%s\n' "$HDR" '9801,SKU-A,5,116,1,' >"$SCRATCH/a.csv"
t_ok "a run with the clock a year ahead: 0" t_clock +365d po-export-parse "$SCRATCH/a.csv"
t_true "... its success recorded a year ahead" "$(succ)" -gt $(($(date +%s) + 360 * 86400))

t_exit "the clock put back, no run since: posync-status WARNING" 1 posync-status
t_is "... the success is in the future, said" "$(line po-export-parse)" \
	"po-export-parse WARNING: last success is in the future: the clock went back"
t_like "... never OK with a negative age" "$(t_out | head -n 1)" '^POSYNC WARNING - po-export-parse[,| ]'

t_exit "a failed run (a CSV that is not there): 66" 66 po-export-parse "$SCRATCH/missing.csv"
t_like "... says the clock went back, naming the state file" "$(t_err)" \
	"^po-export-parse: $SM: its last success \\([0-9]+\\) is later than now \\([0-9]+\\): the clock went back; taken as never$"
t_is "... the state forgets it" "$(succ)" 0
t_is "... and so does the .prom" "$(prom)" 0
t_exit "posync-status: never succeeded, a WARNING" 1 posync-status
t_is "... said" "$(line po-export-parse)" "po-export-parse WARNING: never succeeded; last run exit 66"
t_exit "another failed run: 66" 66 po-export-parse "$SCRATCH/missing.csv"
t_is "... quiet about the clock (said once)" "$(t_err | grep -c 'clock went back')" 0

# the clock ahead again, then a run that succeeds with it put back
t_ok "the clock ahead again: 0" t_clock +365d po-export-parse "$SCRATCH/a.csv"
printf '%s\n' "$HDR" '9802,SKU-A,5,116,1,' >"$SCRATCH/b.csv"
before=$(date +%s)
t_ok "a run that succeeds with the clock put back: 0" po-export-parse "$SCRATCH/b.csv"
t_is "... quiet" "$(t_err)" ""
t_true "... records its own end" "$(succ)" -ge "$before" -a "$(succ)" -le "$(date +%s)"
t_is "... the .prom too" "$(prom)" "$(succ)"
t_exit "posync-status: po-export-parse OK" 1 posync-status
t_like "... a success seconds ago" "$(line po-export-parse)" '^po-export-parse OK: last success [0-9]+s ago$'

# a damaged success line
sed -i 's/^success .*/success 12x/' "$SM"
t_exit "a damaged success line: posync-status WARNING" 1 posync-status
t_is "... unknown, not never" "$(line po-export-parse)" \
	"po-export-parse WARNING: its last success cannot be read (a damaged line, said on stderr); last run exit 0"
t_like "... the line named on stderr" "$(t_err)" "$SM: its line success is damaged"
t_exit "a failed run on it: 66" 66 po-export-parse "$SCRATCH/missing.csv"
t_like "... says the line is damaged" "$(t_err)" "$SM: its line success is damaged: taken as 0"
t_is "... the state holds 0 now" "$(succ)" 0
t_is "... and the .prom" "$(prom)" 0
t_done
