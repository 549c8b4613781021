#!/bin/sh
# bench/receipt-bench.sh -- how fast receipt-export turns many HotWax
# receipts into one NetSuite receipt file, and how much memory it needs.
#
#   sh bench/receipt-bench.sh [POS] [LINES]       (defaults 2000, 5)
#
# Starts the HotWax simulator (tests/bed/hotwax-sim.py, throwaway CA, on
# 127.0.0.1 only), uploads POS purchase orders of LINES lines each through
# the API (uploadJsonFile, a few big uploads), receives every line with the
# receive call (one call per PO: POS*LINES receipts), writes the polines
# ledger for those lines, then runs `receipt-export` once (first run, no
# state: it exports every receipt) and prints its wall time, CPU time,
# peak RSS (/usr/bin/time, or getrusage of the child), receipts per second,
# HTTP calls made and the size of the file it wrote.
#
# For scale, two peers:
#   - the simulator's own CPU time while it answered those calls: the
#     client cannot finish faster than the server answers, so when that is
#     close to the wall time the server, not receipt-export, is the limit;
#   - a naive Python client (no state, no journal, no fsync) that pages the
#     same performFind queries and builds the same elements; its output is
#     checked to hold the same elements as receipt-export's.
# Run it at two sizes (e.g. POS 400 and 2000) to see what grows with N.
# BEFORE=PROGRAM also runs another build (an earlier revision) on a copy
# of the same spool and checks its file and state are the same; PEER=0
# leaves the naive peer out; RECEIPT_EXPORT=PROGRAM measures another build.
# No timing is asserted anywhere; this is for people.
case $0 in */*) ;; *) exec sh "./$0" "$@" ;; esac
POS=${1:-2000}
LINES=${2:-5}
case $POS$LINES in *[!0-9]*) echo "usage: $0 [POS] [LINES]" >&2; exit 64 ;; esac
[ "$POS" -ge 1 ] && [ "$LINES" -ge 1 ] && [ "$LINES" -le 200 ] ||
	{ echo "usage: $0 [POS >= 1] [LINES 1..200]" >&2; exit 64; }
# lib.sh gives TOP, BED, a scratch directory removed on exit, a cleanup
# list (t_at_exit) and free_port/wait_port; nothing here prints TAP.
. "${0%/*}/../tests/lib.sh"
. "$BED/hotwax.sh"
. "$BED/posync.sh"
# no set -e: lib.sh's exit trap is not written for it; steps check themselves
RE=${RECEIPT_EXPORT:-$TOP/receipt-export/receipt-export}	# another build: for a before/after
[ -x "$RE" ] || { echo "build first: make" >&2; exit 1; }
W=$SCRATCH
N=$((POS * LINES))

# the simulator, started here so its pid is the process whose CPU we read
hotwax_certs "$W/hotwax" || exit 1
HOTWAX_CA=$W/hotwax/ca.pem
HOTWAX_PORT=$(free_port)
"$HOTWAX_PYTHON" "$BED/hotwax-sim.py" --port "$HOTWAX_PORT" \
	--cert "$W/hotwax/server.pem" --key "$W/hotwax/server.key" \
	</dev/null >"$W/sim.log" 2>&1 &
HOTWAX_PID=$!
t_at_exit "kill $HOTWAX_PID"
HOTWAX_URL=https://127.0.0.1:$HOTWAX_PORT/api/
export HOTWAX_CA HOTWAX_PORT HOTWAX_PID HOTWAX_URL
wait_port "$HOTWAX_PORT" 10 && hw_ctl GET /_sim/config >/dev/null || {
	echo "the simulator did not start; its log:" >&2
	cat "$W/sim.log" >&2
	exit 1
}
posync_conf "hotwax.timeout = 60"	# seeds an API token into the simulator
mkdir -p "$W/spool/state" || exit 1

# Seed: one Python process, one keep-alive connection.
cat >"$W/seed.py" <<'PY'
import http.client, json, socket, ssl, sys, time
port, ca, tokfile, polines, npo, nl = sys.argv[1:7]
npo, nl = int(npo), int(nl)
tok = open(tokfile).read().strip()
ctx = ssl.create_default_context(cafile=ca)
c = http.client.HTTPSConnection("127.0.0.1", int(port), context=ctx, timeout=3600)	# a busy machine: 100000 lines take minutes
def call(method, path, body=b"", ctype="application/json", auth=False):
    h = {"Content-Type": ctype}
    if auth:
        h["Authorization"] = "Bearer " + tok
    c.request(method, path, body=body, headers=h)
    # The simulator writes a response's headers and body separately: without
    # a quick ACK, Nagle on its side waits for our delayed ACK, 40 ms a call.
    c.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
    r = c.getresponse()
    data = r.read()
    if r.status >= 400:
        sys.exit("seed: %s %s: HTTP %d %s" % (method, path, r.status, data[:300]))
    return json.loads(data)

def ordered(i, k):       # the ordered quantity of PO i, line k (1-based)
    return "7.25" if k == nl and i % 3 == 0 else str(4 + (i + k) % 9)

def received(i, k):      # (accepted, rejected) received on that line
    m = (i + k) % 4
    if m == 0:
        return ordered(i, k), "0"     # the whole line
    if m == 1:
        return "1", "1"
    if m == 2:
        return "0.5", "0"
    return "0", "2"                   # rejected goods only

def po_id(i):
    return str(30000000 + i)

t0 = time.monotonic()
call("POST", "/_sim/seed", json.dumps({
    "products": [{"productId": "P%d" % s, "sku": "SKU%d" % s} for s in range(1, 6)],
    "facilities": [{"facilityId": "F1", "externalId": "116"}]}).encode())
call("POST", "/_sim/config", b'{"hold_processing": true}')
rows = [{"externalId": po_id(i), "productSku": "SKU%d" % (1 + (i + k) % 5),
         "quantity": "@Q%s@" % ordered(i, k), "externalFacilityId": "116",
         "itemExternalId": str(k), "arrivalDate": "12/24/2027"}
        for i in range(npo) for k in range(1, nl + 1)]
CHUNK = 5000
B = "posyncbenchboundary"
for s in range(0, len(rows), CHUNK):
    # quantities as JSON numbers, written exactly
    data = json.dumps(rows[s:s + CHUNK]).replace('"@Q', "").replace('@"', "")
    body = ("--%s\r\nContent-Disposition: form-data; name=\"configId\"\r\n\r\n"
            "IMP_PO\r\n--%s\r\nContent-Disposition: form-data; "
            "name=\"uploadedFile\"; filename=\"po.json\"\r\n"
            "Content-Type: application/json\r\n\r\n%s\r\n--%s--\r\n"
            % (B, B, data, B)).encode()
    call("POST", "/api/uploadJsonFile", body,
         "multipart/form-data; boundary=" + B, auth=True)
call("POST", "/_sim/process")
st = call("GET", "/_sim/state")
bad = [l for l in st["logs"] if l["statusId"] != "SERVICE_FINISHED" or l["failedRecordCount"]]
if bad:
    sys.exit("seed: uploads failed: %s" % json.dumps(bad)[:600])
orders = {o["externalId"]: o for o in st["orders"]}
if len(orders) != npo:
    sys.exit("seed: %d orders in the simulator, wanted %d" % (len(orders), npo))
t1 = time.monotonic()
for i in range(npo):
    o = orders[po_id(i)]
    items = []
    for it in o["items"]:
        acc, rej = received(i, int(it["externalId"]))
        items.append('{"orderItemSeqId":"%s","quantityAccepted":%s,"quantityRejected":%s}'
                     % (it["orderItemSeqId"], acc, rej))
    call("POST", "/api/oms/purchaseOrders/%s/receive" % o["orderId"],
         ('{"facilityId":"F1","items":[%s]}' % ",".join(items)).encode(), auth=True)
t2 = time.monotonic()
with open(polines, "a") as f:
    for i in range(npo):
        for k in range(1, nl + 1):
            f.write("%s\t%d\t%s\n" % (po_id(i), k, ordered(i, k)))
call("POST", "/_sim/requests/clear")
print("seeded in %.1f s: %d POs x %d lines uploaded in %d call(s) (%.1f s), "
      "%d receive calls (%.1f s)" % (time.monotonic() - t0, npo, nl,
      (len(rows) + CHUNK - 1) // CHUNK, t1 - t0, npo, t2 - t1))
PY
python3 "$W/seed.py" "$HOTWAX_PORT" "$HOTWAX_CA" "$W/hotwax.token" \
	"$W/spool/state/polines" "$POS" "$LINES" || exit 1

# The naive peer: the same queries, no state, the same elements.
cat >"$W/peer.py" <<'PY'
import http.client, json, ssl, sys
from decimal import Decimal as D
url_port, ca, tokfile, polines, out = sys.argv[1:6]
tok = open(tokfile).read().strip()
c = http.client.HTTPSConnection("127.0.0.1", int(url_port),
                                context=ssl.create_default_context(cafile=ca), timeout=60)
def find(entity, inputs, fields, order_by):
    page = 0
    while True:
        body = json.dumps({"entityName": entity, "inputFields": inputs, "fieldList": fields,
                           "orderBy": order_by, "viewSize": 250, "viewIndex": page,
                           "noConditionFind": "Y"})
        c.request("POST", "/api/performFind", body=body,
                  headers={"Content-Type": "application/json", "Authorization": "Bearer " + tok})
        r = c.getresponse()
        d = json.loads(r.read(), parse_float=D)
        if r.status != 200 or "docs" not in d:
            sys.exit("peer: performFind %s: HTTP %d" % (entity, r.status))
        yield from d["docs"]
        if len(d["docs"]) < 250 or (page + 1) * 250 >= d["count"]:
            return
        page += 1
def chunks(ids):
    ids = sorted(ids)
    for i in range(0, len(ids), 100):
        yield {"orderId": ids[i:i + 100], "orderId_op": "in"}
rc = list(find("ShipmentReceiptAndItem",
               {"datetimeReceived": 0, "datetimeReceived_op": "greaterThanEqualTo"},
               ["receiptId", "orderId", "orderItemSeqId", "quantityAccepted",
                "quantityRejected", "datetimeReceived"], "datetimeReceived,receiptId"))
ext = {}
for q in chunks({r["orderId"] for r in rc}):
    for h in find("OrderHeader", q, ["orderId", "externalId", "orderTypeId"], "orderId"):
        if h.get("orderTypeId") == "PURCHASE_ORDER" and h.get("externalId"):
            ext[h["orderId"]] = h["externalId"]
line = {}
for q in chunks(ext):
    for it in find("OrderItem", q, ["orderId", "orderItemSeqId", "externalId", "quantity"],
                   "orderId,orderItemSeqId"):
        line[(it["orderId"], it["orderItemSeqId"])] = it["externalId"]
acc = {}
for r in rc:
    if r["orderId"] in ext:
        k = (ext[r["orderId"]], line[(r["orderId"], r["orderItemSeqId"])])
        acc[k] = acc.get(k, D(0)) + D(r["quantityAccepted"])
pos = {po for po, _ in acc}
ordered = {}                    # PO -> {line: ordered}, the last record wins
for l in open(polines):
    po, ln, q = l.rstrip("\n").split("\t")
    if po in pos:
        ordered.setdefault(po, {})[ln] = q
els = []
for po in sorted(pos):
    items = []
    for ln, q in sorted(ordered.get(po, {}).items()):
        items.append({"line_id": ln, "quantity": min(acc.get((po, ln), D(0)), D(q))})
    if any(i["quantity"] > 0 for i in items):
        els.append({"order_id": po, "items": items})
with open(out, "w") as f:   # numbers as floats: a reference, not NetSuite's file
    json.dump(els, f, separators=(",", ":"), default=float)
PY

clk=$(getconf CLK_TCK)
sim_cpu() { awk -v t="$clk" '{ printf "%.2f", ($14 + $15) / t }' "/proc/$HOTWAX_PID/stat"; }
requests() { hw_ctl GET /_sim/requests | hw_json 'len(d)'; }

# The fallback timer, when there is no /usr/bin/time: getrusage of the child.
cat >"$W/rusage.py" <<'PY'
import os, sys, time
out, cmd = sys.argv[1], sys.argv[2:]
t = time.monotonic()
pid = os.fork()
if pid == 0:
    os.execvp(cmd[0], cmd)
_, status, ru = os.wait4(pid, 0)
with open(out, "w") as f:
    f.write("%.2f %d %.2f %.2f\n" % (time.monotonic() - t, ru.ru_maxrss,
                                     ru.ru_utime, ru.ru_stime))
sys.exit(os.waitstatus_to_exitcode(status))
PY

# measure NAME CMD... -- wall, CPU and peak RSS of CMD alone, the HTTP calls
# it made and the simulator's CPU meanwhile.  stdout in $W/out, stderr in $W/err.
measure() {
	_name=$1; shift
	hw_ctl POST /_sim/requests/clear >/dev/null
	_s0=$(sim_cpu)
	_rc=0
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%e %M %U %S' -o "$W/time" "$@" >"$W/out" 2>"$W/err" || _rc=$?
	else
		python3 "$W/rusage.py" "$W/time" "$@" >"$W/out" 2>"$W/err" || _rc=$?
	fi
	_s1=$(sim_cpu)
	_calls=$(requests)
	set -- $(tail -n 1 "$W/time")
	awk -v n="$_name" -v s="$1" -v k="$2" -v u="$3" -v sy="$4" -v r="$N" \
	    -v rc="$_rc" -v s0="$_s0" -v s1="$_s1" -v calls="$_calls" 'BEGIN {
	    printf "%-21s %7.2f s wall, cpu %6.2f s, %7d KiB peak RSS, %6.0f receipts/s, %4d HTTP calls (exit %d)\n",
		n, s, u + sy, k, (s > 0 ? r / s : 0), calls, rc
	    printf "%-21s %7s   simulator cpu meanwhile: %6.2f s\n", "", "", s1 - s0 }'
	if [ "$_rc" != 0 ]; then sed 's/^/    stderr: /' "$W/err" | tail -n 20; fi
	return "$_rc"
}

# The time one trivial call takes on a kept-alive connection, as curl and
# Python's http.client see it (no quick-ACK trick): the floor under every
# call, however fast the client.
python3 - "$HOTWAX_PORT" "$HOTWAX_CA" <<'PY'
import http.client, ssl, sys, time
c = http.client.HTTPSConnection("127.0.0.1", int(sys.argv[1]),
                                context=ssl.create_default_context(cafile=sys.argv[2]))
c.request("GET", "/_sim/config"); c.getresponse().read()
t = time.monotonic()
for _ in range(10):
    c.request("GET", "/_sim/config"); c.getresponse().read()
print("one trivial call on a kept-alive connection: %.1f ms" % ((time.monotonic() - t) * 100))
PY
cp "$W/spool/state/polines" "$W/spool/state/polines.peer" || exit 1  # receipt-export compacts it
echo "receipt-export: $POS POs x $LINES lines = $N receipts, on $(uname -sm), $(nproc) CPU(s)"
[ -z "${BEFORE:-}" ] || cp -a "$W/spool" "$W/spool.first" || exit 1
measure "receipt-export" "$RE" -c "$POSYNC_CONFIG" || exit 1
f=$(ls "$W/spool/receipt/new" 2>/dev/null | head -n 1)
[ -n "$f" ] || { echo "receipt-export wrote no file"; cat "$W/err" >&2; exit 1; }
echo "  file: $(wc -c <"$W/spool/receipt/new/$f") bytes, $(hw_json 'len(d)' <"$W/spool/receipt/new/$f") elements;" \
	"state: $(wc -c <"$W/spool/state/receipt-export.state") bytes"
# BEFORE=PROGRAM: another build of receipt-export (an earlier revision) on
# a copy of the same spool, against the same simulator: its file must hold
# the same bytes (its name holds the time of the run).
if [ -n "${BEFORE:-}" ]; then
	mv "$W/spool" "$W/spool.this" && cp -a "$W/spool.first" "$W/spool" || exit 1
	measure "receipt-export BEFORE" "$BEFORE" -c "$POSYNC_CONFIG" || exit 1
	g=$(ls "$W/spool/receipt/new" 2>/dev/null | head -n 1)
	if [ -n "$g" ] && cmp -s "$W/spool/receipt/new/$g" "$W/spool.this/receipt/new/$f"; then
		echo "  BEFORE's file holds the same bytes"
	else
		echo "  BEFORE's file DIFFERS"; exit 1
	fi
	# the state too, but for the time of the file's name
	if cmp -s "$W/spool/state/receipt-export.state" "$W/spool.this/state/receipt-export.state" ||
	    [ "$(grep -v '^last' "$W/spool/state/receipt-export.state" | cksum)" = \
	    "$(grep -v '^last' "$W/spool.this/state/receipt-export.state" | cksum)" ]; then
		echo "  BEFORE's state is the same (but for its last file's time)"
	else
		echo "  BEFORE's state DIFFERS"; exit 1
	fi
	rm -rf "$W/spool" && mv "$W/spool.this" "$W/spool" || exit 1
fi
# PEER=0: no naive peer (at 100000 receipts it takes as long again)
[ "${PEER:-1}" = 0 ] && exit 0
measure "python3 naive (peer)" python3 "$W/peer.py" "$HOTWAX_PORT" "$HOTWAX_CA" \
	"$W/hotwax.token" "$W/spool/state/polines.peer" "$W/peer.json" || exit 1
python3 - "$W/spool/receipt/new/$f" "$W/peer.json" <<'PY'
import json, sys
from decimal import Decimal as D
def load(p):
    return {(e["order_id"], i["line_id"]): D(str(i["quantity"]))
            for e in json.load(open(p), parse_float=D) for i in e["items"]}
a, b = load(sys.argv[1]), load(sys.argv[2])
print("  peer's elements %s receipt-export's (%d lines)"
      % ("are the same as" if a == b else "DIFFER from", len(a)))
sys.exit(a != b)
PY
