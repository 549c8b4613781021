#!/bin/sh
# The SFTP server's clock is not ours (issue 8, review A finding 1):
#  - a NetSuite error CSV whose mtime is in the future is said once per
#    run without -v, and taken once its size and mtime held still across
#    two runs: po-export-parse's rule (common/future.c), kept in
#    SPOOL/state/receipt-push.errors-future;
#  - "NetSuite has stopped reading" is measured from when this host
#    published the file (its stamp in spool/receipt/cur), not from the
#    server's mtime: a server a day ahead does not silence it, one behind
#    does not raise it early.
. "${0%/*}/lib.sh"
. "$BED/sshd.sh"
. "$BED/posync.sh"
bed_receipt_push netsuite.receipt_stale_after=3600
R=$SFTP_BASE/purchaseorder/receipt
E=$R/error
SP=$SCRATCH/spool
mkdir -p "$E" "$R/archive" "$SP/receipt/new"

# ---- error CSVs from a server whose clock runs ahead
printf 'orderId,errorMessage\n12009298,"Line 1 is already received"\n' >"$E/errors-1.csv"
printf 'orderId,errorMessage\n555,"Closed"\n' >"$E/errors-2.csv"
touch -d '+10 minutes' "$E/errors-1.csv"
touch -d '+2 days' "$E/errors-2.csv"
t_exit "first run: nothing reported yet, exit 0" 0 receipt-push </dev/null
t_like "... errors-1.csv said without -v, about 600 s ahead" "$(t_err)" \
	'^receipt-push: ".*/error/errors-1\.csv": its mtime is (59[0-9]|600) s in the future .*: left until'
t_like "... errors-2.csv too" "$(t_err)" '/error/errors-2\.csv": its mtime is [0-9]+ s in the future .*: left until'
t_is "... once each: two lines" "$(t_err | grep -c .)" 2
t_true "... not copied yet" ! -e "$SP/receipt/errors/errors-1.csv"
printf '556,"Closed too"\n' >>"$E/errors-2.csv"	# still being written
touch -d '+2 days' "$E/errors-2.csv"
t_exit "second run: errors-1.csv held still, reported: exit 65" 65 receipt-push </dev/null
t_like "... its row said" "$(t_err)" 'could not receive PO "12009298": "Line 1 is already received"'
t_like "... taken, said so" "$(t_err)" 'errors-1\.csv": its mtime is [0-9]+ s in the future .*: taken'
t_true "... copied into the spool" -f "$SP/receipt/errors/errors-1.csv"
t_like "... errors-2.csv changed: left again" "$(t_err)" 'errors-2\.csv": its mtime is [0-9]+ s in the future .*: left until'
t_exit "third run: errors-2.csv held still: exit 65" 65 receipt-push </dev/null
t_like "... its first row said" "$(t_err)" 'PO "555": "Closed"'
t_like "... and the row added" "$(t_err)" 'PO "556": "Closed too"'
t_is "... errors-1.csv not reported again" "$(t_err | grep -c 12009298)" 0
t_true "... the notes are gone" ! -e "$SP/state/receipt-push.errors-future"
t_exit "a fourth run" 0 receipt-push </dev/null
t_is "... says nothing" "$(t_err)" ""
rm -f "$E"/*

# ---- the stale alarm, by this host's clock
F1=posync_PurchaseOrderReceiptFeed_2026-01-01-00_00_00_000.json
F2=posync_PurchaseOrderReceiptFeed_2026-01-01-00_05_00_000.json
printf '[{"order_id":"1","items":[{"line_id":"1","quantity":1}]}]\n' >"$SP/receipt/new/$F1"
t_exit "a file is published" 0 receipt-push </dev/null
t_true "... it waits unread" -f "$R/$F1"
printf '[{"order_id":"1","items":[{"line_id":"1","quantity":2}]}]\n' >"$SP/receipt/new/$F2"
touch -d '+21 hours' "$R/$F1"		# the server's clock a day ahead
t_exit "the next is held: exit 0" 0 receipt-push </dev/null
t_is "... quietly" "$(t_err)" ""
touch -d '3 hours ago' "$SP/receipt/cur/$F1"	# three hours pass, by our clock
t_exit "unread for 3 h by our clock (server a day ahead): exit 75" 75 receipt-push </dev/null
t_like "... says NetSuite stopped reading" "$(t_err)" "\"$SFTP_BASE/purchaseorder/receipt/$F1\" has waited unread since .*stopped reading"
touch "$SP/receipt/cur/$F1"
touch -d '5 hours ago' "$R/$F1"		# the server's clock hours behind
t_exit "published a moment ago (server's mtime 5 h old): exit 0" 0 receipt-push </dev/null
t_is "... no alarm" "$(t_err)" ""
t_true "... the next still held" -f "$SP/receipt/new/$F2"

# ---- a file this spool did not publish (no stamp in cur/): timed from
# when this host first saw it, the server's mtime being a day ahead
mv "$R/$F1" "$R/archive/"
F0=posync_PurchaseOrderReceiptFeed_2025-12-31-00_00_00_000.json
printf '[{"order_id":"1","items":[{"line_id":"1","quantity":1}]}]\n' >"$R/$F0"
touch -d '+21 hours' "$R/$F0"
t_exit "a file from elsewhere waits unread: held, exit 0" 0 receipt-push </dev/null
t_is "... quietly" "$(t_err)" ""
t_like "... when it was first seen is noted" "$(cat "$SP/state/receipt-push.unread")" "^$F0 [0-9]+\$"
t_exit "still unread, a minute later by our clock: exit 0" 0 receipt-push </dev/null
t_is "... quietly" "$(t_err)" ""
sed -i "s/ [0-9]*\$/ $(($(date +%s) - 10800))/" "$SP/state/receipt-push.unread"	# 3 h pass
t_exit "unread for 3 h since first seen (server a day ahead): exit 75" 75 receipt-push </dev/null
t_like "... says NetSuite stopped reading" "$(t_err)" "\"$SFTP_BASE/purchaseorder/receipt/$F0\" has waited unread since .*stopped reading"
mv "$R/$F0" "$R/archive/"
t_exit "NetSuite reads it: the held file goes" 0 receipt-push </dev/null
t_true "... published" -f "$R/$F2"
t_true "... and the note is gone" ! -e "$SP/state/receipt-push.unread"

# ---- a file from elsewhere whose server mtime is older than this host's
# first look: the age the stale check takes is the one noted, so that
# posync-status reads the same
F3=posync_PurchaseOrderReceiptFeed_2025-12-31-00_00_01_000.json
printf '[{"order_id":"1","items":[{"line_id":"1","quantity":1}]}]\n' >"$R/$F3"
touch -d '3 hours ago' "$R/$F3"
t_exit "a file from elsewhere, 3 h old on the server: exit 75" 75 receipt-push </dev/null
t_is "... the note holds the time the alarm took, the server's mtime" \
	"$(grep "^$F3 " "$SP/state/receipt-push.unread")" "$F3 $(stat -c %Y "$R/$F3")"
mv "$R/$F3" "$R/archive/"
t_done
