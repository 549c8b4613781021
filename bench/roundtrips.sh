#!/bin/sh
# bench/roundtrips.sh -- what the two cron jobs cost over a slow link:
# wall time, SFTP and HTTPS round trips, connections and HTTP calls.
#
#   sh bench/roundtrips.sh [DELAY] [MANY]      (defaults 0.05 s, 100)
#
# Starts the real sshd and the HotWax simulator (127.0.0.1 only), each
# behind tests/bed/faultproxy.py in delay mode (DELAY seconds before every
# chunk, both ways: 2 x DELAY a round trip), and runs the crontab's jobs
# as cron would:
#   inbound   po-export-parse | po-import      with 1 CSV, MANY CSVs, none
#                                              (twice: logs left pending)
#   outbound  receipt-export | receipt-push    with 1 PO received, MANY,
#                                              none new
# Each CSV holds one PO of 5 lines (they are MANY+1 POs in HotWax then).
# "none" is the idle run every quarter hour: it should cost one
# connection and one listing per side.
#
# Counted: the proxies' connections and chunks forwarded to the server
# ("up"; a client that waits for each answer sends one chunk a round
# trip, so up is the round trips, pipelined requests counting once), and
# the HTTP calls the simulator answered.  No timing is asserted; this is
# for people.  Exits non-zero only when a job failed.
case $0 in */*) ;; *) exec sh "./$0" "$@" ;; esac
DELAY=${1:-0.05}
MANY=${2:-100}
case $MANY in ''|*[!0-9]*) echo "usage: $0 [DELAY] [MANY]" >&2; exit 64 ;; esac
. "${0%/*}/lib.sh"
bench_built po-export-parse po-import receipt-export receipt-push
W=$SCRATCH

sshd_start || { echo "sshd did not start" >&2; exit 1; }
hotwax_start || exit 1
hw_ctl POST /_sim/seed '{"products": [{"productId": "P1", "sku": "SKU1"},
	{"productId": "P2", "sku": "SKU2"}, {"productId": "P3", "sku": "SKU3"}],
	"facilities": [{"facilityId": "F116", "externalId": "116"}]}' >/dev/null || exit 1

# proxy NAME PORT -- a delaying proxy to PORT; its port in NAME_PORT
proxy() {
	_p=$(free_port)
	"$BED/faultproxy.py" --listen "$_p" --to "$2" --mode "delay:$DELAY" \
		--count "$W/$1.count" </dev/null >/dev/null 2>&1 &
	t_at_exit "kill $!"
	wait_port "$_p" || { echo "the fault proxy did not start" >&2; exit 1; }
	eval "$1_PORT=\$_p"
}
proxy sftp "$SSHD_PORT"
proxy https "$HOTWAX_PORT"
sed "s/^\[127\.0\.0\.1\]:$SSHD_PORT /[127.0.0.1]:$sftp_PORT /" \
	"$SFTP_KNOWN_HOSTS" >"$W/known_hosts"
posync_conf "sftp.port=$sftp_PORT" "sftp.known_hosts=$W/known_hosts" \
	"sftp.timeout=120" "hotwax.timeout=120" \
	"hotwax.base_url=https://127.0.0.1:$https_PORT/api/"
INBOX=$SFTP_BASE/purchaseorder/fulfillment
RDIR=$SFTP_BASE/purchaseorder/receipt
# NetSuite takes the receipt files published (else receipt-push holds the
# next one back until it has)
taken() { rm -f "$RDIR"/*.json; }

# csvs FIRST N -- N NetSuite CSVs in the inbox, one PO of 5 lines each,
# ten minutes old (settled)
csvs() {
	python3 - "$INBOX" "$1" "$2" <<'PY'
import os, sys, time
inbox, first, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
t = time.time() - 600
for i in range(first, first + n):
    rows = ["external-id,product-sku,quantity,external-facility-id,"
            "item-external-id,arrival-date"]
    rows += ["%d,SKU%d,%d,116,%d,12/24/2027" % (40000000 + i, 1 + k % 3, 2 + k, k)
             for k in range(1, 6)]
    p = os.path.join(inbox, "rt-%06d-PurchaseOrder.csv" % i)
    with open(p, "w") as f:
        f.write("\n".join(rows) + "\n")
    os.utime(p, (t, t))
PY
}

# receive FIRST N -- the store receives POs FIRST.. in full (HotWax API)
receive() {
	hw_ctl GET /_sim/state >"$W/state.json" || return 1
	python3 - "$HOTWAX_PORT" "$HOTWAX_CA" "$W/hotwax.token" "$W/state.json" \
	    "$1" "$2" <<'PY'
import http.client, json, ssl, sys
port, ca, tokfile, state, first, n = sys.argv[1:7]
tok = open(tokfile).read().strip()
c = http.client.HTTPSConnection("127.0.0.1", int(port),
                                context=ssl.create_default_context(cafile=ca))
orders = {o.get("externalId"): o for o in json.load(open(state))["orders"]}
for i in range(int(first), int(first) + int(n)):
    o = orders[str(40000000 + i)]
    items = ",".join('{"orderItemSeqId":"%s","quantityAccepted":%s,"quantityRejected":0}'
                     % (it["orderItemSeqId"], it["quantity"]) for it in o["items"])
    c.request("POST", "/api/oms/purchaseOrders/%s/receive" % o["orderId"],
              body='{"facilityId":"F116","items":[%s]}' % items,
              headers={"Content-Type": "application/json",
                       "Authorization": "Bearer " + tok})
    r = c.getresponse()
    r.read()
    if r.status >= 400:
        sys.exit("receive: HTTP %d" % r.status)
PY
}

counts() { cat "$W/sftp.count" "$W/https.count" 2>/dev/null | tr '\n' ' '; }
got() { # got NAME BEFORE AFTER -- the rise of count NAME
	awk -v k="$1" -v b="$2" -v a="$3" 'BEGIN {
		n = split(b, x, " "); for (i = 1; i < n; i += 2) if (x[i] == k) v0 += x[i + 1]
		n = split(a, y, " "); for (i = 1; i < n; i += 2) if (y[i] == k) v1 += y[i + 1]
		print v1 - v0 }'
}

# job NAME CMD -- one cron job through the proxies
job() {
	hw_ctl POST /_sim/requests/clear >/dev/null
	_s0=$(cat "$W/sftp.count" 2>/dev/null); _h0=$(cat "$W/https.count" 2>/dev/null)
	_t0=$(date +%s.%N)
	_rc=0
	sh -c "$2" >"$W/out" 2>"$W/err" || _rc=$?
	_t1=$(date +%s.%N)
	sleep 0.2	# the proxies' last chunks
	_s1=$(cat "$W/sftp.count" 2>/dev/null); _h1=$(cat "$W/https.count" 2>/dev/null)
	hw_ctl GET /_sim/requests >"$W/requests.json"
	_calls=$(hw_json 'len(d)' <"$W/requests.json")
	# what they were, for the note under the table
	hw_json '" ".join("%s %s x%d" % (k[0], k[1], n) for k, n in __import__("collections").Counter((r["method"], r["path"].split("?")[0]) for r in d).items())' \
		<"$W/requests.json" >"$W/$1.calls"
	awk -v n="$1" -v t0="$_t0" -v t1="$_t1" -v rc="$_rc" -v calls="$_calls" \
	    -v sc="$(got conns "$_s0" "$_s1")" -v su="$(got up "$_s0" "$_s1")" \
	    -v hc="$(got conns "$_h0" "$_h1")" -v hu="$(got up "$_h0" "$_h1")" 'BEGIN {
	    printf "| %-22s | %6.2f s | %2d | %5d | %2d | %5d | %5d | %d |\n",
		n, t1 - t0, sc, su, hc, hu, calls, rc }'
	if [ "$_rc" != 0 ] && [ "$_rc" != 65 ]; then
		sed 's/^/    stderr: /' "$W/err" | tail -n 20
		return 1
	fi
}

IN="po-export-parse | po-import"
OUT="receipt-export | receipt-push"
echo "delay $DELAY s each way per chunk ($(uname -sm), $(nproc) CPUs)"
echo "| job | wall | SFTP conns | SFTP round trips | HTTPS conns | HTTPS round trips | HTTP calls | exit |"
echo "|---|---|---|---|---|---|---|---|"
csvs 0 1
job "inbound, 1 file" "$IN" || exit 1
csvs 1 "$MANY"
job "inbound, $MANY files" "$IN" || exit 1
# the next run follows the logs still pending when log_wait ended; the
# one after is idle
job "inbound, next run" "$IN" || exit 1
job "inbound, idle" "$IN" || exit 1
receive 0 1 || exit 1
job "outbound, 1 PO" "$OUT" || exit 1
taken
receive 1 "$MANY" || exit 1
job "outbound, $MANY POs" "$OUT" || exit 1
taken
job "outbound, idle" "$OUT" || exit 1
echo
echo "HTTP calls of the idle runs:"
for f in "$W"/*idle.calls; do echo "  ${f##*/}: $(cat "$f")"; done
