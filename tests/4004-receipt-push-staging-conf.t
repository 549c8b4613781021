#!/bin/sh
# receipt_staging_dir must be a folder of its own.  Set to the receipt
# folder (or its archive or error folder), receipt-push would take
# NetSuite's unread files there for leftovers and remove them (receipts
# that never reach NetSuite), upload in plain sight of NetSuite's import
# (a partial file read), or remove the archive that proves a file went
# out (published twice).  It is refused as a configuration error before
# anything on the server is touched.
. "${0%/*}/lib.sh"
. "$BED/sshd.sh"
. "$BED/posync.sh"

sshd_start || t_bail "sshd_start failed"
posync_conf
SP=$SCRATCH/spool/receipt
BASE=$SFTP_BASE/purchaseorder
R=$BASE/receipt
mkdir -p "$SP/new" "$R/archive" "$R/error"
mk() {
	_n=posync_PurchaseOrderReceiptFeed_2026-11-27-10_00_$(printf %02d "$1")_000.json
	printf '[{"order_id": "1701", "items": [{"line_id": "1", "quantity": 1}]}]\n' >"$SP/new/$_n"
	echo "$_n"
}
A=$(mk 1)
t_ok "A is published" receipt-push
t_true "... and waits unread in receipt/" -f "$R/$A"
cp "$R/$A" "$R/archive/old.json"
printf 'orderId,errorMessage\n' >"$R/error/old-error.csv"
B=$(mk 2)

for d in "$BASE/receipt" "$BASE/receipt/" "$BASE//receipt" \
    "$BASE/receipt/archive" "$BASE/receipt/error"; do
	posync_conf "netsuite.receipt_staging_dir = $d"
	t_exit "staging = $d: 78" 78 receipt-push
	t_like "... naming the setting" "$(t_err)" "receipt_staging_dir"
	t_true "... A still waits unread" -f "$R/$A"
	t_true "... the archive is untouched" -f "$R/archive/old.json"
	t_true "... NetSuite's error file is untouched" -f "$R/error/old-error.csv"
	t_true "... B is not published" ! -e "$R/$B" -a -f "$SP/new/$B"
done
posync_conf "netsuite.receipt_staging_dir = $BASE/receipt/staging"
rm "$R/error/old-error.csv"
t_ok "a staging folder inside receipt/ is a folder of its own" receipt-push
t_true "... A still waits unread" -f "$R/$A"
t_done
