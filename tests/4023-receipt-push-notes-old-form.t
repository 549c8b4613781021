#!/bin/sh
# receipt-push's small state files (issue 10: one notes format, with a
# version line) left by the previous release, without the line, are read
# as they were: an error CSV named in the old errors-seen is not reported
# again, and the time in the old .unread still dates a file waiting
# unread.  Each is written with "# posync notes v1" first from then on.
. "${0%/*}/lib.sh"
. "$BED/sshd.sh"
. "$BED/posync.sh"

bed_sshd
R=$SFTP_BASE/purchaseorder/receipt
E=$R/error
ST=$SCRATCH/spool/state
mkdir -p "$E" "$SCRATCH/spool/receipt/new" "$ST"
posync_conf netsuite.po_min_age=0

# ---- errors-seen of the previous release: one name a line
printf 'orderId,errorMessage\n2701,Closed PO\n' >"$E/old-error.csv"
touch -d '2 hours ago' "$E/old-error.csv"
printf 'old-error.csv\n' >"$ST/receipt-push.errors-seen"
t_exit "an error CSV named in an old errors-seen: exit 0" 0 receipt-push
t_is "... not reported again" "$(t_out)$(t_err)" ""
t_is "... the list now has the version line" \
	"$(head -n 1 "$ST/receipt-push.errors-seen")" "# posync notes v1"
t_is "... and still the name" "$(grep -c '^old-error\.csv$' "$ST/receipt-push.errors-seen")" 1
printf 'orderId,errorMessage\n2702,Unknown line\n' >"$E/new-error.csv"
touch -d '2 hours ago' "$E/new-error.csv"
t_exit "a new error CSV beside it: exit 65" 65 receipt-push
t_like "... reported" "$(t_err)" "could not receive PO \"2702\""
t_is "... the old one not" "$(t_err | grep -c 2701)" 0

# ---- .unread of the previous release: "SAFENAME TIME", no version line
F0=posync_PurchaseOrderReceiptFeed_2025-12-31-00_00_00_000.json
printf '[{"order_id":"1","items":[{"line_id":"1","quantity":1}]}]\n' >"$R/$F0"
touch -d '+21 hours' "$R/$F0"		# the server's mtime no help
T=$(($(date +%s) - 10800))
printf '%s %s\n' "$F0" "$T" >"$ST/receipt-push.unread"
t_exit "a file first seen 3 h ago by an old .unread: exit 75" 75 receipt-push
t_like "... says NetSuite stopped reading" "$(t_err)" "has waited unread since .*stopped reading"
t_is "... the notes now have the version line" \
	"$(head -n 1 "$ST/receipt-push.unread")" "# posync notes v1"
t_is "... and keep the time first seen" "$(sed -n 2p "$ST/receipt-push.unread")" "$F0 $T"
mv "$R/$F0" "$R/archive/" 2>/dev/null || { mkdir -p "$R/archive"; mv "$R/$F0" "$R/archive/"; }
t_exit "NetSuite reads it: exit 0" 0 receipt-push
t_true "... and the notes are gone" ! -e "$ST/receipt-push.unread"
t_done
