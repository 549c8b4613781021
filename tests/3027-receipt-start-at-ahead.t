#!/bin/sh
# receipt-export --start-at with a TIME far ahead of the clock (a typo:
# 2062 for 2026) was taken without a word, and every later run exported
# nothing, exit 0, silent even with -v: a stall until 2062.  A TIME more
# than [hotwax] receipt_overlap ahead is refused (64, no state); one
# within it is taken; and while the floor is ahead of the clock (a clock
# set back since) every run says so, without -v.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_re hotwax.receipt_overlap=600
ns_po 9900 1:SKU1:5

t_exit "--start-at 2062-11-01T00:00:00Z (a typo for 2026)" 64 \
	receipt-export --start-at 2062-11-01T00:00:00Z
t_like "... says it is ahead of the clock" "$(t_err)" \
	'^receipt-export: --start-at: TIME is [0-9]* s ahead of this host.s clock, more than \[hotwax\] receipt_overlap'
t_true "... and writes no state" ! -e "$ST"
t_exit "... with -n too" 64 receipt-export -n --start-at 2062-11-01T00:00:00Z
far=$(date -u -d '+700 seconds' +%Y-%m-%dT%H:%M:%SZ)
t_exit "a TIME 700 s ahead, receipt_overlap 600: refused" 64 receipt-export --start-at "$far"
t_true "... no state" ! -e "$ST"

near=$(date -u -d '+300 seconds' +%Y-%m-%dT%H:%M:%SZ)
t_exit "a TIME 300 s ahead, within receipt_overlap: taken" 0 receipt-export --start-at "$near"
t_like "... the floor written" "$(cat "$ST")" "floor	$(date -u -d "${near%Z}" +%s)000"
recv 9900 1=2
t_exit "a run while the floor is ahead of the clock" 0 receipt-export
t_like "... says so without -v" "$(t_err)" \
	'receipt-export.state: the floor \(--start-at\) is [0-9]* s ahead of this host.s clock: no receipt dated before it is exported'
t_is "... once" "$(t_err | grep -c 'the floor')" 1
t_is "... and exports nothing" "$(re_files)" ""
t_exit "the next run" 0 receipt-export
t_like "... says it again" "$(t_err)" 'the floor \(--start-at\) is [0-9]* s ahead'

# a state whose floor is far ahead (the clock set back a year since)
printf 'posync receipt-export state 1\ncursor\t1\nlast\t0\nfloor\t%s000\n' \
	$(( $(date +%s) + 366 * 86400 )) >"$ST"
t_exit "a floor a year ahead" 0 receipt-export
t_like "... said" "$(t_err)" 'the floor \(--start-at\) is 316[0-9]* s ahead'
t_done
