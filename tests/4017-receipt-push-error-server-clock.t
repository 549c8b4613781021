#!/bin/sh
# receipt-push judges NetSuite's error CSVs by the SFTP server's own clock,
# as po-export-parse judges its CSVs (common/future.c; posync(7), CLOCKS):
# the server's time is learnt from a probe file written and removed in
# receipt_staging_dir, only when an error CSV not yet reported is there.
#  - this host 3 h ahead: an error CSV written a moment ago is not read
#    before po_min_age by the server's clock (NetSuite may be writing it);
#  - this host 2 h behind: one older than po_min_age by the server's clock
#    is reported in one run, not held as "in the future";
#  - the skew is said once per run, without -v.
. "${0%/*}/lib.sh"
. "$BED/sshd.sh"
. "$BED/posync.sh"
t_need_faketime

bed_receipt_push netsuite.po_min_age=600
R=$SFTP_BASE/purchaseorder
E=$R/receipt/error
STG=$R/receipt-staging
SP=$SCRATCH/spool
mkdir -p "$E" "$SP/receipt/new"

t_exit "an idle run, this host 3 h ahead: exit 0" 0 t_clock +3h receipt-push </dev/null
t_is "... says nothing" "$(t_err)" ""
t_true "... writes no probe (the staging folder is not made)" ! -e "$STG"

# ---- this host 3 h ahead
printf 'orderId,errorMessage\n7001,"Closed"\n' >"$E/err-now.csv"
printf 'orderId,errorMessage\n7002,"Closed"\n' >"$E/err-now2.csv"
touch -d '1 minute ago' "$E/err-now.csv" "$E/err-now2.csv"
t_exit "host 3 h ahead, error CSVs a minute old: exit 0" 0 t_clock +3h receipt-push </dev/null
t_is "... not reported yet" "$(t_err | grep -c 'could not receive')" 0
t_true "... not copied" ! -e "$SP/receipt/errors/err-now.csv"
t_like "... the skew is said" "$(t_err)" \
	"^receipt-push: the SFTP server's clock is 10(79[0-9]|80[0-9]) s \\(.*\\) behind this host's, by a file written in \".*/receipt-staging\""
t_is "... once: one line in all" "$(t_err | grep -c .)" 1
t_is "... the probe is gone" "$(ls -A "$STG")" ""
touch -d '11 minutes ago' "$E/err-now.csv" "$E/err-now2.csv"
t_exit "11 min old on the server: exit 65" 65 t_clock +3h receipt-push </dev/null
t_like "... reported" "$(t_err)" 'could not receive PO "7001": "Closed"'
t_like "... both" "$(t_err)" 'could not receive PO "7002": "Closed"'
rm -f "$E"/*

# ---- this host 2 h behind
printf 'orderId,errorMessage\n7003,"Line 1 is already received"\n' >"$E/err-behind.csv"
touch -d '15 minutes ago' "$E/err-behind.csv"
t_exit "host 2 h behind, an error CSV 15 min old: reported in one run, exit 65" 65 \
	t_clock -2h receipt-push </dev/null
t_like "... its row said" "$(t_err)" 'could not receive PO "7003": "Line 1 is already received"'
t_true "... copied" -f "$SP/receipt/errors/err-behind.csv"
t_is "... not held as in the future" "$(t_err | grep -c 'in the future')" 0
t_like "... the skew is said" "$(t_err)" "the SFTP server's clock is 7(19[0-9]|20[0-9]) s \\(.*\\) ahead of this host's"
t_is "... once" "$(t_err | grep -c "server's clock is")" 1
t_exit "the next run, nothing new: exit 0" 0 t_clock -2h receipt-push </dev/null
t_is "... says nothing (no probe, no skew line)" "$(t_err)" ""
t_done
