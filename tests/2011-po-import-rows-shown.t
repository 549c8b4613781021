#!/bin/sh
# A log with 120 failed rows prints the first 20 (the message layer's
# MSG_SHOWN, as po-import(1) says), then one line counting the other 100;
# no second count from the message layer.  The .err keeps all 120.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_po_import
SP=$SCRATCH/spool/po
mkdir -p "$SP/new"
hw_ctl POST /_sim/seed '{"facilities":[{"facilityId":"FAC-116","externalId":"116"}]}' >/dev/null
python3 - >"$SP/new/many.json" <<'PY'
import json
print(json.dumps([{"externalId": "8650", "itemExternalId": str(i + 1),
    "productSku": "NO-SKU-%d" % i, "quantity": 1, "externalFacilityId": "116"}
    for i in range(120)]))
PY
t_exit "120 rows HotWax fails: exit 65" 65 po-import </dev/null
t_is "20 row lines on stderr" "$(t_err | grep -c 'many\.json row [0-9]* (PO 8650')" 20
t_like "then one count of the other 100" "$(t_err)" \
	'^po-import: .*many\.json: 100 more rows failed in HotWax log '
t_is "and nothing else: 21 lines" "$(t_err | wc -l | tr -d ' ')" 21
t_is "no count from the message layer" "$(t_err | grep -c 'more like')" 0
t_is "the .err keeps all 120" "$(grep -c 'many\.json row [0-9]* (PO 8650' "$SP/failed/many.rows.json.err")" 120
t_done
