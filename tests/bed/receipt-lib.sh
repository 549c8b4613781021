# tests/bed/receipt-lib.sh -- helpers for receipt-export's tests (the 3xxx files).
# Source after lib.sh, hotwax.sh and posync.sh.
#
#   re_setup [conf overrides]  simulator, token, products SKU1..SKU3, facility
#                              116 -> F1, a posync.conf, the spool's state/;
#                              SPOOL is the spool, ST receipt-export's state
#                              file, J its journal, L the polines ledger
#   ns_po PO LINE:SKU:QTY ...  NetSuite "sends" a PO: every line goes into the
#                              polines ledger (QTY "?" = rejected for the
#                              quantity); lines with a SKU are uploaded to
#                              HotWax (an unknown SKU is refused there)
#   recv ORDER LINE=ACC[/REJ] ...   receive through HotWax's API; ORDER is a
#                              NetSuite PO id, or @ORDERID for HotWax's id;
#                              LINE is the NetSuite line id, or #SEQ
#   re_nofold                  hold the publish lock from now to the end, as
#                              a receipt-push publishing all along would:
#                              receipt-export writes one file a run, folds
#                              none (for tests of what each run exports)
#   re_model NAME <TEXT        TEXT (stdin) a Python model of what a run
#                              must give, importing simclient.py; NAME
#                              ARGS... runs it.  Each run's own file is
#                              checked (re_nofold); W is the folder of
#                              what is wanted; SPOOL, W and the
#                              simulator's port and CA are exported
#   re_files                   the files in spool/receipt/new, in name order
#   re_folded HELD [TEXT]      after an export that folded: one file waits
#                              in new/, it is not HELD, and it holds TEXT
#                              when given (two checks, or three)
#   re_then_more PO COPY       PO (one line of 100 SKU1) received 1 and
#                              exported (one check: exit 0), its file taken
#                              to $SCRATCH as NetSuite would, the state then
#                              copied to COPY; 2 more received since
#   rp_held [FILE]             the names in receipt-push's held list
#                              (a notes file), less its version line
#   re_totals                  "PO LINE QTY" per line, summed over every file
#                              in new/ (exact decimals), sorted
#
# The preambles the receipt tests share:
#   bed_re [conf overrides]    receipt-export is built (else the file
#                              skips), then re_setup
#   bed_outbound [overrides]   the sshd (bed_sshd), re_setup; R is the
#                              receipt folder on this host, with archive/
#   bed_rp_folders [overrides] receipt-push's alone: bed_receipt_push, the
#                              sshd stopped at exit; P is purchaseorder/ on
#                              this host, R its receipt/, S receipt-staging/,
#                              SP the spool, N and C its receipt/new and
#                              receipt/cur; R/archive, S and N are made
#   bed_rp_logged [overrides]  bed_rp_folders, with internal-sftp's requests
#                              logged (SSHD_SFTP_LOG, LOG: sftp_requests
#                              reads them)
# and what they use:
#   rp_run [ARG...]            receipt-push ARGs, stdin closed, LOG emptied
#                              first: its stdout and stderr in
#                              $SCRATCH/run.out and run.err, its status
#   rp_two_waiting             F and G: two posync receipt files (POs 1, 2)
#                              waiting in N, F's name sorting first
#   pipe                       the crontab's receipt-export | receipt-push
#   backdate SECONDS           the next receive call makes receipts that old
#   order ORDERID PO LINE SKU  a HotWax order of PO with one line of 5
#   elements                   the receipt files in new/, in name order
#   rp_watch PAUSE LABEL=DIR...  a watcher in the background until
#                              $SCRATCH/stop exists: a line "LABEL NAME
#                              SIZE" in $SCRATCH/seen for every file *.json
#                              it sees in each DIR, a sweep every PAUSE
#                              seconds (0: at once); WATCH is its pid

re_setup() {
	hotwax_start || { echo "Bail out! the HotWax simulator did not start"; exit 1; }
	posync_conf "$@"
	HOTWAX_TOKEN=$(cat "$SCRATCH/hotwax.token")
	export HOTWAX_TOKEN
	SPOOL=$SCRATCH/spool
	ST=$SPOOL/state/receipt-export.state
	J=$SPOOL/state/receipt-export.pending
	L=$SPOOL/state/polines
	mkdir -p "$SPOOL/state"
	hw_ctl POST /_sim/seed '{"products":[{"productId":"P1","sku":"SKU1"},
		{"productId":"P2","sku":"SKU2"},{"productId":"P3","sku":"SKU3"}],
		"facilities":[{"facilityId":"F1","externalId":"116"}]}' >/dev/null ||
		{ echo "Bail out! seeding the simulator failed"; exit 1; }
}

bed_re() {
	bed_need receipt-export
	re_setup "$@"
}

bed_outbound() {
	bed_sshd
	re_setup "$@"
	R=$SFTP_BASE/purchaseorder/receipt
	mkdir -p "$R/archive"
}

bed_rp_folders() {
	bed_receipt_push "$@"
	t_at_exit sshd_stop
	P=$SFTP_BASE/purchaseorder
	R=$P/receipt
	S=$P/receipt-staging
	SP=$SCRATCH/spool
	N=$SP/receipt/new
	C=$SP/receipt/cur
	mkdir -p "$R/archive" "$S" "$N"
}

bed_rp_logged() {
	SSHD_SFTP_LOG=$SCRATCH/sftp.log
	LOG=$SSHD_SFTP_LOG
	bed_rp_folders "$@"
}

rp_run() { : >"$LOG"; receipt-push "$@" </dev/null >"$SCRATCH/run.out" 2>"$SCRATCH/run.err"; }

rp_two_waiting() {
	F=posync_PurchaseOrderReceiptFeed_2026-01-01-00_00_00_000.json
	G=posync_PurchaseOrderReceiptFeed_2026-01-01-00_15_00_000.json
	printf '[{"order_id":"1","items":[{"line_id":"1","quantity":1}]}]\n' >"$N/$F"
	printf '[{"order_id":"2","items":[{"line_id":"1","quantity":2}]}]\n' >"$N/$G"
}

pipe() { receipt-export | receipt-push; }

backdate() {
	hw_ctl POST /_sim/fault "{\"kind\":\"late_receipts\",\"path\":\"oms/purchaseOrders/.*/receive\",\"hide_seconds\":0,\"backdate_seconds\":$1,\"count\":1}" >/dev/null
}

order() {
	hw_ctl POST /_sim/orders "{\"orderId\":\"$1\",\"externalId\":\"$2\",\"facilityId\":\"F1\",\"items\":[{\"orderItemSeqId\":\"00001\",\"externalId\":\"$3\",\"productId\":\"$4\",\"quantity\":5}]}" >/dev/null
}

rp_watch() {
	_pause=$1; shift
	(
		while [ ! -e "$SCRATCH/stop" ]; do
			for _ld in "$@"; do
				for _f in "${_ld#*=}"/*.json; do
					[ -f "$_f" ] && _s=$(stat -c %s "$_f" 2>/dev/null) &&
						echo "${_ld%%=*} ${_f##*/} $_s"
				done
			done
			[ "$_pause" = 0 ] || sleep "$_pause"
		done
	) >"$SCRATCH/seen" 2>/dev/null &
	WATCH=$!
	t_at_exit "kill $WATCH"
}

elements() { for f in $(re_files); do cat "$SPOOL/receipt/new/$f"; done; }

ns_po() {
	_po=$1; shift
	_rows= _sep=
	for _l in "$@"; do
		_line=${_l%%:*} _rest=${_l#*:}
		_sku=${_rest%%:*} _qty=${_rest#*:}
		printf '%s\t%s\t%s\n' "$_po" "$_line" "$_qty" >>"$SPOOL/state/polines"
		[ -n "$_sku" ] && [ "$_qty" != "?" ] || continue
		_rows="$_rows$_sep{\"externalId\":\"$_po\",\"productSku\":\"$_sku\",\"quantity\":$_qty,\"externalFacilityId\":\"116\",\"itemExternalId\":\"$_line\"}"
		_sep=,
	done
	[ -n "$_rows" ] || return 0
	printf '[%s]' "$_rows" >"$SCRATCH/upload.json"
	printf 'Authorization: Bearer %s\n' "$HOTWAX_TOKEN" >"$SCRATCH/.auth"
	curl -sf --cacert "$HOTWAX_CA" -H @"$SCRATCH/.auth" \
		-F "uploadedFile=@$SCRATCH/upload.json;type=application/json;filename=po.json" \
		-F configId=IMP_PO "${HOTWAX_URL}uploadJsonFile" >/dev/null &&
		hw_ctl POST /_sim/process >/dev/null
}

recv() {
	_r=$(hw_ctl GET /_sim/state | python3 -c '
import json, sys
d = json.load(sys.stdin)
sel = sys.argv[1]
o = [o for o in d["orders"]
     if (o["orderId"] == sel[1:] if sel.startswith("@") else o["externalId"] == sel)][0]
items = []
for a in sys.argv[2:]:
    line, q = a.split("=")
    acc, _, rej = q.partition("/")
    it = [i for i in o["items"]
          if (i["orderItemSeqId"] == line[1:] if line.startswith("#") else i["externalId"] == line)][0]
    items.append("{\"orderItemSeqId\":\"%s\",\"quantityAccepted\":%s,\"quantityRejected\":%s}"
                 % (it["orderItemSeqId"], acc, rej or "0"))
print(o["orderId"])
print("{\"facilityId\":\"F1\",\"items\":[%s]}" % ",".join(items))
' "$@") || return 1
	hw_api POST "oms/purchaseOrders/${_r%%
*}/receive" "${_r#*
}" >/dev/null
}

re_nofold() {
	touch "$SCRATCH/.nofold"
	flock "$SPOOL/state/receipt-publish.lock" \
		sh -c 'while [ -e "$1" ]; do sleep 0.2; done' - "$SCRATCH/.nofold" &
	_nofold=$!
	t_at_exit "rm -f '$SCRATCH/.nofold'; kill $_nofold"
	# taken once flock(1) holds it
	until ! flock -n "$SPOOL/state/receipt-publish.lock" true; do sleep 0.05; done
}

re_then_more() {
	ns_po "$1" 1:SKU1:100
	recv "$1" 1=1
	t_exit "a first export" 0 receipt-export
	mv "$SPOOL/receipt/new/"*.json "$SCRATCH/"
	cp "$ST" "$2"
	recv "$1" 1=2
}

re_model() {
	re_nofold
	W=$SCRATCH/want
	mkdir -p "$W"
	export SPOOL W HOTWAX_PORT HOTWAX_CA
	cat >"$SCRATCH/$1.py" || t_bail "cannot write $1.py"
	eval "$1() { PYTHONPATH=\$BED python3 \"\$SCRATCH/$1.py\" \"\$@\"; }"
}

re_folded() {
	t_is "... folds: one file waits" "$(re_files | wc -l)" 1
	t_is "... not the held one" "$(re_files | grep -c "^$1\$")" 0
	[ $# -lt 2 ] || t_is "... holding both runs' receipts" \
		"$(cat "$SPOOL/receipt/new/$(re_files)")" "$2"
}

re_files() {
	ls "$SPOOL/receipt/new" 2>/dev/null | sort
}

# rp_held [FILE] -- the names receipt-push holds: its held list
# (SPOOL/state/receipt-push.held), a notes file (common/notes.h) less its
# version line
rp_held() {
	grep -v '^# posync notes v' "${1:-$SPOOL/state/receipt-push.held}"
}

# re_totals [DIR [PART]] -- "PO LINE QTY" summed over the receipt files
# in DIR (SPOOL/receipt/new) whose names hold PART (any)
re_totals() {
	python3 - "${1:-$SPOOL/receipt/new}" "${2:-}" <<'PY'
import json, os, sys
from decimal import Decimal
tot = {}
d, part = sys.argv[1], sys.argv[2]
for f in sorted(os.listdir(d)):
    if part not in f:
        continue
    for el in json.load(open(os.path.join(d, f)), parse_float=Decimal):
        for it in el["items"]:
            k = (el["order_id"], it["line_id"])
            tot[k] = tot.get(k, Decimal(0)) + Decimal(it["quantity"])
for (po, line), q in sorted(tot.items()):
    print(po, line, format(q.normalize(), "f"))
PY
}

# netsuite_reads -- NetSuite's import reads (archives) every file waiting
# in its receipt folder $R; each read is also kept in $SCRATCH/read under
# a name of its own, so a file read twice counts twice (ns_totals [PART]:
# re_totals over those reads)
NREAD=0
netsuite_reads() {
	mkdir -p "$SCRATCH/read" "$R/archive"
	for f in "$R"/*.json; do
		[ -f "$f" ] || continue
		NREAD=$((NREAD + 1))
		cp "$f" "$SCRATCH/read/$NREAD-${f##*/}"
		mv "$f" "$R/archive/"
	done
	return 0
}
ns_totals() { mkdir -p "$SCRATCH/read"; re_totals "$SCRATCH/read" "${1:-}"; }
