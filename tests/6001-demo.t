#!/bin/sh
# 6001-demo -- `make demo` (tests/demo.sh) tells the truth and cleans up.
#
# The demo runs three times, each with its scratch folder inside ours
# (TMPDIR): as shipped, it exits 0 and its final account matches what the
# data file ordered and planned to receive, computed here independently; with
# a plan that leaves a line unreceived, it exits non-zero naming that line;
# with a plan HotWax cannot carry out, it stops early, non-zero.  Each time,
# every server it started is gone when it returns: no process mentions its
# scratch folder, its pids are dead, nothing accepts on its ports.
. "${0%/*}/lib.sh"

DATA=$TOP/tests/data/demo-pos.json

# demo NAME [DATA] -- run the demo, output in $SCRATCH/NAME.out/.err, status
# in $SCRATCH/NAME.rc
demo() {
	mkdir -p "$SCRATCH/$1"
	TMPDIR=$SCRATCH/$1 POSYNC_DEMO_DATA=${2:-$DATA} \
		sh "$TOP/tests/demo.sh" >"$SCRATCH/$1.out" 2>"$SCRATCH/$1.err" </dev/null
	echo $? >"$SCRATCH/$1.rc"
}

# left NAME -- nothing the demo started is left: processes naming its
# scratch folder, its servers' pids, their listening ports
left() {
	_o=$SCRATCH/$1.out
	_pids=$(sed -n 's/.*sshd (pid \([0-9]*\)) on .*HotWax simulator (pid \([0-9]*\)).*/\1 \2/p' "$_o")
	_ports=$(sed -n 's/.*on 127\.0\.0\.1:\([0-9]*\), HotWax.*127\.0\.0\.1:\([0-9]*\)\/api.*/\1 \2/p' "$_o")
	t_like "$1: the demo said which servers it started" "$_pids $_ports" '^[0-9]+ [0-9]+ [0-9]+ [0-9]+$'
	t_is "$1: no process mentions the demo's scratch folder" \
		"$(pgrep -af "$SCRATCH/$1/posync-test")" ""
	_alive=
	for _p in $_pids; do kill -0 "$_p" 2>/dev/null && _alive="$_alive $_p"; done
	t_is "$1: the servers' pids are gone" "$_alive" ""
	_open=
	for _p in $_ports; do
		python3 -c 'import socket, sys
sys.exit(socket.socket().connect_ex(("127.0.0.1", int(sys.argv[1]))) != 0)' "$_p" &&
			_open="$_open $_p"
	done
	t_is "$1: nothing listens on the servers' ports" "$_open" ""
	t_is "$1: the demo's scratch folder is removed" "$(ls "$SCRATCH/$1")" ""
}

# --- as shipped -------------------------------------------------------------

demo shipped
t_is "the demo exits 0" "$(cat "$SCRATCH/shipped.rc")" 0
[ "$(cat "$SCRATCH/shipped.rc")" = 0 ] || sed 's/^/# /' "$SCRATCH/shipped.err" | tail -n 20
t_is "the demo prints nothing on stderr" "$(cat "$SCRATCH/shipped.err")" ""
t_like "it ends saying every PO is Received" "$(tail -n 1 "$SCRATCH/shipped.out")" \
	'^== Done: every PO is Received'
t_like "it shows the crontab's two jobs" "$(grep '^== cron runs' "$SCRATCH/shipped.out" | sort -u)" \
	'po-export-parse \| po-import'
t_like "...both of them" "$(grep '^== cron runs' "$SCRATCH/shipped.out")" \
	'receipt-export \| receipt-push'

# posync-status as an operator runs it: healthy after a whole cycle, and a
# trace of the data file's first PO from its CSV line to its receipt files
po1=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["id"])' "$DATA")
t_like "posync-status says the sync is healthy" \
	"$(grep -A1 '^== An operator asks posync-status' "$SCRATCH/shipped.out" | tail -n 1)" '^  POSYNC OK - '
t_like "... with exit status 0" "$(cat "$SCRATCH/shipped.out")" '\(exit status 0: 0 OK'
sed -n "/^== \.\.\. and where PO $po1 went/,/^== /p" "$SCRATCH/shipped.out" >"$SCRATCH/trace"
t_like "the trace shows PO $po1's CSV lines" "$(cat "$SCRATCH/trace")" "^  $po1 +csv +po/raw/"
t_like "... its batch and HotWax log" "$(cat "$SCRATCH/trace")" "^  $po1 +batch +po/cur/.* HotWax log "
t_like "... and the receipt files it went to NetSuite in" "$(cat "$SCRATCH/trace")" \
	"^  $po1 +receipt +receipt/cur/posync_PurchaseOrderReceiptFeed_.* published to NetSuite"

# The final account, against the data file: each PO Pending -> Received,
# each line with its ordered quantity, HotWax's accepted (and rejected) sum
# of the plan, NetSuite's received equal to the accepted sum.
want=$(python3 - "$DATA" <<'PY'
import json, sys
from decimal import Decimal
for p in json.load(open(sys.argv[1])):
    print("PO %s (location %s), NetSuite status: Pending -> Received" % (p["id"], p["facility"]))
    acc, rej = {}, {}
    for rnd in p.get("receive", []):
        for spec in rnd.split():
            f = spec.split(":")
            acc[f[0]] = acc.get(f[0], Decimal(0)) + Decimal(f[1])
            if len(f) > 2:
                rej[f[0]] = rej.get(f[0], Decimal(0)) + Decimal(f[2])
    for ln in p["lines"]:
        a = format(acc.get(ln["line_id"], Decimal(0)).normalize(), "f")
        r = rej.get(ln["line_id"], Decimal(0))
        hw = a + (" (%s rejected)" % format(r.normalize(), "f") if r else "")
        print(" ".join([ln["line_id"], ln["sku"][:18], ln["quantity"], hw, a]))
PY
)
got=$(sed -n '/^== The account: each PO/,/^== /p' "$SCRATCH/shipped.out" |
	sed '1d;$d' | sed '/^ *line  SKU/d;/^$/d' | sed 's/^ *//; s/  */ /g; s/ *$//')
t_is "the final account shows every PO and line as the data file says" "$got" "$want"
t_like "the account so far shows a PO partly received" \
	"$(sed -n '/^== The account so far/,/^== /p' "$SCRATCH/shipped.out")" \
	'NetSuite status: Pending -> Partially Received'
t_like "the account shows a PO still Pending half-way" \
	"$(sed -n '/^== The account so far/,/^== /p' "$SCRATCH/shipped.out")" \
	'NetSuite status: Pending -> Pending'
t_like "the config it shows names the SFTP host's known_hosts" "$(cat "$SCRATCH/shipped.out")" \
	'^    known_hosts = /'
t_like "...and NetSuite's folders, in the demo's scratch folder" "$(cat "$SCRATCH/shipped.out")" \
	"^    po_dir = $SCRATCH/shipped/posync-test\\.[^/]+/sftp/netsuite/purchaseorder/fulfillment\$"
t_like "...and HotWax's base_url" "$(cat "$SCRATCH/shipped.out")" '^    base_url = https://127\.0\.0\.1:'
left shipped

# --- a PO that cannot complete: its last line is never received -------------

python3 - "$DATA" "$SCRATCH/short.json" <<'PY'
import json, sys
pos = json.load(open(sys.argv[1]))
p = pos[-1]
p["receive"] = [" ".join(s for s in r.split() if not s.startswith(p["lines"][-1]["line_id"] + ":"))
                for r in p["receive"]]
json.dump(pos, open(sys.argv[2], "w"))
PY
last=$(python3 -c 'import json,sys; p=json.load(open(sys.argv[1]))[-1]; print(p["id"], p["lines"][-1]["line_id"])' "$DATA")
demo short "$SCRATCH/short.json"
t_is "a PO left part received: the demo exits 1" "$(cat "$SCRATCH/short.rc")" 1
t_like "...naming the PO line that fell short" "$(cat "$SCRATCH/short.err")" \
	"PO ${last% *} line ${last#* }: NetSuite received 0, HotWax accepted 0 of [0-9.]+, status Partially Received"
t_like "...and its account shows it Partially Received" "$(cat "$SCRATCH/short.out")" \
	"PO ${last% *} .*Pending -> Partially Received"
t_true "...and it does not claim success" -z "$(grep '^== Done' "$SCRATCH/short.out")"
left short

# --- a plan HotWax cannot carry out: the demo stops at once -----------------

python3 - "$DATA" "$SCRATCH/bad.json" <<'PY'
import json, sys
pos = json.load(open(sys.argv[1]))
pos[0]["receive"][0] += " 99:1"
json.dump(pos, open(sys.argv[2], "w"))
PY
demo bad "$SCRATCH/bad.json"
t_is "a receipt HotWax refuses: the demo exits 1" "$(cat "$SCRATCH/bad.rc")" 1
t_like "...saying which step failed" "$(cat "$SCRATCH/bad.err")" 'demo: receiving round 1 in HotWax failed'
left bad

t_done
