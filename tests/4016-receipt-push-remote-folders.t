#!/bin/sh
# receipt-push makes its own staging folder; one it cannot make is not
# "server unavailable" (issue 9, finding 5), against the real sshd: a
# folder the server refuses to make is 77 naming it (it was 69 "no such
# file": the message and the status were those of a stat after the
# refused mkdir), a path through a regular file is 78 naming the file, a
# missing receipt folder is 78 naming it; the receipt file waits in
# new/ each time and is published once the folder can be made.
. "${0%/*}/lib.sh"
. "$BED/sshd.sh"
. "$BED/posync.sh"

bed_receipt_push
SP=$SCRATCH/spool/receipt
BASE=$SFTP_BASE/purchaseorder
R=$BASE/receipt
mkdir -p "$SP/new"
A=posync_PurchaseOrderReceiptFeed_2026-11-27-10_00_01_000.json
printf '[{"order_id": "1701", "items": [{"line_id": "1", "quantity": 1}]}]\n' >"$SP/new/$A"

# --- the staging folder through a regular file
echo "not a folder" >"$BASE/notes.txt"
posync_conf netsuite.receipt_staging_dir="$BASE/notes.txt/staging"
t_exit "staging through a regular file: exit 78" 78 receipt-push
t_like "... naming the file in the way" "$(t_err)" \
	'^receipt-push: "sftp://[^"]*/purchaseorder/notes\.txt": not a folder'
t_true "... the file waits in new/, not published" -f "$SP/new/$A" -a ! -e "$R/$A"

# --- a staging folder the server will not make
LOCK=$SFTP_BASE/locked
mkdir -p "$LOCK"
if t_readonly "$LOCK"; then
	t_at_exit "t_writable '$LOCK'"
	posync_conf netsuite.receipt_staging_dir="$SFTP_BASE/locked/staging"
	t_exit "staging the server will not make: exit 77, not 69" 77 receipt-push
	t_like "... naming it, with the server's reason" "$(t_err)" \
		'^receipt-push: "sftp://[^"]*/netsuite/locked/staging": cannot create the folder: permission denied \(SFTP status 3\)'
	t_true "... the file waits in new/, not published" -f "$SP/new/$A" -a ! -e "$R/$A"
	t_writable "$LOCK"
else
	t_diag "cannot make a folder read-only here: the permission case is not run"
fi

# --- the receipt folder itself missing (NetSuite's, not made by posync)
mv "$R" "$R.away"
posync_conf
t_exit "receipt_dir missing: exit 78, not 69" 78 receipt-push
t_like "... naming it" "$(t_err)" '"sftp://[^"]*/purchaseorder/receipt": cannot list the folder: no such file'
t_true "... the file waits in new/" -f "$SP/new/$A"
mv "$R.away" "$R"

t_ok "with the default staging folder: published" receipt-push
t_true "... into the receipt folder" -f "$R/$A" -a ! -e "$SP/new/$A"
t_true "... the staging folder was made" -d "$BASE/receipt-staging"
t_done
