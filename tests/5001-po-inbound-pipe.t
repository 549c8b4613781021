#!/bin/sh
# The inbound crontab job, `po-export-parse | po-import`, against the real
# sshd, the NetSuite simulator's export and the HotWax simulator: the POs
# arrive in HotWax exactly (POs, lines, products, quantities, facilities,
# dates), the remote file is archived, and the pipe exits 0 printing
# nothing; a second run changes nothing in HotWax and uploads nothing; an
# export with a row HotWax cannot import (unknown SKU) and a row posync
# rejects: both said, the rest imported.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_all

# NetSuite's POs: quirky SKUs (a comma, a quote, UTF-8), decimals, an
# empty arrival date, two facilities, rows of a PO not all together in
# the export (PO 12009298 comes back after 12009300 in the second load).
cat >"$SCRATCH/pos.json" <<'EOF'
[{"id": "12009298", "facility": "116", "arrival": "12/24/2026",
  "lines": [{"line_id": "1", "sku": "26897", "quantity": "11"},
            {"line_id": "2", "sku": "Box, small, red", "quantity": "2.5"},
            {"line_id": "3", "sku": "12\" Pan", "quantity": "3"}]},
 {"id": "12009300", "facility": "117", "arrival": "",
  "lines": [{"line_id": "1", "sku": "Café ☕", "quantity": "4"},
            {"line_id": "7", "sku": "X2", "quantity": "0.3"}]},
 {"id": "12009301", "facility": "116", "arrival": "01/05/2027",
  "lines": [{"line_id": "1", "sku": "26897", "quantity": "1"},
            {"line_id": "2", "sku": "X2", "quantity": "0.00000001"},
            {"line_id": "3", "sku": "Box, small, red", "quantity": "120"}]}]
EOF

# HotWax's catalog: one product per SKU, one facility per NetSuite
# location; the expected state is computed from these and pos.json.
python3 - "$SCRATCH/pos.json" >"$SCRATCH/seed.json" <<'PY'
import json, sys
pos = json.load(open(sys.argv[1], encoding="utf-8"))
skus = sorted({l["sku"] for p in pos for l in p["lines"]})
print(json.dumps({"products": [{"productId": "PRD-%d" % i, "sku": s} for i, s in enumerate(skus)],
                  "facilities": [{"facilityId": "FAC-" + f, "externalId": f}
                                 for f in sorted({p["facility"] for p in pos})]}))
PY
hw_ctl POST /_sim/seed "$(cat "$SCRATCH/seed.json")" >/dev/null ||
	{ echo "Bail out! seeding HotWax failed"; exit 1; }
posync_conf hotwax.batch_size=3

# want POS.json SEED.json -- the HotWax orders these POs must become, one
# line per PO line: PO facility type line product quantity date
want() {
	python3 - "$@" <<'PY'
import datetime, json, sys
from decimal import Decimal
pos = json.load(open(sys.argv[1], encoding="utf-8"))
seed = json.load(open(sys.argv[2], encoding="utf-8"))
prod = {p["sku"]: p["productId"] for p in seed["products"]}
out = []
for p in pos:
    if p["arrival"]:
        m, d, y = p["arrival"].split("/")
        date = datetime.date(int(y), int(m), int(d)).isoformat()
    else:
        date = None
    for l in p["lines"]:
        if l["sku"] not in prod:
            continue
        out.append("%s FAC-%s PURCHASE_ORDER %s %s %s %s" % (p["id"], p["facility"],
            l["line_id"], prod[l["sku"]], Decimal(l["quantity"]).normalize(), date))
print("\n".join(sorted(out)))
PY
}
# got -- the same from HotWax's state
got() {
	hw_ctl GET /_sim/state | python3 -c '
import json, sys
from decimal import Decimal
d = json.loads(sys.stdin.read(), parse_float=Decimal, parse_int=Decimal)
out = []
for o in d["orders"]:
    for i in o["items"]:
        out.append("%s %s %s %s %s %s %s" % (o["externalId"], o["facilityId"], o["orderTypeId"],
            i["externalId"], i["productId"], Decimal(str(i["quantity"])).normalize(),
            i["estimatedDeliveryDate"]))
print("\n".join(sorted(out)))'
}
nreq() { # METHOD PATH-PREFIX (after /api/)
	hw_ctl GET /_sim/requests | hw_json "sum(1 for r in d if r['method'] == '$1' and r['path'].startswith('/api/$2'))"
}
# orders -- HotWax's orders, all their fields, as canonical JSON
orders() {
	hw_ctl GET /_sim/state | python3 -c '
import json, sys
d = json.loads(sys.stdin.read(), parse_float=str, parse_int=str)
assert d["orders"], "no orders"
print(json.dumps(d["orders"], sort_keys=True, indent=1))'
}
inbox() { find "$IN" -maxdepth 1 -type f | wc -l | tr -d ' '; }

t_ok "NetSuite has three POs" ns load "$SCRATCH/pos.json"
t_ok "NetSuite exports them" ns export --age 300
name=$(t_out); name=${name##*/}
t_true "the crontab's inbound job is the pipe" "$(cron_job po-export-parse)" = "po-export-parse | po-import"

hw_ctl POST /_sim/requests/clear >/dev/null
t_exit "po-export-parse | po-import exits 0" 0 flow_inbound
t_is "... and prints nothing" "$(t_out)$(t_err)" ""
t_is "HotWax holds exactly the POs: lines, products, quantities, facilities, dates" \
	"$(got)" "$(want "$SCRATCH/pos.json" "$SCRATCH/seed.json")"
t_is "HotWax has three POs" "$(hw_ctl GET /_sim/state | hw_json 'len(d["orders"])')" 3
t_is "eight lines in batches of 3: three uploads" "$(nreq POST uploadJsonFile)" 3
t_true "the remote file is archived" -f "$IN/archive/$name"
t_is "... and the inbox is empty" "$(inbox)" 0
t_is "nothing waits in new/" "$(ls "$SP/po/new")" ""
t_is "nothing failed" "$(ls "$SP/po/failed")" ""
t_is "one SSH session for the run" "$(grep -c 'Accepted publickey' "$SSHD_LOG")" 1

# ---- a second run in a row changes nothing
orders >"$SCRATCH/orders1"
t_true "HotWax's orders, all fields, are kept to compare" -s "$SCRATCH/orders1"
hw_ctl POST /_sim/requests/clear >/dev/null
t_exit "the pipe again" 0 flow_inbound
t_is "... prints nothing" "$(t_out)$(t_err)" ""
t_is "... uploads nothing and asks HotWax nothing" "$(nreq POST '') $(nreq GET '')" "0 0"
orders >"$SCRATCH/orders2"
t_ok "... HotWax's orders are byte for byte the same" cmp "$SCRATCH/orders1" "$SCRATCH/orders2"
t_is "... still every line" "$(got)" "$(want "$SCRATCH/pos.json" "$SCRATCH/seed.json")"

# ---- a row HotWax cannot import and a row posync rejects
cat >"$SCRATCH/pos2.json" <<'EOF'
[{"id": "12009400", "facility": "116", "arrival": "02/01/2027",
  "lines": [{"line_id": "1", "sku": "26897", "quantity": "5"},
            {"line_id": "2", "sku": "NOT-IN-HOTWAX", "quantity": "6"},
            {"line_id": "3", "sku": "X2", "quantity": "7"}]}]
EOF
t_ok "NetSuite has a PO with an unknown SKU" ns load "$SCRATCH/pos2.json"
t_ok "NetSuite exports it" ns export --age 300
name2=$(t_out); name2=${name2##*/}
# and a hand-written file with a row that cannot be read
printf '%s\n' "external-id,product-sku,quantity,external-facility-id,item-external-id,arrival-date" \
	"12009500,26897,1,116,1," "12009500,X2,lots,116,2," >"$IN/hand.csv"
touch -d '10 minutes ago' "$IN/hand.csv"
t_exit "the pipe on them: the pipe's status is po-import's, 65" 65 flow_inbound
t_is "nothing on stdout" "$(t_out)" ""
t_like "the rejected row is said, with its file and line" "$(t_err)" \
	'^po-export-parse: "hand\.csv": line 3: quantity "lots"'
t_like "HotWax's failed row is said with PO, line and HotWax's words" "$(t_err)" \
	"^po-import: .*row 1 \(PO 12009400, line 2, SKU NOT-IN-HOTWAX\).*Product not found for SKU 'NOT-IN-HOTWAX'"
# everything so far but the two rows that could not go in
python3 - "$SCRATCH/pos.json" "$SCRATCH/pos2.json" >"$SCRATCH/all.json" <<'PY'
import json, sys
pos = json.load(open(sys.argv[1], encoding="utf-8")) + json.load(open(sys.argv[2], encoding="utf-8"))
pos.append({"id": "12009500", "facility": "116", "arrival": "",
            "lines": [{"line_id": "1", "sku": "26897", "quantity": "1"}]})
print(json.dumps(pos))
PY
t_is "the rest is in HotWax, exactly" "$(got)" "$(want "$SCRATCH/all.json" "$SCRATCH/seed.json")"
t_is "one SSH session per run: three runs, three sessions" "$(grep -c 'Accepted publickey' "$SSHD_LOG")" 3
t_true "both files are archived" -f "$IN/archive/$name2" -a -f "$IN/archive/hand.csv"
t_true "the failed row is kept in failed/" -n "$(ls "$SP/po/failed" | grep '\.rows\.json$')"

t_done
