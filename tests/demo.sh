#!/bin/sh
# make demo -- the whole posync cycle against local servers, told as it goes.
#
# A real OpenSSH sshd, the HotWax simulator (HTTPS, throwaway CA) and the
# NetSuite simulator run in a scratch folder; the programs run exactly as
# the crontab in crontab.example runs them, with the same config keys a
# user writes.  Every server is stopped by pid at the end.  Exit 0 only if
# every PO ends Received in NetSuite with what HotWax accepted.
#
# POSYNC_DEMO_DATA names another PO file (default tests/data/demo-pos.json):
# NetSuite's POs, each with its "receive" plan, one "LINE:ACCEPTED[:REJECTED]
# ..." string per receiving round.
. "${0%/*}/lib.sh"
. "$BED/sshd.sh"
. "$BED/hotwax.sh"
. "$BED/posync.sh"
. "$BED/flow.sh"

say() { printf '\n== %s\n' "$*"; }
die() { echo "demo: $*" >&2; exit 1; }
indent() { sed 's/^/  /'; }

# cron_run JOB -- run a crontab job, and show what cron would mail
cron_run() {
	say "cron runs: $(cron_job "$1")"
	"flow_$2" >"$SCRATCH/mail" 2>&1; _s=$?
	if [ -s "$SCRATCH/mail" ]; then
		echo "  it printed (cron would mail this):"; indent <"$SCRATCH/mail"
	else
		echo "  it printed nothing, so cron mails nothing (exit status $_s)"
	fi
	[ $_s = 0 ] || die "the $2 job failed (exit status $_s)"
}

DATA=${POSYNC_DEMO_DATA:-$TOP/tests/data/demo-pos.json}
[ -r "$DATA" ] || die "$DATA: cannot read the demo's POs"

say "Starting a local SFTP server (OpenSSH), HotWax and NetSuite simulators"
flow_start "$DATA" || die "the test servers did not start"
echo "  sshd (pid $SSHD_PID) on 127.0.0.1:$SSHD_PORT, HotWax simulator (pid $HOTWAX_PID) at $HOTWAX_URL"
echo "  The posync.conf a user would write (here the SFTP user is you, and every"
echo "  file, NetSuite's SFTP folders too, lives in the scratch folder $SCRATCH):"
sed 's/^/    /' "$POSYNC_CONFIG"

say "NetSuite exports its pending POs as a CSV file on SFTP"
ns export --age 120 | sed 's/^/  wrote /'
ns show >"$SCRATCH/ns-before.json"
python3 -c 'import json,sys; p=json.load(open(sys.argv[1]))["pos"]; print("  %d POs, %d lines, NetSuite status: %s" % (len(p), sum(len(x["lines"]) for x in p), ", ".join(sorted(set(x["status"] for x in p)))))' "$SCRATCH/ns-before.json"

cron_run po-export-parse inbound
hw_ctl GET /_sim/state | hw_json '"  HotWax now holds %d POs with %d lines, ready in its Receiving app" % (len(d["orders"]), sum(len(o["items"]) for o in d["orders"]))'

rounds=$(flow_rounds "$DATA") || die "$DATA: no receiving plan"
r=1
while [ "$r" -le "$rounds" ]; do
	if [ "$r" = 1 ]; then
		say "Round 1: store associates receive in HotWax (some lines in part, some goods rejected)"
	else
		say "Round $r: the rest arrives and is received in HotWax"
	fi
	flow_round "$DATA" "$r" >"$SCRATCH/said" || die "receiving round $r in HotWax failed"
	indent <"$SCRATCH/said"
	[ -s "$SCRATCH/said" ] || echo "  (nothing this round)"
	cron_run receipt-export outbound
	say "NetSuite's scheduled script imports the receipt file into Item Receipts"
	ns import >"$SCRATCH/imported" || die "NetSuite's import failed"
	awk -F'\t' '{ sub(/^received=/, "", $2); sub(/^failed=/, "", $3)
		printf "  %s: %s POs received, %s failed%s\n", $1, $2, $3, ($4 ? " (" $4 ")" : "") }' \
		"$SCRATCH/imported"
	if [ "$r" -lt "$rounds" ]; then
		say "The account so far"
		flow_table -t "$SCRATCH/ns-before.json"
	fi
	r=$((r + 1))
done

say "The account: each PO, its lines, and NetSuite's status before -> after"
flow_table -t "$SCRATCH/ns-before.json"
flow_table -check 2>"$SCRATCH/check"; ok=$?

say "An operator asks posync-status: is the sync healthy? (a Nagios check)"
posync-status >"$SCRATCH/status" 2>&1; st=$?
indent <"$SCRATCH/status"
echo "  (exit status $st: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN)"
po=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pos"][0]["id"])' \
	"$SCRATCH/ns-before.json")
say "... and where PO $po went: posync-status $po"
posync-status "$po" 2>&1 | indent

say "Stopping the servers"
if flow_stop; then
	echo "  sshd (pid $SSHD_PID) and the HotWax simulator (pid $HOTWAX_PID) stopped"
else
	echo "  a server would not stop" >&2; ok=1
fi

if [ "$ok" = 0 ]; then
	say "Done: every PO is Received in NetSuite with exactly what HotWax accepted."
	exit 0
fi
echo >&2
echo "demo: these PO lines did not reach the expected state (Received, with what HotWax accepted):" >&2
sed 's/^/demo:   /' "$SCRATCH/check" >&2
exit 1
