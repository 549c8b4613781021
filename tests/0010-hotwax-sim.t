#!/bin/bash
# The HotWax simulator (tests/bed/hotwax-sim.py) keeps the contract of
# contracts.md sections 2, 3 and 6: the other tests rely on it.
. "${0%/*}/lib.sh"
. "$BED/hotwax.sh"

command -v openssl >/dev/null || t_bail "no openssl (make deps)"
command -v curl >/dev/null || t_bail "no curl (make deps)"

t_ok "simulator starts" hotwax_start
[ -n "${HOTWAX_PORT:-}" ] || { t_done; exit 1; }

TOK=api-token-1
AUTH=$SCRATCH/auth
printf 'Authorization: Bearer %s\n' "$TOK" >"$AUTH"

# req METHOD PATH [JSON] -- API call with $TOK; prints the HTTP status,
# leaves the body in $SCRATCH/body
req() {
	HOTWAX_TOKEN=$TOK hw_api "$@" >"$SCRATCH/body" 2>/dev/null
	echo "$HW_STATUS"
}
body() { cat "$SCRATCH/body"; }
bj() { hw_json "$1" <"$SCRATCH/body"; }
st() { hw_ctl GET /_sim/state | hw_json "$1"; }
now_ms() { date +%s%3N; }
# upload FILE [CONFIGID] -- prints the HTTP status, body in $SCRATCH/body
upload() {
	curl -s --cacert "$HOTWAX_CA" -H @"$AUTH" -o "$SCRATCH/body" \
		-w '%{http_code}' \
		-F "uploadedFile=@$1;type=application/json;filename=rows.json" \
		-F "configId=${2:-IMP_PO}" "${HOTWAX_URL}uploadJsonFile"
}
rcpts() { st 'len(d["receipts"])'; }
# within GOT WANT TOLERANCE -- the numbers differ by at most TOLERANCE
within() { [ "$1" -ge $(($2 - $3)) ] && [ "$1" -le $(($2 + $3)) ]; }

# ---------------------------------------------------------------- TLS
t_ok "our CA verifies the server" \
	curl -sf --cacert "$HOTWAX_CA" "https://127.0.0.1:$HOTWAX_PORT/_sim/config"
t_exit "an unrelated CA is refused (curl 60)" 60 \
	curl -s --cacert "$HOTWAX_OTHER_CA" "https://127.0.0.1:$HOTWAX_PORT/_sim/config"
t_exit "localhost is in the certificate too" 0 \
	curl -sf --cacert "$HOTWAX_CA" --resolve "localhost:$HOTWAX_PORT:127.0.0.1" \
	"https://localhost:$HOTWAX_PORT/_sim/config"

# ---------------------------------------------------------------- seed
hw_ctl POST /_sim/reset >/dev/null
t_ok "seed" hw_ctl POST /_sim/seed '{
 "products": [{"productId": "P1", "sku": "26897"}, {"productId": "P2", "sku": "26898"},
              {"productId": "P3", "sku": "A,\"B"}],
 "facilities": [{"facilityId": "F1", "externalId": "116"}, {"facilityId": "F2", "externalId": "117"}],
 "users": [{"username": "bob", "password": "s3cret"}],
 "tokens": ["'"$TOK"'"]}'
t_is "seeded state" "$(st '[len(d["products"]), len(d["facilities"]), d["users"]]')" '[3,2,["bob"]]'

# ---------------------------------------------------------------- auth
t0=$(now_ms)
t_is "login with the right password: 200" "$(req POST login '{"USERNAME":"bob","PASSWORD":"s3cret"}')" 200
BOBTOK=$(bj 'd["token"]')
exp=$(bj 'd["expirationTime"]')
t_like "login answers a token" "$BOBTOK" '^[^ ]{16,}$'
t_ok "expirationTime is epoch ms one hour ahead" within "$exp" $((t0 + 3600000)) 60000
t_is "login with a wrong password: 401" "$(req POST login '{"USERNAME":"bob","PASSWORD":"nope"}')" 401
t_like "... with _ERROR_MESSAGE_" "$(bj 'd["_ERROR_MESSAGE_"]')" 'nvalid'
t_is "unknown user: 401" "$(req POST login '{"USERNAME":"eve","PASSWORD":"s3cret"}')" 401
FIND_ALL='{"entityName":"OrderHeader","noConditionFind":"Y"}'
t_is "no token: 401" "$(TOK= req POST performFind "$FIND_ALL")" 401
t_is "... body {error: unauthorized}" "$(bj 'd["error"]')" unauthorized
t_is "bad token: 401" "$(TOK=bogus req POST performFind "$FIND_ALL")" 401
t_is "login token works" "$(TOK=$BOBTOK req POST performFind "$FIND_ALL")" 200
t_is "API token works" "$(req POST performFind "$FIND_ALL")" 200
t_is "unknown API path: 404" "$(req POST noSuchThing '{}')" 404
t_like "... with _ERROR_MESSAGE_" "$(bj 'd["_ERROR_MESSAGE_"]')" 'Not found'
hw_ctl POST /_sim/config '{"token_ttl": 0.4}' >/dev/null
req POST login '{"USERNAME":"bob","PASSWORD":"s3cret"}' >/dev/null
SHORT=$(bj 'd["token"]')
t_is "short-lived token works at first" "$(TOK=$SHORT req POST performFind "$FIND_ALL")" 200
sleep 0.6
t_is "... and is refused once token_ttl has passed" "$(TOK=$SHORT req POST performFind "$FIND_ALL")" 401
hw_ctl POST /_sim/config '{"token_ttl": 3600}' >/dev/null

# ---------------------------------------------------------------- upload
cat >"$SCRATCH/rows1.json" <<'EOF'
[{"externalId": "5001", "productSku": "26897", "quantity": 11, "externalFacilityId": "116", "itemExternalId": "1", "arrivalDate": "12/24/2026"},
 {"externalId": "5001", "productSku": "26898", "quantity": 2.5, "externalFacilityId": "116", "itemExternalId": "2"},
 {"externalId": "5001", "productSku": "NOPE", "quantity": 1, "externalFacilityId": "116", "itemExternalId": "3"},
 {"externalId": "5002", "productSku": "26897", "quantity": 4, "externalFacilityId": "999", "itemExternalId": "1"},
 {"externalId": "5003", "productSku": "A,\"B", "quantity": 1.50000001, "externalFacilityId": "117", "itemExternalId": "7"},
 {"externalId": "5004", "productSku": "26897", "quantity": 0, "externalFacilityId": "116", "itemExternalId": "1"},
 {"externalId": "5004", "productSku": "26897", "quantity": 1, "externalFacilityId": "116", "itemExternalId": "2", "arrivalDate": "13/45/2026"},
 {"externalId": "5004", "productSku": "26897", "quantity": 1, "externalFacilityId": "116"}]
EOF
hw_ctl POST /_sim/config '{"hold_processing": true}' >/dev/null
t_is "upload accepted: 200" "$(upload "$SCRATCH/rows1.json")" 200
LOG1=$(bj 'd["logId"]')
t_like "... with a logId" "$LOG1" '^[A-Za-z0-9]+$'
t_like "... and an _EVENT_MESSAGE_" "$(bj 'd["_EVENT_MESSAGE_"]')" '^Uploaded'
t_is "log is SERVICE_PENDING while held" "$(req GET "dataManagerLogs/$LOG1"; bj 'd["statusId"]')" "200
SERVICE_PENDING"
sleep 0.4
t_is "... still pending after the processing delay" \
	"$(req GET "dataManagerLogs/$LOG1" >/dev/null; bj 'd["statusId"]')" SERVICE_PENDING
t_is "nothing imported before processing" "$(st 'len(d["orders"])')" 0
t_is "/_sim/process processes the held upload" \
	"$(hw_ctl POST /_sim/process | hw_json 'd["processed"]')" "[\"$LOG1\"]"
req GET "dataManagerLogs/$LOG1" >/dev/null
t_is "log finished, some rows failed" \
	"$(bj '[d["logId"], d["statusId"], d["totalRecordCount"], d["failedRecordCount"]]')" \
	"[\"$LOG1\",\"SERVICE_FINISHED\",8,5]"
t_is "failed rows by rowIndex" "$(bj '[e["rowIndex"] for e in d["errors"]]')" '[2,3,5,6,7]'
t_is "unknown SKU named" "$(bj 'd["errors"][0]["message"]')" "Product not found for SKU 'NOPE'"
t_is "unknown facility named" "$(bj 'd["errors"][1]["message"]')" "Facility not found for externalId '999'"
t_like "bad quantity named" "$(bj 'd["errors"][2]["message"]')" 'quantity'
t_like "bad date named" "$(bj 'd["errors"][3]["message"]')" 'arrivalDate'
t_like "missing field named" "$(bj 'd["errors"][4]["message"]')" "Missing field 'itemExternalId'"
t_is "good rows imported as POs" \
	"$(st 'sorted((o["externalId"], o["orderTypeId"], o["statusId"], o["facilityId"]) for o in d["orders"])')" \
	'[["5001","PURCHASE_ORDER","ORDER_APPROVED","F1"],["5003","PURCHASE_ORDER","ORDER_APPROVED","F2"]]'
PO1=$(st '[o["orderId"] for o in d["orders"] if o["externalId"] == "5001"][0]')
PO3=$(st '[o["orderId"] for o in d["orders"] if o["externalId"] == "5003"][0]')
t_like "orderId is HotWax's" "$PO1" '^HWPO[0-9]+$'
t_ok "orderDate is now, in epoch ms" within \
	"$(st '[o["orderDate"] for o in d["orders"]][0]')" "$(now_ms)" 60000
LINES1='[(i["orderItemSeqId"], i["externalId"], i["productId"], i["quantity"], i["statusId"], i["estimatedDeliveryDate"]) for o in d["orders"] if o["externalId"] == "5001" for i in o["items"]]'
t_is "lines of 5001" "$(st "$LINES1")" \
	'[["00001","1","P1",11,"ITEM_APPROVED","2026-12-24"],["00002","2","P2",2.5,"ITEM_APPROVED",null]]'
t_is "SKU with a comma and a quote matched" \
	"$(st '[i["productId"] for o in d["orders"] if o["externalId"] == "5003" for i in o["items"]]')" '["P3"]'
req POST performFind '{"entityName":"OrderItem","inputFields":{"orderId":"'"$PO3"'"},"fieldList":["quantity"]}' >/dev/null
t_is "quantity 1.50000001 comes back as written" "$(body)" '{"docs":[{"quantity":1.50000001}],"count":1}'

# asynchronous processing without hold
hw_ctl POST /_sim/config '{"hold_processing": false, "processing_delay": 0.5}' >/dev/null
printf '[{"externalId": "5005", "productSku": "26897", "quantity": 1, "externalFacilityId": "116", "itemExternalId": "1"}]' >"$SCRATCH/rows2.json"
upload "$SCRATCH/rows2.json" >/dev/null
LOG2=$(bj 'd["logId"]')
t_is "new upload gets a new logId, pending at first" \
	"$([ "$LOG2" != "$LOG1" ] && req GET "dataManagerLogs/$LOG2" >/dev/null && bj 'd["statusId"]')" SERVICE_PENDING
t_ok "... then processed by itself" hw_settle 5
t_is "... finished without errors" \
	"$(req GET "dataManagerLogs/$LOG2" >/dev/null; bj '[d["statusId"], d["totalRecordCount"], d["failedRecordCount"], d["errors"]]')" \
	'["SERVICE_FINISHED",1,0,[]]'
hw_ctl POST /_sim/config '{"processing_delay": 0, "running_time": 0.8}' >/dev/null
upload "$SCRATCH/rows2.json" >/dev/null
LOG3=$(bj 'd["logId"]')
sleep 0.3
t_is "SERVICE_RUNNING while it runs" \
	"$(req GET "dataManagerLogs/$LOG3" >/dev/null; bj 'd["statusId"]')" SERVICE_RUNNING
t_ok "... then finished" hw_settle 5
hw_ctl POST /_sim/config '{"processing_delay": 0, "running_time": 0, "fail_processing": true}' >/dev/null
printf '[{"externalId": "5009", "productSku": "26897", "quantity": 1, "externalFacilityId": "116", "itemExternalId": "1"}]' >"$SCRATCH/rows9.json"
upload "$SCRATCH/rows9.json" >/dev/null
LOG3=$(bj 'd["logId"]')
hw_settle 5
t_is "fail_processing: log SERVICE_FAILED, all rows failed" \
	"$(req GET "dataManagerLogs/$LOG3" >/dev/null; bj '[d["statusId"], d["totalRecordCount"], d["failedRecordCount"]]')" '["SERVICE_FAILED",1,1]'
t_is "... and nothing imported" "$(st '[o for o in d["orders"] if o["externalId"] == "5009"]')" '[]'
hw_ctl POST /_sim/config '{"processing_delay": 0.2, "fail_processing": false}' >/dev/null
t_is "unknown logId: 404" "$(req GET dataManagerLogs/NOPE)" 404

# refused uploads store nothing
nlogs=$(st 'len(d["logs"])')
printf '{"externalId": "1"}' >"$SCRATCH/obj.json"
t_is "a JSON object instead of an array: 400" "$(upload "$SCRATCH/obj.json")" 400
t_like "... with _ERROR_MESSAGE_" "$(bj 'd["_ERROR_MESSAGE_"]')" 'array'
printf '[1, 2]' >"$SCRATCH/nums.json"
t_is "an array of non-objects: 400" "$(upload "$SCRATCH/nums.json")" 400
printf '[{"a": ' >"$SCRATCH/broken.json"
t_is "broken JSON: 400" "$(upload "$SCRATCH/broken.json")" 400
t_is "configId other than IMP_PO: 400" "$(upload "$SCRATCH/rows2.json" IMP_ORDER)" 400
t_is "no uploadedFile field: 400" "$(curl -s --cacert "$HOTWAX_CA" -H @"$AUTH" \
	-o "$SCRATCH/body" -w '%{http_code}' -F configId=IMP_PO "${HOTWAX_URL}uploadJsonFile")" 400
t_is "no configId field: 400" "$(curl -s --cacert "$HOTWAX_CA" -H @"$AUTH" -o "$SCRATCH/body" \
	-w '%{http_code}' -F "uploadedFile=@$SCRATCH/rows2.json;type=application/json" \
	"${HOTWAX_URL}uploadJsonFile")" 400
t_is "file part not sent as application/json: 400" "$(curl -s --cacert "$HOTWAX_CA" -H @"$AUTH" -o "$SCRATCH/body" \
	-w '%{http_code}' -F "uploadedFile=@$SCRATCH/rows2.json;type=application/octet-stream" -F configId=IMP_PO \
	"${HOTWAX_URL}uploadJsonFile")" 400
t_is "file name not ending in .json: 400" "$(curl -s --cacert "$HOTWAX_CA" -H @"$AUTH" -o "$SCRATCH/body" \
	-w '%{http_code}' -F "uploadedFile=@$SCRATCH/rows2.json;type=application/json;filename=rows.csv" -F configId=IMP_PO \
	"${HOTWAX_URL}uploadJsonFile")" 400
t_is "upload without a token: 401" "$(AUTH=/dev/null upload "$SCRATCH/rows2.json")" 401
t_is "refused uploads left no log" "$(st 'len(d["logs"])')" "$nlogs"

# ---------------------------------------------------------------- upsert
t_is "receive one unit on line 2 of 5001" \
	"$(req POST "oms/purchaseOrders/$PO1/receive" '{"facilityId":"F1","items":[{"orderItemSeqId":"00002","productId":"P2","quantityAccepted":1,"quantityRejected":0}]}')" 200
cat >"$SCRATCH/rows3.json" <<'EOF'
[{"externalId": "5001", "productSku": "26897", "quantity": 12, "externalFacilityId": "116", "itemExternalId": "1", "arrivalDate": "1/5/2027"},
 {"externalId": "5001", "productSku": "26898", "quantity": 9, "externalFacilityId": "116", "itemExternalId": "2", "arrivalDate": "02/01/2027"},
 {"externalId": "5003", "productSku": "A,\"B", "quantity": 1.50000001, "externalFacilityId": "117", "itemExternalId": "7"}]
EOF
norders=$(st 'len(d["orders"])')
upload "$SCRATCH/rows3.json" >/dev/null
LOG4=$(bj 'd["logId"]')
hw_settle 5
t_is "re-upload processed cleanly" \
	"$(req GET "dataManagerLogs/$LOG4" >/dev/null; bj '[d["statusId"], d["failedRecordCount"]]')" '["SERVICE_FINISHED",0]'
t_is "no new orders" "$(st 'len(d["orders"])')" "$norders"
t_is "no duplicate lines; unreceived line updated; received line unchanged" "$(st "$LINES1")" \
	'[["00001","1","P1",12,"ITEM_APPROVED","2027-01-05"],["00002","2","P2",2.5,"ITEM_APPROVED",null]]'
t_is "5003 still has one line" \
	"$(st '[len(o["items"]) for o in d["orders"] if o["externalId"] == "5003"]')" '[1]'

# ---------------------------------------------------------------- performFind
python3 -c '
import json
print(json.dumps({"orderId": "BIG", "orderTypeId": "PURCHASE_ORDER", "facilityId": "F1",
  "items": [{"externalId": str(n), "productId": "P%d" % (n % 3 + 1), "quantity": n} for n in range(1, 301)]}))
' >"$SCRATCH/big.json"
t_is "/_sim/orders creates an order" \
	"$(hw_ctl POST /_sim/orders "$(cat "$SCRATCH/big.json")" | hw_json '[d["orderId"], len(d["items"]), d["items"][-1]["orderItemSeqId"]]')" \
	'["BIG",300,"00300"]'
t_is "... and one without externalId (not from NetSuite)" \
	"$(hw_ctl POST /_sim/orders '{"orderTypeId":"PURCHASE_ORDER","facilityId":"F1","items":[{"productId":"P1","quantity":3}]}' | hw_json '[d["externalId"], d["items"][0]["externalId"], d["statusId"]]')" \
	'[null,null,"ORDER_APPROVED"]'
pf() { req POST performFind "{\"entityName\":\"OrderItem\",\"inputFields\":{\"orderId\":\"BIG\"$1}$2}" >/dev/null; }
# performFind cases, one a line: DESC|INPUTS|EXTRA|EXPR|WANT -- INPUTS
# joins the order's inputFields, EXTRA the request; the answer's EXPR
# (hw_json's, over d) is WANT, or with no EXPR the answer's bytes are
while IFS='|' read -r desc inputs extra expr want <&3; do
	pf "$inputs" "$extra"
	if [ -n "$expr" ]; then t_is "$desc" "$(bj "$expr")" "$want"
	else t_is "$desc" "$(body)" "$want"; fi
done 3<<'EOF'
equals: all 300 counted, default page of 100|||[d["count"], len(d["docs"])]|[300,100]
viewSize capped at 250||,"viewSize":1000|[d["count"], len(d["docs"])]|[300,250]
second page of 250 holds the last 50||,"viewSize":250,"viewIndex":1|[len(d["docs"]), d["docs"][0]["orderItemSeqId"]]|[50,"00251"]
viewIndex 2 of 100||,"viewSize":100,"viewIndex":2,"orderBy":"orderItemSeqId"|[d["docs"][0]["orderItemSeqId"], d["docs"][-1]["orderItemSeqId"]]|["00201","00300"]
a page past the end is empty, count still total||,"viewSize":3,"viewIndex":100|[d["docs"], d["count"]]|[[],300]
orderBy DESC, numeric||,"viewSize":3,"orderBy":"quantity DESC"|[x["quantity"] for x in d["docs"]]|[300,299,298]
orderBy two keys||,"viewSize":4,"orderBy":"productId DESC,quantity","fieldList":["productId","quantity"]||{"docs":[{"productId":"P3","quantity":2},{"productId":"P3","quantity":5},{"productId":"P3","quantity":8},{"productId":"P3","quantity":11}],"count":300}
fieldList limits the fields||,"viewSize":2,"fieldList":["orderItemSeqId","quantity"]|[sorted(x) for x in d["docs"]]|[["orderItemSeqId","quantity"],["orderItemSeqId","quantity"]]
in (list)|,"orderItemSeqId":["00003","00005","00999"],"orderItemSeqId_op":"in"||[x["orderItemSeqId"] for x in d["docs"]]|["00003","00005"]
in (comma-separated string)|,"orderItemSeqId":"00007,00009","orderItemSeqId_op":"in"||[x["orderItemSeqId"] for x in d["docs"]]|["00007","00009"]
greaterThanEqualTo|,"quantity":290,"quantity_op":"greaterThanEqualTo"||[d["count"], min(x["quantity"] for x in d["docs"])]|[11,290]
greaterThan|,"quantity":299,"quantity_op":"greaterThan"||[x["quantity"] for x in d["docs"]]|[300]
lessThan|,"quantity":3,"quantity_op":"lessThan"||[x["quantity"] for x in d["docs"]]|[1,2]
between is inclusive|,"quantity":[10,20],"quantity_op":"between"||[d["count"], min(x["quantity"] for x in d["docs"]), max(x["quantity"] for x in d["docs"])]|[11,10,20]
numbers compare numerically (100 = 100, not as text)|,"quantity":100||[x["orderItemSeqId"] for x in d["docs"]]|["00100"]
no matches|,"productId":"P9"|||{"docs":[],"count":0}
EOF
t_is "OrderHeader by externalId" \
	"$(req POST performFind '{"entityName":"OrderHeader","inputFields":{"externalId":"5001"},"fieldList":["orderId","orderTypeId"]}' >/dev/null; body)" \
	"{\"docs\":[{\"orderId\":\"$PO1\",\"orderTypeId\":\"PURCHASE_ORDER\"}],\"count\":1}"
t_is "unknown entity: 400" "$(req POST performFind '{"entityName":"Nope","noConditionFind":"Y"}')" 400
t_is "unknown field: 400" "$(req POST performFind '{"entityName":"OrderItem","inputFields":{"nope":"1"}}')" 400
t_is "unknown field in fieldList: 400" "$(req POST performFind '{"entityName":"OrderItem","noConditionFind":"Y","fieldList":["nope"]}')" 400
t_is "unknown operator: 400" "$(req POST performFind '{"entityName":"OrderItem","inputFields":{"quantity":1,"quantity_op":"like"}}')" 400

# ---------------------------------------------------------------- receive
recv() { # ORDER SEQ ACCEPTED [REJECTED] -- prints the status
	req POST "oms/purchaseOrders/$1/receive" \
		"{\"facilityId\":\"F1\",\"items\":[{\"orderItemSeqId\":\"$2\",\"quantityAccepted\":$3,\"quantityRejected\":${4:-0}}]}"
}
line() { st "[(i[\"statusId\"], o[\"statusId\"]) for o in d[\"orders\"] if o[\"orderId\"] == \"$1\" for i in o[\"items\"] if i[\"orderItemSeqId\"] == \"$2\"][0]"; }
n0=$(rcpts)
t_before=$(now_ms)
t_is "receive two lines in one call" "$(TOK=$BOBTOK req POST "oms/purchaseOrders/$PO1/receive" \
	'{"facilityId":"F1","items":[{"orderItemSeqId":"00001","productId":"P1","quantityAccepted":0.1,"quantityRejected":0},
	 {"orderItemSeqId":"00001","productId":"P1","quantityAccepted":0.2,"quantityRejected":1}]}')" 200
IDS=$(bj 'd["receiptIds"]')
t_is "... two receipts created" "$(rcpts)" $((n0 + 2))
t_is "... with the receiptIds answered" "$(st '[r["receiptId"] for r in d["receipts"]][-2:]')" "$IDS"
req POST performFind "{\"entityName\":\"ShipmentReceiptAndItem\",\"inputFields\":{\"receiptId\":$IDS,\"receiptId_op\":\"in\"},\"orderBy\":\"receiptId\"}" >/dev/null
t_is "receipts: fields, one shipment, user of the token" \
	"$(bj '[[x["orderId"], x["orderItemSeqId"], x["productId"], x["quantityRejected"], x["receivedByUserLoginId"]] for x in d["docs"]] + [len(set(x["shipmentId"] for x in d["docs"]))]')" \
	"[[\"$PO1\",\"00001\",\"P1\",0,\"bob\"],[\"$PO1\",\"00001\",\"P1\",1,\"bob\"],1]"
t_is "0.1 + 0.2 accepted is exactly 0.3" "$(bj 'sum(x["quantityAccepted"] for x in d["docs"])')" 0.3
t_like "... and the wire holds 0.1 and 0.2 as written" "$(body)" '"quantityAccepted":0\.1,.*"quantityAccepted":0\.2,'
t_ok "datetimeReceived is now" within "$(bj 'd["docs"][0]["datetimeReceived"]')" "$t_before" 60000
req POST performFind "{\"entityName\":\"ShipmentReceiptAndItem\",\"inputFields\":{\"datetimeReceived\":$t_before,\"datetimeReceived_op\":\"greaterThanEqualTo\"}}" >/dev/null
t_is "find receipts since a time" "$(bj 'd["count"]')" 2
t_is "line 1 (12 ordered, 0.3 received) still open" "$(line "$PO1" 00001)" '["ITEM_APPROVED","ORDER_APPROVED"]'
t_is "API-token receipts are by user 'api'" \
	"$(st '[r["receivedByUserLoginId"] for r in d["receipts"] if r["orderItemSeqId"] == "00002"]')" '["api"]'
t_is "over-receipt allowed (15 on 12)" "$(recv "$PO1" 00001 15)" 200
t_is "... line completed, order not (line 2 open)" "$(line "$PO1" 00001)" '["ITEM_COMPLETED","ORDER_APPROVED"]'
t_is "receive 1.5 more on line 2 (2.5 ordered)" "$(recv "$PO1" 00002 1.5)" 200
t_is "... all lines completed: order completed" "$(line "$PO1" 00002)" '["ITEM_COMPLETED","ORDER_COMPLETED"]'
t_is "receive 0.5 of 1.50000001" "$(recv "$PO3" 00001 0.5)" 200
t_is "... still open" "$(line "$PO3" 00001)" '["ITEM_APPROVED","ORDER_APPROVED"]'
t_is "receive 1.00000001 more" "$(recv "$PO3" 00001 1.00000001)" 200
t_is "... exactly complete" "$(line "$PO3" 00001)" '["ITEM_COMPLETED","ORDER_COMPLETED"]'
req POST performFind "{\"entityName\":\"ShipmentReceiptAndItem\",\"inputFields\":{\"orderId\":\"$PO1\"},\"orderBy\":\"orderItemSeqId DESC,quantityAccepted\",\"fieldList\":[\"orderItemSeqId\",\"quantityAccepted\"]}" >/dev/null
t_is "receipts ordered by two keys" "$(bj '" ".join("%s:%s" % (x["orderItemSeqId"], x["quantityAccepted"]) for x in d["docs"])')" \
	'00002:1 00002:1.5 00001:0.1 00001:0.2 00001:15'
n1=$(rcpts)
t_is "unknown order: 400" "$(recv NOPE 00001 1)" 400
t_is "unknown orderItemSeqId: 400" "$(recv "$PO1" 00009 1)" 400
t_is "negative quantity: 400" "$(recv "$PO1" 00001 -1)" 400
t_is "... with _ERROR_MESSAGE_" "$(bj '"_ERROR_MESSAGE_" in d')" true
t_is "bad line among good ones: 400" "$(req POST "oms/purchaseOrders/$PO1/receive" \
	'{"facilityId":"F1","items":[{"orderItemSeqId":"00001","quantityAccepted":1},{"orderItemSeqId":"00042","quantityAccepted":1}]}')" 400
t_is "refused receives created nothing" "$(rcpts)" "$n1"

# ---------------------------------------------------------------- faults
fault() { hw_ctl POST /_sim/fault "$1" >/dev/null; }
FIND1='{"entityName":"OrderHeader","inputFields":{"orderId":"BIG"}}'
fault '{"method":"POST","path":"performFind","kind":"status","status":500,"skip":1,"count":2}'
t_is "status fault: skip 1, then 500 twice, then through" \
	"$(for i in 1 2 3 4; do req POST performFind "$FIND1"; done | tr '\n' ' ')" '200 500 500 200 '
t_is "faults are consumed" "$(hw_ctl GET /_sim/faults)" '[]'
fault '{"path":"performFind","kind":"status","status":502,"body":"Bad gateway, sorry"}'
t_is "status fault with a raw body" "$(req POST performFind "$FIND1"; body)" '502
Bad gateway, sorry'
fault '{"method":"GET","path":"performFind","kind":"status","status":500}'
t_is "a fault for another method does not fire" "$(req POST performFind "$FIND1")" 200
hw_ctl POST /_sim/faults/clear >/dev/null
n1=$(rcpts)
fault '{"path":"oms/purchaseOrders/.*/receive","kind":"error_body","message":"Boom happened"}'
t_is "error_body: HTTP 200" "$(recv BIG 00001 1)" 200
t_is "... with _ERROR_MESSAGE_" "$(bj 'd["_ERROR_MESSAGE_"]')" 'Boom happened'
t_is "... and not processed" "$(rcpts)" "$n1"
fault '{"path":"performFind","kind":"error_list","message":"one"}'
t_is "error_list: HTTP 200 with _ERROR_MESSAGE_LIST_" "$(req POST performFind "$FIND1"; bj 'd["_ERROR_MESSAGE_LIST_"]')" '200
["one"]'
fault '{"path":"performFind","kind":"not_object"}'
t_is "not_object: HTTP 200 with a body that is no JSON object" "$(req POST performFind "$FIND1"; body)" '200
<html>oops</html>'
fault '{"path":"performFind","kind":"delay","seconds":1}'
ta=$(now_ms)
st1=$(req POST performFind "$FIND1")
tb=$(now_ms)
t_is "delay: answered normally" "$st1 $(bj 'd["count"]')" '200 1'
t_ok "... after the delay" [ $((tb - ta)) -ge 1000 ]
n1=$(rcpts)
DROP_CURL="curl -s --cacert $HOTWAX_CA -H @$AUTH -H Content-Type:application/json -o /dev/null"
RECV_BODY='{"facilityId":"F1","items":[{"orderItemSeqId":"00002","quantityAccepted":1}]}'
fault '{"path":"oms/purchaseOrders/BIG/receive","kind":"drop_before"}'
t_exit "drop_before: curl gets an empty reply (52)" 52 \
	$DROP_CURL --data-binary "$RECV_BODY" "${HOTWAX_URL}oms/purchaseOrders/BIG/receive"
t_is "... and nothing was processed" "$(rcpts)" "$n1"
fault '{"path":"oms/purchaseOrders/BIG/receive","kind":"drop_after"}'
t_exit "drop_after: curl gets an empty reply (52)" 52 \
	$DROP_CURL --data-binary "$RECV_BODY" "${HOTWAX_URL}oms/purchaseOrders/BIG/receive"
t_is "... but the receipt was made" "$(rcpts)" $((n1 + 1))
fault '{"path":"performFind","kind":"drop_before","mode":"reset"}'
t_exit "drop_before mode reset: connection reset (curl 56)" 56 \
	$DROP_CURL --data-binary "$FIND1" "${HOTWAX_URL}performFind"
fault '{"path":"performFind","kind":"retry_after","seconds":7}'
t_is "retry_after: 429" "$(curl -s --cacert "$HOTWAX_CA" -H @"$AUTH" -H 'Content-Type: application/json' \
	-D "$SCRATCH/headers" -o /dev/null -w '%{http_code}' --data-binary "$FIND1" "${HOTWAX_URL}performFind")" 429
t_is "... with Retry-After: 7" "$(tr -d '\r' <"$SCRATCH/headers" | sed -n 's/^[Rr]etry-[Aa]fter: *//p')" 7
req POST login '{"USERNAME":"bob","PASSWORD":"s3cret"}' >/dev/null
BOBTOK=$(bj 'd["token"]')
t_is "a fresh login token works" "$(TOK=$BOBTOK req POST performFind "$FIND1")" 200
fault '{"path":"performFind","kind":"expire_tokens"}'
t_is "expire_tokens: the login token gets 401" "$(TOK=$BOBTOK req POST performFind "$FIND1")" 401
t_is "... so does the API token" "$(req POST performFind "$FIND1")" 401
t_is "... a new login works" "$(req POST login '{"USERNAME":"bob","PASSWORD":"s3cret"}')" 200
t_is "... and its token too" "$(TOK=$(bj 'd["token"]') req POST performFind "$FIND1")" 200
hw_ctl POST /_sim/seed "{\"tokens\":[\"$TOK\"]}" >/dev/null

# late receipts
lastseen=$(st 'max(r["datetimeReceived"] for r in d["receipts"])')
fault '{"path":"oms/purchaseOrders/.*/receive","kind":"late_receipts","hide_seconds":30,"backdate_seconds":600}'
t_before=$(now_ms)
t_is "late receipt: receive answers 200" "$(recv BIG 00003 3)" 200
LATE=$(bj 'd["receiptIds"][0]')
FINDLATE="{\"entityName\":\"ShipmentReceiptAndItem\",\"inputFields\":{\"receiptId\":\"$LATE\"}}"
t_is "... hidden from performFind" "$(req POST performFind "$FINDLATE" >/dev/null; body)" '{"docs":[],"count":0}'
t_is "... marked hidden in the state" "$(st "[r['hidden'] for r in d['receipts'] if r['receiptId'] == '$LATE']")" '[true]'
t_is "release-late releases it" "$(hw_ctl POST /_sim/release-late | hw_json 'd["released"]')" 1
req POST performFind "$FINDLATE" >/dev/null
t_is "... now visible" "$(bj 'd["count"]')" 1
dt=$(bj 'd["docs"][0]["datetimeReceived"]')
t_ok "... with a time 600 s in the past" within "$dt" $((t_before - 600000)) 5000
t_ok "... earlier than receipts already seen" [ "$dt" -lt "$lastseen" ]
fault '{"path":"oms/purchaseOrders/.*/receive","kind":"late_receipts","hide_seconds":0.5}'
recv BIG 00004 4 >/dev/null
LATE=$(bj 'd["receiptIds"][0]')
FINDLATE="{\"entityName\":\"ShipmentReceiptAndItem\",\"inputFields\":{\"receiptId\":\"$LATE\"}}"
t_is "hidden for hide_seconds" "$(req POST performFind "$FINDLATE" >/dev/null; bj 'd["count"]')" 0
sleep 0.7
t_is "... then visible by itself" "$(req POST performFind "$FINDLATE" >/dev/null; bj 'd["count"]')" 1
t_is "an unknown fault kind is refused" "$(hw_ctl POST /_sim/fault '{"kind":"nope"}' >/dev/null; echo $?)" 1

# ---------------------------------------------------------------- request log
hw_ctl POST /_sim/requests/clear >/dev/null
fault '{"path":"performFind","kind":"status","status":503}'
req POST performFind "$FIND1" >/dev/null
TOK= req POST login '{"USERNAME":"bob","PASSWORD":"s3cret"}' >/dev/null
hw_ctl GET /_sim/requests >"$SCRATCH/reqs"
t_is "request log: method, path, status, fault, authorization_present" \
	"$(hw_json '[[r["method"], r["path"], r["status"], r["fault"], r["authorization_present"], abs(r["time"] - D('"$(date +%s)"')) < 60] for r in d]' <"$SCRATCH/reqs")" \
	'[["POST","/api/performFind",503,"status",true,true],["POST","/api/login",200,null,false,true]]'
t_ok "... never holds a token" sh -c "! grep -q -e '$TOK' -e '$(bj 'd["token"]')' '$SCRATCH/reqs'"
hw_ctl POST /_sim/requests/clear >/dev/null
curl -s --cacert "$HOTWAX_CA" -H @"$AUTH" -H 'Content-Type: application/json' -o /dev/null -o /dev/null \
	--data-binary "$FIND1" "${HOTWAX_URL}performFind" "${HOTWAX_URL}performFind"
t_is "keep-alive: two calls on one connection" \
	"$(hw_ctl GET /_sim/requests | hw_json '[len(d), len(set(r["conn"] for r in d))]')" '[2,1]'

# ---------------------------------------------------------------- robustness
t_like "garbage on the wire gets 400" \
	"$(printf 'GET /api/login HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n' |
		timeout 5 openssl s_client -quiet -CAfile "$HOTWAX_CA" \
		-connect "127.0.0.1:$HOTWAX_PORT" 2>/dev/null | head -n 1)" '^HTTP/1\.[01] 400'
t_is "truncated multipart: 400" "$(curl -s --cacert "$HOTWAX_CA" -H @"$AUTH" -o /dev/null -w '%{http_code}' \
	-H 'Content-Type: multipart/form-data; boundary=XyZ' \
	--data-binary $'--XyZ\r\nContent-Disposition: form-data; name="configId"\r\n\r\nIMP_PO\r\n--XyZ\r\nContent-Disp' \
	"${HOTWAX_URL}uploadJsonFile")" 400
t_is "a client that hangs up mid-request does no harm" \
	"$(printf 'POST /api/performFind HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n{"en' |
		timeout 5 openssl s_client -quiet -no_ign_eof -CAfile "$HOTWAX_CA" -connect "127.0.0.1:$HOTWAX_PORT" >/dev/null 2>&1
	  req POST performFind "$FIND1")" 200

# ---------------------------------------------------------------- reset, stop
hw_ctl POST /_sim/config '{"hold_processing": true}' >/dev/null
hw_ctl POST /_sim/reset >/dev/null
t_is "reset empties everything" \
	"$(st '[len(d[k]) for k in ("products", "facilities", "users", "orders", "receipts", "logs", "faults")] + [d["tokenCount"], d["config"]["hold_processing"]]')" \
	'[0,0,0,0,0,0,0,0,false]'
t_is "reset forgets the tokens" "$(req POST performFind "$FIND1")" 401
t_is "reset empties the request log too" "$(hw_ctl GET /_sim/requests | hw_json 'len(d)')" 1
kill "$HOTWAX_PID"
wait "$HOTWAX_PID"
t_is "SIGTERM: clean exit" "$?" 0
t_exit "... and the port is closed" 7 curl -s --cacert "$HOTWAX_CA" "https://127.0.0.1:$HOTWAX_PORT/_sim/state"
t_is "... quietly (nothing on stderr)" "$(cat "$SCRATCH/hotwax/sim.log")" ""

t_done
