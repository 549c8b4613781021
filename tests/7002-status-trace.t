#!/bin/sh
# 7002-status-trace -- posync-status PO... across a full two-round flow on
# the real sshd, the HotWax simulator and the NetSuite simulator, each
# fact checked against what the simulators hold:
#   A  two lines, received in two rounds: every step of its way;
#   B  a line whose SKU HotWax lacks: HotWax fails that row;
#   C  received by hand in NetSuite before posync's file: NetSuite's error;
#   D  a line whose quantity the CSV garbles: rejected, ordered unknown;
# and a PO posync never saw, and one whose id is hostile text.
. "${0%/*}/lib.sh"
. "$BED/sshd.sh"
. "$BED/hotwax.sh"
. "$BED/posync.sh"
. "$BED/flow.sh"

bed_need po-export-parse po-import receipt-export receipt-push posync-status
A=13100001 B=13100002 C=13100003 D=13100004
flow_pos "$SCRATCH/pos.json" "$A 116 1:SKU-1:5 2:SKU-2:2.5" \
	"$B 116 1:SKU-3:4 2:SKU-NONE:1" "$C 120 1:SKU-4:2" "$D 120 1:SKU-5:3 2:SKU-6:7"
flow_start "$SCRATCH/pos.json" SKU-NONE || t_bail "the test servers did not start"
SP=$SCRATCH/spool
RB=$SFTP_BASE/purchaseorder

ns export --age 120 >/dev/null
csv=$(ls "$RB/fulfillment"/*.csv)
# D's line 2 as no NetSuite writes it: a quantity that is no number
python3 - "$csv" "$D" <<'PY'
import sys
p, d = sys.argv[1], sys.argv[2]
rows = open(p).read().split("\n")
for i, r in enumerate(rows):
    f = r.split(",")
    if len(f) == 6 and f[0] == d and f[4] == "2":
        f[2] = "x"
        rows[i] = ",".join(f)
open(p, "w").write("\n".join(rows))
PY
flow_inbound >"$SCRATCH/in.out" 2>&1
t_like "the inbound job rejects D's line and HotWax fails B's" "$(cat "$SCRATCH/in.out")" "quantity"
t_ok "round one: A half, B line 1, C partly" flow_receive "$A" 1:2 2:2.5
flow_receive "$B" 1:4 && flow_receive "$C" 1:1
t_ok "the outbound job publishes round one" flow_outbound

# trace PO... -- posync-status -t; rows in $SCRATCH/trace
trace() { posync-status -t "$@" >"$SCRATCH/trace" 2>"$SCRATCH/trace.err"; }

trace "$A"
t_like "before NetSuite reads it, A's receipt file is published" \
	"$(awk -F '\t' '$2 == "receipt" { print $7 }' "$SCRATCH/trace" | sort -u)" '^published to NetSuite$'
# receipt-push looks at NetSuite's folder before it publishes: its next
# run notes the file still waiting there
t_ok "receipt-push again, nothing to publish" receipt-push
posync-status >"$SCRATCH/health"
t_like "health: receipt-push noted the file NetSuite has not read" \
	"$(grep '^unread ' "$SCRATCH/health")" '^unread OK: 1 receipt file\(s\) not read by NetSuite, posync_PurchaseOrderReceiptFeed_'

# C is received in full by hand in NetSuite: its line is no longer open
python3 - "$NS_STATE" "$C" <<'PY'
import json, sys
st = json.load(open(sys.argv[1]))
for p in st["pos"]:
    if p["id"] == sys.argv[2]:
        for l in p["lines"]:
            l["received"] = l["ordered"]
        p["status"] = "Received"
json.dump(st, open(sys.argv[1], "w"))
PY
t_ok "NetSuite imports round one, failing C" ns import
t_is "NetSuite wrote one error CSV" "$(ls "$RB/receipt/error" | wc -l)" 1

t_ok "round two: the rest of A" flow_receive "$A" 1:3
flow_outbound >"$SCRATCH/out2" 2>&1
t_like "the outbound job reports NetSuite's error for C" "$(cat "$SCRATCH/out2")" "NetSuite could not receive PO \"$C\""
t_ok "NetSuite imports round two" ns import

ns show >"$SCRATCH/ns.json"
hw_ctl GET /_sim/state >"$SCRATCH/hw.json"

# --- each PO's facts against the simulators ---------------------------------

t_exit "the trace of A, B, C, D: 0" 0 trace "$A" "$B" "$C" "$D"
t_is "... nothing on stderr" "$(cat "$SCRATCH/trace.err")" ""
t_is "-t: the header line" "$(head -n 1 "$SCRATCH/trace")" \
	"$(printf 'po\tfact\tfile\tline\titem\tquantity\tdetail')"
t_is "-t: seven fields in every row" "$(awk -F '\t' 'NF != 7' "$SCRATCH/trace")" ""
t_is "each PO's rows together, in the order asked" \
	"$(awk -F '\t' 'NR > 1 && $1 != last { print $1; last = $1 }' "$SCRATCH/trace" | tr '\n' ' ')" "$A $B $C $D "

# check NAME -- the python below, printing nothing when the facts agree
check() {
	python3 - "$1" "$SCRATCH/trace" "$SCRATCH/pos.json" "$NS_STATE" \
		"$SCRATCH/hw.json" "$RB/receipt/error" <<'PY'
import csv, io, json, os, re, sys
from decimal import Decimal as D
what, tr, posf, nsf, hwf, errdir = sys.argv[1:]
rows = [l.rstrip("\n").split("\t") for l in open(tr)][1:]
def facts(kind, po=None):
    return [r for r in rows if r[1] == kind and (po is None or r[0] == po)]
pos = {p["id"]: p for p in json.load(open(posf))}
ns = json.load(open(nsf))
hw = json.load(open(hwf))
unsafe = lambda s: re.sub("=([0-9A-F]{2})", lambda m: chr(int(m.group(1), 16)), s)
out = []
if what == "csv":
    exported = ns["exports"][0]["file"]
    for po, p in pos.items():
        got = sorted((r[4], r[5]) for r in facts("csv", po))
        want = sorted((l["line_id"], l["quantity"]) for l in p["lines"])
        if po == "13100004":
            want = sorted((i, "x" if i == "2" else q) for i, q in want)
        if got != want:
            out.append("%s: csv %s, NetSuite %s" % (po, got, want))
        for r in facts("csv", po):
            if unsafe(os.path.basename(r[2])) != exported:
                out.append("%s: file %s, NetSuite exported %s" % (po, r[2], exported))
elif what == "batch":
    for r in facts("batch"):
        m = re.fullmatch(r"HotWax log (\S+)", r[6])
        lg = [x for x in hw["logs"] if m and x["logId"] == m.group(1)]
        if not lg or not any(x.get("externalId") == r[0] and x.get("itemExternalId") == r[4]
                             for x in lg[0]["rows"]):
            out.append("%s line %s: %s is not the HotWax log holding it" % (r[0], r[4], r[6]))
elif what == "sent":
    for po in ("13100001", "13100002"):
        nsp = [p for p in ns["pos"] if p["id"] == po][0]
        got = {r[4]: r[5] for r in facts("sent", po)}
        want = {l["line_id"]: str(D(l["received"]).normalize()) for l in nsp["lines"]}
        want = {k: format(D(v), "f") for k, v in want.items()}
        if got != want:
            out.append("%s: sent %s, NetSuite received %s" % (po, got, want))
elif what == "receipt":
    for po in ("13100001", "13100002"):
        # a line listed with 0 (open, nothing new) makes no receipt line
        got = sorted((os.path.basename(r[2]), r[4], r[5]) for r in facts("receipt", po)
                     if D(r[5]) != 0)
        want = sorted((ir["file"], l, q) for ir in ns["item_receipts"] if ir["po"] == po
                      for l, q in ir["lines"].items())
        if got != want:
            out.append("%s: receipt facts %s, NetSuite's item receipts %s" % (po, got, want))
elif what == "error":
    name = os.listdir(errdir)[0]
    want = [r for r in csv.reader(io.open(os.path.join(errdir, name), newline=""))][1:]
    got = [(r[0], r[6]) for r in facts("netsuite-error")]
    if got != [(w[0], w[1]) for w in want]:
        out.append("netsuite-error facts %s, NetSuite's CSV %s" % (got, want))
print("\n".join(out))
PY
}
t_is "csv: every line as NetSuite exported it, in the file it came in" "$(check csv)" ""
t_like "csv: D's line 2 rejected, said why" "$(awk -F '\t' -v d="$D" '$1 == d && $2 == "csv" && $5 == "2" { print $7 }' "$SCRATCH/trace")" '^rejected: '
t_like "csv: the line number in the CSV (the header is 1)" \
	"$(awk -F '\t' -v a="$A" '$1 == a && $2 == "csv" { print $4 }' "$SCRATCH/trace" | tr '\n' ' ')" '^[2-9][0-9]* [2-9][0-9]* $'
t_is "batch: each line's log id is the HotWax log holding the row" "$(check batch)" ""
t_is "batch: A's two lines and B's, not D's rejected one" \
	"$(awk -F '\t' '$2 == "batch" { print $1 ":" $5 }' "$SCRATCH/trace" | tr '\n' ' ')" \
	"$A:1 $A:2 $B:1 $B:2 $C:1 $D:1 "
t_is "hotwax-failed: B's line 2 only, from po/failed" \
	"$(awk -F '\t' '$2 == "hotwax-failed" { print $1 ":" $5 ":" ($3 ~ /^po\/failed\/.*\.rows\.json$/) }' "$SCRATCH/trace")" "$B:2:1"
t_is "ordered: D's garbled line unknown, its other line 3" \
	"$(awk -F '\t' -v d="$D" '$1 == d && $2 == "ordered" { print $5 ":" $6 }' "$SCRATCH/trace" | sort | tr '\n' ' ')" "1:3 2:? "
t_is "sent: what NetSuite received of A and B, line by line" "$(check sent)" ""
t_is "receipt: A's and B's quantities in the files NetSuite received them from" "$(check receipt)" ""
t_is "receipt: every file published" \
	"$(awk -F '\t' '$2 == "receipt" { print $7 }' "$SCRATCH/trace" | sort -u)" "published to NetSuite"
t_is "netsuite-error: C, with NetSuite's message" "$(check error)" ""
t_is "netsuite-error: only C" "$(awk -F '\t' '$2 == "netsuite-error" { print $1 }' "$SCRATCH/trace")" "$C"

# --- the readable form, and what posync never saw ---------------------------

t_exit "the aligned form: 0" 0 posync-status "$A"
t_like "... a header of the same columns" "$(t_out | head -n 1)" '^po +fact +file +line +item +quantity +detail$'
t_is "... as many rows as -t" "$(t_out | wc -l)" "$(posync-status -t "$A" | wc -l)"
t_exit "a PO posync never saw: 1" 1 posync-status 99999999
t_like "... said on stderr" "$(t_err)" '^posync-status: PO "99999999": posync never saw it'
t_is "... only the header on stdout" "$(t_out | wc -l)" 1
esc=$(printf '\033')
t_exit "a hostile PO id: 1" 1 posync-status -t "$A" "../x${esc}]0;t"
t_like "... quoted, escaped" "$(t_err)" 'PO "../x\\x1b\]0;t": posync never saw it'
t_true "... no escape byte out" "$( (t_out; t_err) | tr -d '\n' | grep -c "$esc")" -eq 0
t_like "... A still traced" "$(t_out | awk -F '\t' '{ print $1 }' | sort -u | tr '\n' ' ')" "^$A po \$"

t_exit "health before anyone looked: CRITICAL" 2 posync-status
t_like "... HotWax's failed rows and NetSuite's error named" "$(t_out | head -n 1)" \
	'^POSYNC CRITICAL - po/failed, netsuite-errors \|'

# NetSuite's words are outside text: a message with a tab, a line end and
# a terminal's escape, as a hostile or broken NetSuite might write
ef=$(ls "$SP"/receipt/errors/* | head -n 1)
printf '%s,"a\tb\nc\033[2Jd"\n' "$C" >>"$ef"
t_exit "-t with NetSuite's hostile message: 0" 0 posync-status -t "$C"
t_is "... still seven fields a row, one row a fact" "$(t_out | awk -F '\t' 'NF != 7')" ""
t_is "... the message escaped: tab, line end, escape byte" \
	"$(t_out | awk -F '\t' '$2 == "netsuite-error" { print $7 }' | tail -n 1)" 'a\tb\nc\x1b[2Jd'
t_true "... no escape byte out" "$(t_out | tr -d '\n' | grep -c "$esc")" -eq 0
posync-status --seen >/dev/null

# --- health after the flow --------------------------------------------------

t_exit "health: CRITICAL (HotWax's failed rows)" 2 posync-status
t_like "... named" "$(t_out | head -n 1)" '^POSYNC CRITICAL - po/failed \|'
t_is "... NetSuite's error rows seen (--seen above)" "$(t_out | grep '^netsuite-errors ')" "netsuite-errors OK: nothing new"
t_like "... each program succeeded just now" "$(t_out | grep -c ' OK: last success ')" '^4$'
t_is "... NetSuite read every file" "$(t_out | grep '^unread ')" "unread OK: NetSuite had read every receipt file"
t_like "... the cursor moved" "$(t_out | grep '^cursor ')" '^cursor OK: newest receipt exported was made [0-9]+[sm] ago$'
t_done
