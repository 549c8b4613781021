#!/bin/sh
# po-export-parse measures a remote CSV's age by the SFTP server's own
# clock (posync(7), CLOCKS), learnt from a probe file it writes and
# removes in po_archive_dir, never by this host's clock alone:
#  - this host 3 h ahead: a file NetSuite wrote a moment ago is not taken
#    before po_min_age by the server's clock (it used to look 3 h old);
#  - this host 2 h behind: a file older than po_min_age by the server's
#    clock is taken in one run (it used to look 2 h in the future, and
#    waited);
#  - the skew is said once per run without -v, with the figure;
#  - an idle run writes no probe (one connection, one listing);
#  - when no probe can be written (the archive folder not writable),
#    this host's clock is used and -v says so.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"
t_need_faketime

bed_sshd
IN=$SFTP_BASE/purchaseorder/fulfillment
posync_conf netsuite.po_min_age=600 \
	netsuite.po_archive_dir="$SFTP_BASE/purchaseorder/fulfillment/taken"
AR=$IN/taken

# ---- an idle run: no probe, so the missing archive folder is not made
t_exit "an idle run, this host 3 h ahead: exit 0" 0 t_clock +3h po-export-parse
t_is "... says nothing" "$(t_out)$(t_err)" ""
t_true "... writes nothing on the server (no archive folder made for a probe)" ! -e "$AR"

# ---- this host 3 h ahead of the server
printf '%s\n' "$HDR" '1,a,1,116,1,' >"$IN/now1.csv"
printf '%s\n' "$HDR" '2,a,1,116,1,' >"$IN/now2.csv"
touch -d '2 minutes ago' "$IN/now1.csv" "$IN/now2.csv"
t_exit "host 3 h ahead, two files 2 min old on the server: exit 0" 0 t_clock +3h po-export-parse
t_is "... neither is taken (600 s by the server's clock)" "$(t_out)" ""
t_true "... both stay in the inbox" -f "$IN/now1.csv" -a -f "$IN/now2.csv"
t_like "... the skew is said, with the figure" "$(t_err)" \
	"^po-export-parse: the SFTP server's clock is 10(79[0-9]|80[0-9]) s \\(2 h 59 min|3 h 0 min\\) behind this host's"
t_is "... once: one line in all" "$(t_err | grep -c .)" 1
t_true "... the archive folder was made for the probe" -d "$AR"
t_is "... and no probe is left in it" "$(ls -A "$AR")" ""
t_exit "again with -v" 0 t_clock +3h po-export-parse -v
t_like "... -v gives each file's age by the server's clock" "$(t_err)" \
	'now1\.csv" changed 1[2-3][0-9]s ago by the server.s clock: left until it is 600 s old'
touch -d '11 minutes ago' "$IN/now1.csv"
t_exit "now1.csv 11 min old on the server, host still 3 h ahead: exit 0" 0 t_clock +3h po-export-parse
t_like "... it is taken" "$(t_out)" "/new/now1\\.csv\\."
t_is "... only it" "$(t_out | grep -c .)" 1
t_true "... and archived" -f "$AR/now1.csv"
rm -f "$IN"/*.csv

# ---- this host 2 h behind the server
printf '%s\n' "$HDR" '3,a,1,116,1,' >"$IN/behind.csv"
printf '%s\n' "$HDR" '4,a,1,116,1,' >"$IN/young.csv"
touch -d '15 minutes ago' "$IN/behind.csv"
t_exit "host 2 h behind, a file 15 min old on the server: exit 0" 0 t_clock -2h po-export-parse
t_like "... it is taken in one run" "$(t_out)" "/new/behind\\.csv\\."
t_true "... and archived" -f "$AR/behind.csv"
t_is "... the young one is not" "$(t_out | grep -c .)" 1
t_like "... the skew is said" "$(t_err)" \
	"the SFTP server's clock is 7(19[0-9]|20[0-9]) s \\((1 h 59 min|2 h 0 min)\\) ahead of this host's"
t_is "... once, and nothing said of a file in the future" "$(t_err | grep -c .)" 1
t_true "... no notes of files in the future" ! -e "$SCRATCH/spool/state/po-future"

# ---- no probe possible: this host's clock, said under -v
if t_readonly "$AR"; then
	t_at_exit "t_writable '$AR'"
	t_exit "archive folder not writable, -v: exit 0" 0 po-export-parse -v
	t_like "... -v says the server's clock is unknown" "$(t_err)" \
		"the SFTP server's clock is unknown \\(no file could be written in \".*/taken\"\\): file ages are measured by this host's clock"
	t_like "... and why" "$(t_err)" 'clock probe: permission denied'
	t_like "... the young file waits by this host's clock" "$(t_err)" \
		'young\.csv" changed [0-9]+s ago: left until it is 600 s old'
	t_exit "the same without -v: exit 0" 0 po-export-parse
	t_is "... quiet" "$(t_out)$(t_err)" ""
	t_writable "$AR"
else
	t_diag "cannot make a folder read-only here: the no-probe case is not tested"
fi
t_done
