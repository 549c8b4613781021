#!/bin/sh
# -n changes nothing (issue 8, finding 11): receipt-export -n and
# receipt-push -n create, move and delete nothing, locally (no spool tree,
# no lock, no state) or on the SFTP server, on a fresh spool that does not
# exist yet and on one in use, while saying what they would do.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

[ -x "$TOP/receipt-export/receipt-export" ] || t_bail "receipt-export is not built"
[ -x "$TOP/receipt-push/receipt-push" ] || t_bail "receipt-push is not built"
bed_sshd
hotwax_start || t_bail "the HotWax simulator did not start"
FRESH=$SCRATCH/fresh/spool
posync_conf "spool.dir = $FRESH"
HOTWAX_TOKEN=$(cat "$SCRATCH/hotwax.token")
export HOTWAX_TOKEN
hw_ctl POST /_sim/seed '{"products":[{"productId":"P1","sku":"SKU1"}],
	"facilities":[{"facilityId":"F1","externalId":"116"}]}' >/dev/null ||
	t_bail "seeding the simulator failed"
# ns_po writes its polines here; the spool under test stays untouched
SPOOL=$SCRATCH/other
mkdir -p "$SPOOL/state"
ns_po 2601 1:SKU1:5 || t_bail "the PO did not reach HotWax"
recv 2601 1=2 || t_bail "receiving failed"

PO=$SFTP_BASE/purchaseorder
# what the server holds: a staging leftover and an error CSV, which a real
# run would remove and copy
mkdir -p "$PO/receipt-staging"
printf 'left over\n' >"$PO/receipt-staging/posync_PurchaseOrderReceiptFeed_2026-01-01-00_00_00_000.json"
printf 'orderId,errorMessage\n2601,Closed\n' >"$PO/receipt/error/e1.csv"
remote() { (cd "$SFTP_HOME" && find . -printf '%p %s %T@ %m\n' | sort); }
local_tree() { (cd "$SCRATCH/fresh" 2>/dev/null && find . -printf '%p %s %T@ %m\n' | sort); }

# ---- a fresh spool: it does not exist, and must not after -n
t_exit "receipt-export -n on a fresh spool" 0 receipt-export -n
t_like "... prints the file it would write" "$(t_out)" '"order_id":"2601".*"quantity":2'
t_true "... creates no spool folder" ! -e "$SCRATCH/fresh"
REMOTE0=$(remote)
t_exit "receipt-push -n on a fresh spool" 0 receipt-push -n
t_like "... says it would remove the staging leftover" "$(t_out)" "would remove the staging leftover"
t_like "... says it would report the error file" "$(t_out)" "would report and copy NetSuite's error file .*e1\.csv"
t_true "... creates no spool folder" ! -e "$SCRATCH/fresh"
t_is "... changes nothing on the server" "$(remote)" "$REMOTE0"

# ---- a spool in use: one real run of each, then -n changes nothing
t_exit "a real receipt-export" 0 receipt-export
recv 2601 1=1 || t_bail "receiving failed"
mkdir -p "$SCRATCH/fresh/spool/receipt/new"
LOCAL0=$(local_tree)
REMOTE0=$(remote)
sleep 1	# so that any change shows in the times
t_exit "receipt-export -n on a spool in use" 0 receipt-export -n
t_like "... prints the file it would write" "$(t_out)" '"order_id":"2601".*"quantity":1'
t_is "... changes nothing in the spool (no lock, no state, no file)" "$(local_tree)" "$LOCAL0"
t_exit "receipt-push -n on a spool in use" 0 receipt-push -n
t_like "... says what it would publish" "$(t_out)" "posync_PurchaseOrderReceiptFeed_"
t_is "... changes nothing in the spool" "$(local_tree)" "$LOCAL0"
t_is "... nor on the server" "$(remote)" "$REMOTE0"
t_done
