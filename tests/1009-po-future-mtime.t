#!/bin/sh
# A remote CSV whose mtime is in the future (the SFTP server's clock ahead
# of ours) is never left in silence: each run says so once per file,
# without -v, naming it and how far ahead; it is taken once its size and
# mtime have held, by this host's clock, for po_min_age across two
# listings (runs); a file that changes starts again; a file with an mtime
# in the past is not concerned.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_pep
printf '%s\n' "$HDR" '1,a,1,116,1,' >"$IN/ahead.csv"
printf '%s\n' "$HDR" '2,a,1,116,1,' >"$IN/ahead2.csv"
printf '%s\n' "$HDR" '3,a,1,116,1,' >"$IN/normal.csv"
touch -d '+2 hours' "$IN/ahead.csv"
touch -d '+3 days' "$IN/ahead2.csv"
touch -d '10 minutes ago' "$IN/normal.csv"

t_exit "first run: exit 0" 0 po-export-parse
t_like "... says ahead.csv is about 7200 s in the future" "$(t_err)" \
	'^po-export-parse: ".*/fulfillment/ahead\.csv": its mtime is 7(1[89][0-9]|200) s in the future .*clock.*: left until'
t_like "... and ahead2.csv about 259200 s" "$(t_err)" \
	'/ahead2\.csv": its mtime is 259(1[89][0-9]|200) s in the future'
t_is "... once per file: two lines in all" "$(t_err | grep -c .)" 2
t_true "... both stay in the inbox" -f "$IN/ahead.csv" -a -f "$IN/ahead2.csv"
t_like "... the normal file is taken" "$(t_out)" "/new/normal\.csv\."
t_is "... only it" "$(t_out | grep -c .)" 1

printf '%s\n' '2,b,1,116,2,' >>"$IN/ahead2.csv"		# still being written
touch -d '+3 days' "$IN/ahead2.csv"
t_exit "second run: exit 0" 0 po-export-parse
t_like "... ahead.csv, unchanged since the first, is taken" "$(t_out)" "/new/ahead\.csv\."
t_like "... said so" "$(t_err)" 'ahead\.csv": its mtime is [0-9]+ s in the future .*: taken'
t_true "... and archived" -f "$IN/archive/ahead.csv"
t_like "... ahead2.csv changed: it waits again" "$(t_err)" 'ahead2\.csv": its mtime is [0-9]+ s in the future .*: left until'
t_true "... in the inbox" -f "$IN/ahead2.csv"
t_is "... two lines again" "$(t_err | grep -c .)" 2

posync_conf netsuite.po_min_age=3600
t_exit "third run with po_min_age 3600" 0 po-export-parse
t_like "... ahead2.csv unchanged for less than an hour by our clock: waits" "$(t_err)" 'ahead2\.csv": .*left until'
# an hour later, by our clock (the note of when it was first seen, moved back)
sed -i 's/ \([0-9]*\)$/ 1/' "$SP/state/po-future"
t_exit "an hour later" 0 po-export-parse
t_like "... it is taken" "$(t_out)" "/new/ahead2\.csv\."
t_true "... archived" -f "$IN/archive/ahead2.csv"
t_true "... and the notes are gone" ! -e "$SP/state/po-future"
t_exit "a run with nothing left" 0 po-export-parse
t_is "... says nothing" "$(t_out)$(t_err)" ""
t_done
