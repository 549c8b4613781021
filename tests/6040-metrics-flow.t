#!/bin/sh
# Metrics over a whole two-round flow, as cron runs it, with [metrics]
# textfile_dir set: every file posync writes passes the real promtool;
# each counter equals what the flow did, counted here from the servers
# and the spool (never from posync's output); counters grow across runs
# and survive a run that fails (its exit status recorded, the last
# success kept); dry runs write nothing; and the names written are the
# names posync(7) and posync.conf(5) list.
. "${0%/*}/lib.sh"
. "$BED/sshd.sh"
. "$BED/hotwax.sh"
. "$BED/posync.sh"
. "$BED/flow.sh"

command -v promtool >/dev/null || t_skip_all "promtool not installed (make deps)"

# Six POs; PO 16000005's one line is of a SKU HotWax does not know, so
# HotWax's log fails that row.  Round one receives part, round two the
# rest of what HotWax holds.
flow_pos "$SCRATCH/pos.json" \
	"16000001 116 1:SKU-1:4 2:SKU-2:2" \
	"16000002 116 1:SKU-3:6" \
	"16000003 120 1:SKU-1:1 2:SKU-4:3 3:SKU-2:5" \
	"16000004 120 1:SKU-3:2" \
	"16000005 116 1:SKU-NONE:7" \
	"16000006 116 1:SKU-4:8"
flow_start "$SCRATCH/pos.json" SKU-NONE || t_bail "the test servers did not start"
MD=$SCRATCH/metrics
mkdir "$MD"
posync_conf hotwax.batch_size=4 metrics.textfile_dir="$MD" metrics.instance=t6040
sp=$SCRATCH/spool
rb=$SFTP_BASE/purchaseorder

prom() { echo "$MD/posync_$1_t6040.prom"; }
# metric NAME PROGRAM [LABELS] -- the value of NAME's series in PROGRAM's
# file (LABELS: more label pairs the series must carry, e.g. queue="po/new")
metric() {
	awk -v n="$1" -v l="${3:-}" '
		$1 !~ /^#/ { split($1, a, "{"); if (a[1] == n && index($1, l)) print $2 }' "$(prom "$2")"
}
count() { ls "$@" 2>/dev/null | wc -l; }
# the rows of CSV files, headers not counted (none: 0)
csvrows() { [ $# -gt 0 ] && [ -e "$1" ] && awk 'FNR > 1' "$@" | wc -l || echo 0; }

# NetSuite exports; a person's slip adds a row no PO line can be.
csv=$(ns export --age 120) || t_bail "NetSuite did not export"
printf '16000009,SKU-1,many,116,1,\n' >>"$csv"
exported_rows=$(python3 -c 'import json,sys; print(sum(e["rows"] for e in json.load(open(sys.argv[1]))["exports"]))' "$NS_STATE")

t_exit "the inbound job: 65 (a row rejected, a row HotWax failed)" 65 flow_inbound
for p in po-export-parse po-import; do
	t_ok "$p wrote its metrics" test -s "$(prom $p)"
done

t_is "csv files: the CSVs NetSuite exported" "$(metric posync_csv_files_total po-export-parse)" \
	"$(count "$rb/fulfillment/archive")"
t_is "rows rejected: the rows in po/rejects" "$(metric posync_rows_rejected_total po-export-parse)" \
	"$(csvrows $(find "$sp/po/rejects" -name '*.csv' ! -name '*.recovered.csv'))"
t_is "rows accepted: NetSuite's rows, less the rejected" "$(metric posync_rows_accepted_total po-export-parse)" \
	"$exported_rows"
t_is "rows recovered: none in this flow (no .recovered.csv)" "$(metric posync_rows_recovered_total po-export-parse)" \
	"$(csvrows "$sp"/po/rejects/*.recovered.csv)"
t_is "po/rejects queue: the one rejects file" "$(metric posync_queue_files po-export-parse 'queue="po/rejects"')" \
	"$(find "$sp/po/rejects" -name '*.csv' ! -name '*.recovered.csv' | wc -l)"
t_is "batches uploaded: the batches in po/cur" "$(metric posync_batches_uploaded_total po-import)" \
	"$(count "$sp"/po/cur/*.json)"
t_is "HotWax row errors: the lines of the SKU HotWax lacks" "$(metric posync_hotwax_row_errors_total po-import)" \
	"$(python3 -c 'import json,sys; print(sum(1 for p in json.load(open(sys.argv[1])) for l in p["lines"] if l["sku"] == "SKU-NONE"))' "$SCRATCH/pos.json")"
t_is "batches failed: none in po/failed (a rows file is not a batch)" "$(metric posync_batches_failed_total po-import)" \
	"$(ls "$sp/po/failed" | grep -v '\.err$' | grep -vc '\.rows\.json$')"
t_is "po/failed queue: its files, a rows file too (both a person must act on)" \
	"$(metric posync_queue_files po-import 'queue="po/failed"')" \
	"$(ls "$sp/po/failed" | grep -v '\.err$' | grep -c '\.json$')"
t_true "... the rows file HotWax failed is there" \
	"$(ls "$sp/po/failed" | grep -c '\.rows\.json$')" -ge 1
posync-status >"$SCRATCH/status" 2>/dev/null
t_like "posync-status counts po/failed as the metrics do" "$(head -n 1 "$SCRATCH/status")" \
	" po_failed=$(metric posync_queue_files po-import 'queue="po/failed"');"
t_is "po/new queue: empty" "$(metric posync_queue_files po-import 'queue="po/new"')" "$(count "$sp"/po/new/*.json)"
csvbytes=$(cat "$rb"/fulfillment/archive/* | wc -c)
t_is "po-export-parse's downloaded bytes: the CSV's size" \
	"$(metric posync_downloaded_bytes_total po-export-parse)" "$csvbytes"
t_true "po-import's uploaded bytes: at least its batches' sizes" \
	"$(metric posync_uploaded_bytes_total po-import)" -ge "$(cat "$sp"/po/cur/*.json | wc -c)"
t_is "po-export-parse's exit status: 65, for its rejected row" "$(metric posync_last_exit_status po-export-parse)" 65
po-import </dev/null >/dev/null 2>&1
st=$?
t_is "po-import's exit status, as the shell saw it" "$(metric posync_last_exit_status po-import)" $st

# round one
for po in 16000001 16000003 16000006; do
	flow_receive $po 1:1 || t_bail "the store could not receive $po"
done
t_ok "the outbound job" flow_outbound
t_is "receipt files published: the one file on the server" \
	"$(metric posync_receipt_files_published_total receipt-push)" "$(find "$rb/receipt" -maxdepth 1 -type f | wc -l)"
t_true "the unread file is measured" -n "$(metric posync_receipt_unread_oldest_age_seconds receipt-push)"
t_is "receipts exported: HotWax's receipts" "$(metric posync_receipts_exported_total receipt-export)" \
	"$(hw_ctl GET /_sim/state | hw_json 'len(d["receipts"])')"
t_is "receipt-push uploaded exactly the file it published" \
	"$(metric posync_uploaded_bytes_total receipt-push)" "$(cat "$sp"/receipt/cur/*.json | wc -c)"
cursor=$(metric posync_receipt_cursor_timestamp_seconds receipt-export)
t_true "the cursor is set, not past the clock" "${cursor:-0}" -gt 0 -a "${cursor:-0}" -le "$(date +%s)"
t_ok "NetSuite imports it" ns import
for f in po-export-parse po-import receipt-export receipt-push; do
	cp "$(prom $f)" "$SCRATCH/$f.1"
done

# round two, and an error CSV NetSuite wrote
python3 - "$SCRATCH/pos.json" >"$SCRATCH/round2" <<'PY'
import json, sys
from decimal import Decimal
got = {("16000001", "1"): 1, ("16000003", "1"): 1, ("16000006", "1"): 1}
for p in json.load(open(sys.argv[1])):
    if p["id"] == "16000005":
        continue
    s = ["%s:%s" % (l["line_id"], Decimal(l["quantity"]) - got.get((p["id"], l["line_id"]), 0))
         for l in p["lines"] if Decimal(l["quantity"]) - got.get((p["id"], l["line_id"]), 0) > 0]
    if s:
        print(p["id"], " ".join(s))
PY
while read -r po specs; do
	flow_receive "$po" $specs || t_bail "the store could not receive $po"
done <"$SCRATCH/round2"
mkdir -p "$rb/receipt/error"
printf 'orderId,errorMessage\n16000002,Closed period\n' >"$rb/receipt/error/r-error.csv"
touch -d '-5 minutes' "$rb/receipt/error/r-error.csv"
t_exit "the outbound job: 65 (NetSuite reported an error)" 65 flow_outbound
t_ok "NetSuite imports it" ns import
t_ok "the outbound job once more: nothing new" flow_outbound

t_is "receipt files published: both files NetSuite read" \
	"$(metric posync_receipt_files_published_total receipt-push)" "$(count "$rb/receipt/archive")"
t_is "receipts exported: all of HotWax's receipts" "$(metric posync_receipts_exported_total receipt-export)" \
	"$(hw_ctl GET /_sim/state | hw_json 'len(d["receipts"])')"
t_is "NetSuite error CSVs: the one on the server" "$(metric posync_netsuite_error_files_total receipt-push)" \
	"$(count "$rb/receipt/error")"
t_is "receipt/errors queue: its copy" "$(metric posync_queue_files receipt-push 'queue="receipt/errors"')" \
	"$(count "$sp/receipt/errors")"
t_is "no excess rows" "$(metric posync_excess_rows_total receipt-export)" "$(csvrows "$sp/receipt/excess.csv")"
t_is "nothing unread now" "$(metric posync_receipt_unread_oldest_age_seconds receipt-push)" \
	"$(find "$rb/receipt" -maxdepth 1 -type f | wc -l)"
t_is "receipt/new queue: empty" "$(metric posync_queue_files receipt-push 'queue="receipt/new"')" \
	"$(count "$sp"/receipt/new/*.json)"
t_true "receipt-push's counters grew" "$(metric posync_receipt_files_published_total receipt-push)" -gt \
	"$(awk '/^posync_receipt_files_published_total/ { print $2 }' "$SCRATCH/receipt-push.1")"
t_is "last success = last run after a run that did its work" \
	"$(metric posync_last_success_timestamp_seconds receipt-export)" "$(metric posync_last_run_timestamp_seconds receipt-export)"

# A run that fails: HotWax out of reach.  Its status is recorded, the
# last success kept, the counters of what it did not do unchanged.
cp "$(prom receipt-export)" "$SCRATCH/rx.before"
posync_conf -f "$SCRATCH/down.conf" hotwax.base_url=https://127.0.0.1:$(free_port)/api/ hotwax.retries=0 \
	metrics.textfile_dir="$MD" metrics.instance=t6040
receipt-export -c "$SCRATCH/down.conf" >/dev/null 2>&1
st=$?
POSYNC_CONFIG=$SCRATCH/posync.conf
t_true "receipt-export fails with HotWax gone" "$st" -ne 0
t_is "its exit status is recorded" "$(metric posync_last_exit_status receipt-export)" "$st"
t_is "its last success is kept" "$(metric posync_last_success_timestamp_seconds receipt-export)" \
	"$(awk '/^posync_last_success_timestamp_seconds/ { print $2 }' "$SCRATCH/rx.before")"
t_is "its counters are kept" "$(grep '^posync_\(receipts_exported\|excess_rows\)_total' "$(prom receipt-export)")" \
	"$(grep '^posync_\(receipts_exported\|excess_rows\)_total' "$SCRATCH/rx.before")"

# Dry runs write nothing: no metrics file, no state.
ls -l --time-style=+%s.%N "$MD" "$sp/state" >"$SCRATCH/before"
cat "$MD"/* "$sp"/state/*.metrics >"$SCRATCH/before.data"
for p in po-export-parse po-import receipt-export receipt-push; do
	$p -n </dev/null >/dev/null 2>&1
done
ls -l --time-style=+%s.%N "$MD" "$sp/state" >"$SCRATCH/after"
cat "$MD"/* "$sp"/state/*.metrics >"$SCRATCH/after.data"
t_ok "dry runs write no metrics file" cmp "$SCRATCH/before" "$SCRATCH/after"
t_ok "nor change one" cmp "$SCRATCH/before.data" "$SCRATCH/after.data"

# Every file posync wrote passes promtool; the names in them are those
# the two pages list.
for f in "$MD"/*.prom; do
	t_ok "promtool check metrics ${f##*/}" sh -c 'promtool check metrics <"$1"' sh "$f"
done
t_is "four files, one per program" "$(count "$MD")" 4
names=$(cat "$MD"/*.prom | awk '$1 == "#" && $2 == "TYPE" { print $3 }' | sort -u)
t_is "posync(7) lists the metrics written" \
	"$(sed -n '/^\.Sh METRICS/,/^\.Sh /p' "$TOP/man/posync.7" | grep -o 'posync_[a-z_]*[a-z]' | sort -u)" "$names"
t_is "posync.conf(5) lists them too" \
	"$(sed -n '/^\.Ss The \[metrics\] section/,/^\.S[sh] /p' "$TOP/man/posync.conf.5" | grep -o 'posync_[a-z_]*[a-z]' | sort -u)" "$names"
t_done
