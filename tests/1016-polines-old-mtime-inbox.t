#!/bin/sh
# An old export put back in the inbox with its old mtime (WinSCP's
# default, sftp put -p, rsync -t) is not dropped from the polines ledger
# at once (issue 9, second review, finding 3).  Its POs' seen time is when
# posync took it: the later of the CSV's mtime and the SFTP server's clock
# now.  Before, it was the CSV's mtime, 400 days ago: the next compaction
# dropped PO 5501 while it was open, and the receipt file for it left out
# its line 2 (never in HotWax: an unknown SKU), which NetSuite then
# received in full.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

[ -x "$TOP/receipt-export/receipt-export" ] || t_skip_all "receipt-export not built"
bed_sshd || t_bail "sshd did not start"
re_setup hotwax.log_wait=2
POSYNC_BACKOFF_MS=10; export POSYNC_BACKOFF_MS
hw_seed_sku_a
IN=$SFTP_BASE/purchaseorder/fulfillment
seen_of() { awk -F'\t' -v po="$1" '$1 == po && $2 == "" { print $3 }' "$L" | sort -n | tail -n 1; }
lines_of() { awk -F'\t' -v po="$1" '$1 == po && $2 != "" { print $2 }' "$L" | sort -u | tr '\n' ' '; }

printf '%s\n' "$HDR" '5501,SKU-A,5,116,1,' '5501,NO-SUCH-SKU,2,116,2,' >"$IN/PO_5501.csv"
touch -d '400 days ago' "$IN/PO_5501.csv"
printf '%s\n' "$HDR" '5502,SKU-A,5,116,1,' >"$IN/PO_5502.csv"
touch -d '10 minutes ago' "$IN/PO_5502.csv"
before=$(date +%s)
po-export-parse | po-import >/dev/null 2>&1
s1=$(seen_of 5501)
t_true "the old export's PO is seen when it was taken, not 400 days ago" \
	"${s1:-0}" -ge $((before - 2))
t_true "... so is the new one's" "$(seen_of 5502)" -ge $((before - 2))

recv 5502 1=1
t_exit "receipt-export (a receipt of PO 5502)" 0 receipt-export
t_is "... PO 5501 keeps its lines in the ledger" "$(lines_of 5501)" "1 2 "
recv 5501 1=5
t_exit "receipt-export (PO 5501 line 1 received)" 0 receipt-export
t_is "... drops no PO" "$(t_err | grep -c dropped)" 0
t_is "PO 5501's receipt lists its open line 2 with 0" "$(cat "$SPOOL"/receipt/new/* |
	python3 -c 'import json, sys
for f in sys.stdin.read().split("\n"):
    for el in (json.loads(f) if f.strip() else []):
        if el["order_id"] == "5501":
            print(" ".join("%s=%s" % (i["line_id"], i["quantity"]) for i in el["items"]))')" \
	"1=5 2=0"
t_done
