#!/bin/sh
# A publish stamp in spool/receipt/cur with a future mtime (this host's
# clock was a day ahead when it published, then NTP set it right; review C
# finding 4) does not silence the stale alarm: it counts as now, is set
# to now once, and the alarm comes receipt_stale_after later.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"
bed_outbound netsuite.receipt_stale_after=5
ns_po 8400 1:SKU1:1000
recv 8400 1=1
receipt-export | receipt-push 2>"$SCRATCH/err"
A=$(ls "$SPOOL/receipt/cur" | grep Feed)
t_true "A is published, unread" -f "$R/$A"
touch -d '+1 day' "$SPOOL/receipt/cur/$A"
t_exit "a stamp a day ahead: not stale yet, exit 0" 0 receipt-push </dev/null
t_true "... the stamp is set back to now" \
	"$(find "$SPOOL/receipt/cur/$A" ! -newermt '+1 minute')"
sleep 6
t_exit "6 s later (receipt_stale_after=5): stale, exit 75" 75 receipt-push </dev/null
t_like "... NetSuite has stopped reading" "$(t_err)" \
	"\"$SFTP_BASE/purchaseorder/receipt/$A\" has waited unread since .*stopped reading"
t_done
