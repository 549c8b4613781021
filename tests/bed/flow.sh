# tests/bed/flow.sh -- the whole posync cycle on the local test bed, shared
# by `make demo` (tests/demo.sh) and the end-to-end test.
#
# Source after lib.sh, sshd.sh, hotwax.sh and posync.sh.  flow_start
# brings up the real sshd, the HotWax simulator and a NetSuite simulator
# state, seeds HotWax's catalog for the given POs and writes posync.conf.
# The two crontab jobs are taken from crontab.example and run as cron
# would run them, with the built programs first on PATH.

NS_STATE=$SCRATCH/netsuite.json

ns() { python3 "$BED/netsuite-sim.py" --state "$NS_STATE" "$@"; }

# flow_start POS.json [SKU] -- servers, catalog (every SKU and facility of
# the POs, but SKU when given: its lines never reach HotWax), NetSuite's
# POs loaded, posync.conf written.
flow_start() {
	sshd_start || return 1
	hotwax_start || return 1
	hw_ctl POST /_sim/seed "$(python3 - "$1" "${2:-}" <<'PY'
import json, sys
pos = json.load(open(sys.argv[1]))
skus = sorted({l["sku"] for p in pos for l in p["lines"]} - {sys.argv[2]})
facs = sorted({p["facility"] for p in pos})
print(json.dumps({
    "products": [{"productId": "PROD%05d" % i, "sku": s} for i, s in enumerate(skus)],
    "facilities": [{"facilityId": "STORE_" + f, "externalId": f} for f in facs]}))
PY
)" >/dev/null || return 1
	ns load "$1" >/dev/null || return 1
	posync_conf
	t_at_exit flow_stop
}

# flow_pos FILE "PO FACILITY LINE:SKU:QTY..." ... -- a POs file for
# flow_start and `ns load`: each PO at its facility, no arrival date.
flow_pos() {
	_f=$1; shift
	python3 - "$@" >"$_f" <<'PY'
import json, sys
pos = [{"id": w[0], "facility": w[1], "arrival": "",
        "lines": [dict(zip(("line_id", "sku", "quantity"), l.split(":", 2)))
                  for l in w[2:]]}
       for w in (a.split() for a in sys.argv[1:])]
json.dump(pos, sys.stdout, indent=1)
PY
}

# flow_up POS.json [SKU] -- flow_start (the file stops, "Bail out!", when
# a server does not start), then NetSuite exports the POs, two minutes old.
flow_up() {
	flow_start "$@" || t_bail "servers did not start"
	ns export --age 120 >/dev/null
}

# flow_stop -- stop the sshd (with its sessions) and the HotWax simulator,
# by the pids their start functions recorded, and wait until both are gone.
flow_stop() {
	_fs=0
	sshd_stop || _fs=1
	if [ -n "${HOTWAX_PID:-}" ]; then
		kill "$HOTWAX_PID" 2>/dev/null
		_n=0
		while kill -0 "$HOTWAX_PID" 2>/dev/null && [ $_n -lt 100 ]; do
			sleep 0.05; _n=$((_n + 1))
		done
		! kill -0 "$HOTWAX_PID" 2>/dev/null || _fs=1
	fi
	return $_fs
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
# flow_receive_at FACILITY PO LINE:... -- the same, FACILITY's store,
# without asking NetSuite for the PO's facility (keeps rounds short).
flow_receive() {
	_po=$1; shift
	_fac=$(ns show --po "$_po" | python3 -c 'import json,sys; print(json.load(sys.stdin)["facility"])')
	flow_receive_at "$_fac" "$_po" "$@"
}
flow_receive_at() {
	_fac=$1 _po=$2; shift 2
	python3 "$BED/store.py" --url "$HOTWAX_URL" --ca "$HOTWAX_CA" \
		--token-file "$SCRATCH/hotwax.token" --facility "STORE_$_fac" --po "$_po" "$@" >/dev/null
}

# flow_three_pos BASE PREFIX -- the three POs of the outbound soak tests,
# taken in (the inbound run, one check: the unknown SKU's row refused,
# exit 65): BASE1 two big lines (PREFIX-1, PREFIX-2, 1000 each), BASE2
# one line of 10 (PREFIX-3), BASE3 a line of 100 (PREFIX-4) and one that
# never reaches HotWax (NOT-IN-HOTWAX, 5).  R is the receipt folder on
# this host, SP the spool's receipt/.
flow_three_pos() {
	flow_pos "$SCRATCH/pos.json" \
		"${1}1 116 1:$2-1:1000 2:$2-2:1000" \
		"${1}2 116 1:$2-3:10" \
		"${1}3 116 1:$2-4:100 2:NOT-IN-HOTWAX:5"
	flow_up "$SCRATCH/pos.json" NOT-IN-HOTWAX
	t_exit "inbound (the unknown SKU's row refused: 65)" 65 flow_inbound
	R=$SFTP_BASE/purchaseorder/receipt
	SP=$SCRATCH/spool/receipt
	mkdir -p "$R"
}

# flow_round POS.json N -- receive round N (1, 2, ...) of the POs' plan:
# each PO's "receive" list holds, per round, "LINE:ACCEPTED[:REJECTED] ..."
# (empty: nothing that round).  Says what was received, in words, on
# stdout.
flow_round() {
	python3 - "$1" "$2" <<'PY' >"$SCRATCH/round" || return 1
import json, sys
for p in json.load(open(sys.argv[1])):
    r = p.get("receive", [])
    n = int(sys.argv[2]) - 1
    if n < len(r) and r[n].strip():
        print(p["id"], r[n])
PY
	while read -r _po _specs; do
		flow_receive "$_po" $_specs </dev/null || return 1
		printf '%s\n' $_specs | awk -F: -v po="$_po" '
			{ s = s (NR > 1 ? "; " : "") "line " $1 " accepted " $2
			  if ($3 != "" && $3 != 0) s = s ", rejected " $3 }
			END { print "PO " po ": " s }'
	done <"$SCRATCH/round"
}

# flow_rounds POS.json -- how many receiving rounds the plan has.
flow_rounds() {
	python3 -c 'import json,sys; print(max([len(p.get("receive", [])) for p in json.load(open(sys.argv[1]))] + [0]))' "$1"
}

# flow_mismatch -- "PO LINE netsuite N hotwax M" for each line whose
# quantity received in NetSuite is not what HotWax accepted (hidden
# receipts included): nothing at all when the two books agree.
flow_mismatch() {
	flow_table -json >"$SCRATCH/table"
	python3 - "$SCRATCH/table" <<'PY'
import json, sys
from decimal import Decimal
for l in open(sys.argv[1]):
    r = json.loads(l)
    if Decimal(str(r["netsuite"])) != Decimal(str(r["hotwax"])):
        print(r["po"], r["line"], "netsuite", r["netsuite"], "hotwax", r["hotwax"])
PY
}

# flow_table MODE [NS_BEFORE] -- per PO line: ordered, accepted in HotWax,
# received in NetSuite, status; as JSON lines for tests (-json), a table
# (-t, with "before -> now" statuses given an earlier `ns show`), or a
# check that every PO is Received with what HotWax accepted (-check).
flow_table() {
	hw_ctl GET /_sim/state >"$SCRATCH/hw-state.json"
	ns show >"$SCRATCH/ns-state.json"
	python3 "$BED/account.py" "$SCRATCH/ns-state.json" "$SCRATCH/hw-state.json" "$@"
}
