# tests/bed/flow.sh -- the whole posync cycle on the local test bed, shared
# by `make demo` (tests/demo.sh) and the end-to-end test.
#
# Source after lib.sh, sshd.sh, hotwax.sh and posync.sh.  flow_start
# brings up the real sshd, the HotWax simulator and a NetSuite simulator
# state, seeds HotWax's catalog for the given POs and writes posync.conf.
# The two crontab jobs are taken from crontab.example and run as cron
# would run them, with the built programs first on PATH.

NS_STATE=$SCRATCH/netsuite.json

ns() { python3 "$BED/netsuite-sim.py" --state "$NS_STATE" --root "$SFTP_ROOT" "$@"; }

# flow_start POS.json -- servers, catalog (every SKU and facility of the
# POs), NetSuite's POs loaded, posync.conf written.
flow_start() {
	sshd_start || return 1
	hotwax_start || return 1
	hw_ctl POST /_sim/seed "$(python3 - "$1" <<'PY'
import json, sys
pos = json.load(open(sys.argv[1]))
skus = sorted({l["sku"] for p in pos for l in p["lines"]})
facs = sorted({p["facility"] for p in pos})
print(json.dumps({
    "products": [{"productId": "PROD%05d" % i, "sku": s} for i, s in enumerate(skus)],
    "facilities": [{"facilityId": "STORE_" + f, "externalId": f} for f in facs]}))
PY
)" >/dev/null || return 1
	ns load "$1" >/dev/null || return 1
	posync_conf
}

# The command of the crontab.example job that runs PROGRAM.
cron_job() {
	awk -v p="$1" '!/^[ \t]*#/ && NF > 5 && index($0, p) {
		for (i = 1; i <= 5; i++) $i = ""; sub(/^ +/, ""); print; exit }' \
		"$TOP/crontab.example" | sed 's#/usr/local/bin/##g'
}

# flow_inbound / flow_outbound -- run the crontab's jobs as cron would.
flow_inbound()  { sh -c "$(cron_job po-export-parse)"; }
flow_outbound() { sh -c "$(cron_job receipt-export)"; }

# flow_receive PO LINE:ACCEPTED[:REJECTED]... -- the store associate.
flow_receive() {
	_po=$1; shift
	_fac=$(ns show --po "$_po" | python3 -c 'import json,sys; print(json.load(sys.stdin)["facility"])')
	python3 "$BED/store.py" --url "$HOTWAX_URL" --ca "$HOTWAX_CA" \
		--token-file "$SCRATCH/hotwax.token" --facility "STORE_$_fac" --po "$_po" "$@" >/dev/null
}

# flow_table -- per PO line: ordered, accepted in HotWax, received in
# NetSuite, status; as JSON lines for tests, or a table with -t.
flow_table() {
	hw_ctl GET /_sim/state >"$SCRATCH/hw-state.json"
	ns show >"$SCRATCH/ns-state.json"
	python3 "$BED/account.py" "$SCRATCH/ns-state.json" "$SCRATCH/hw-state.json" "$@"
}
