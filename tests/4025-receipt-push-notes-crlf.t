#!/bin/sh
# receipt-push.errors-seen whose version line an editor saved CRLF
# ("# posync notes v1\r") or with trailing blanks: it was taken for a
# later posync's, and receipt-push, which must not forget which of
# NetSuite's error files it reported, exited 74 every run (review S).
# Now it is v1; only a higher number is a later version's.
. "${0%/*}/lib.sh"
. "$BED/sshd.sh"
. "$BED/posync.sh"

bed_sshd
posync_conf
R=$SFTP_BASE/purchaseorder/receipt
E=$R/error
SP=$SCRATCH/spool
S=$SP/state/receipt-push.errors-seen
mkdir -p "$E" "$SP/receipt/new" "$SP/state"
printf 'orderId,errorMessage\n2801,Closed PO\n' >"$E/e1.csv"
touch -d '2 hours ago' "$E/e1.csv"
t_exit "e1 reported: 65" 65 receipt-push </dev/null
t_exit "again: 0" 0 receipt-push </dev/null

printf '# posync notes v1\r\ne1.csv\n' >"$S"
t_exit "errors-seen with a CRLF version line: read, 0" 0 receipt-push </dev/null
t_is "... e1 not said again" "$(t_err)" ""
printf '# posync notes v1 \t\ne1.csv\n' >"$S"
t_exit "with blanks after v1: read, 0" 0 receipt-push </dev/null
t_is "... e1 not said again" "$(t_err)" ""
printf '# posync notes v2\ne1.csv\n' >"$S"
t_exit "a later posync's (v2): still refused, 74" 74 receipt-push </dev/null
t_like "... said" "$(t_err)" "errors-seen: written by a later posync"
t_done
