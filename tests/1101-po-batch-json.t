#!/bin/sh
# The batch po-export-parse writes is JSON as HotWax's IMP_PO upload takes
# it (contracts.md section 2), its strings written by cJSON: a SKU with a
# quote, a backslash, a comma or non-ASCII text reaches HotWax exactly as
# NetSuite wrote it, the quantity as a JSON number, arrivalDate only when
# there is one.
. "${0%/*}/lib.sh"
. "$BED/posync.sh"

posync_conf
SP=$SCRATCH/spool
HDR=external-id,product-sku,quantity,external-facility-id,item-external-id,arrival-date
printf '%s\n' "$HDR" \
	'9401,12" Pan,1,116,1,12/24/2026' \
	'9401,back\slash,2.50,116,2,' \
	'9401,"Box, ""big""",3,116,3,' \
	'9402,Café ☕,007,117,1,01/05/2027' >"$SCRATCH/j.csv"

t_exit "four rows: exit 0" 0 po-export-parse "$SCRATCH/j.csv"
B=$(t_out)
t_is "... the batch, byte for byte" "$(cat "$B")" '[
{"externalId": "9401", "productSku": "12\" Pan", "quantity": 1, "externalFacilityId": "116", "itemExternalId": "1", "arrivalDate": "12/24/2026"},
{"externalId": "9401", "productSku": "back\\slash", "quantity": 2.50, "externalFacilityId": "116", "itemExternalId": "2"},
{"externalId": "9401", "productSku": "Box, \"big\"", "quantity": 3, "externalFacilityId": "116", "itemExternalId": "3"},
{"externalId": "9402", "productSku": "Café ☕", "quantity": 7, "externalFacilityId": "117", "itemExternalId": "1", "arrivalDate": "01/05/2027"}
]'
t_is "... JSON whose SKUs are NetSuite's text" \
	"$(python3 -c 'import json,sys; print("|".join(e["productSku"] for e in json.load(open(sys.argv[1], encoding="utf-8"))))' "$B")" \
	'12" Pan|back\slash|Box, "big"|Café ☕'
t_done
