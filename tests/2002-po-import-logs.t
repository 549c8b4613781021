#!/bin/sh
# po-import follows HotWax's data-manager logs: a row HotWax failed is
# reported with its PO and line and kept in failed/, a log still pending
# when log_wait ends is followed by the next run without a new upload, and
# an expired token mid-run is renewed by logging in again.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_po_import
SP=$SCRATCH/spool/po
mkdir -p "$SP/new"

hw_ctl POST /_sim/seed '{"products":[{"productId":"P-A","sku":"SKU-A"},
 {"productId":"P-B","sku":"SKU-B"}],
 "facilities":[{"facilityId":"FAC-116","externalId":"116"}]}' >/dev/null

lines() { hw_lines po line product qty; }
nreq() {
	hw_ctl GET /_sim/requests | hw_json "sum(1 for r in d if r['method'] == '$1' and r['path'].startswith('/api/$2'))"
}
row() {
	printf '{"externalId":"%s","itemExternalId":"%s","productSku":"%s","quantity":%s,"externalFacilityId":"%s"}' \
		"$1" "$2" "$3" "$4" "${5:-116}"
}
batch() {
	_n=$1; shift
	_sep= ; { printf '['; for _r; do printf '%s%s' "$_sep" "$_r"; _sep=,; done; echo ']'; } >"$SP/new/$_n.json"
}

# ---- an unknown SKU and an unknown facility fail alone
batch r1 "$(row 2001 1 SKU-A 1)" "$(row 2001 2 SKU-NOPE 2)" "$(row 2002 7 SKU-B 3)" \
	"$(row 2002 8 SKU-A 4 999)"
t_exit "rows HotWax failed" 65 pi
t_like "the unknown SKU is reported with PO and line" "$(t_err)" \
	"r1.json row 1 \(PO 2001, line 2, SKU SKU-NOPE\).*Product not found for SKU 'SKU-NOPE'"
t_like "the unknown facility too" "$(t_err)" \
	"r1.json row 3 \(PO 2002, line 8, SKU SKU-A\).*Facility not found for externalId '999'"
t_is "one line each on stderr" "$(t_err | wc -l | tr -d ' ')" 2
t_is "the rest is imported" "$(lines)" "2001:1:P-A:1 2002:7:P-B:3"
t_true "the batch is in cur/" -f "$SP/cur/r1.json"
t_is "failed/r1.rows.json holds exactly the failed rows" \
	"$(hw_json '" ".join("%s/%s" % (r["externalId"], r["itemExternalId"]) for r in d)' <"$SP/failed/r1.rows.json" 2>&1)" \
	"2001/2 2002/8"
t_like "its .err says why" "$(cat "$SP/failed/r1.rows.json.err" 2>&1)" "Product not found for SKU 'SKU-NOPE'"
t_true "the log is closed" -f "$SP/cur/r1.logdone"
clearreq
t_exit "a rerun" 0 pi
t_is "is silent" "$(t_out)$(t_err)" ""
t_is "and asks HotWax nothing" "$(nreq POST '') $(nreq GET '')" "0 0"

# ---- processing held: the log is still pending when log_wait ends
posync_conf hotwax.log_wait=1
hw_ctl POST /_sim/config '{"hold_processing":true}' >/dev/null
batch h1 "$(row 2101 1 SKU-A 5)"
clearreq
t_exit "a log still pending after log_wait: exit 0" 0 pi
t_is "silently" "$(t_out)$(t_err)" ""
t_true "h1 is in cur/" -f "$SP/cur/h1.json"
t_true "with its log id" -s "$SP/cur/h1.logid"
t_true "but the log is not closed" ! -e "$SP/cur/h1.logdone"
t_true "it was looked at more than once" "$(nreq GET dataManagerLogs)" -ge 2
t_is "nothing imported yet" "$(lines | grep -c 2101:)" 0
hw_ctl POST /_sim/process >/dev/null
hw_ctl POST /_sim/config '{"hold_processing":false}' >/dev/null
clearreq
t_exit "the next run follows the log" 0 pi
t_is "silently" "$(t_out)$(t_err)" ""
t_is "without uploading again" "$(nreq POST uploadJsonFile)" 0
t_is "one look at the log" "$(nreq GET dataManagerLogs)" 1
t_true "the log is closed" -f "$SP/cur/h1.logdone"
t_like "the line is in HotWax" "$(lines)" "2101:1:P-A:5"

# a held log whose batch had a bad row: reported by the run that sees it end
hw_ctl POST /_sim/config '{"hold_processing":true}' >/dev/null
batch h2 "$(row 2102 1 SKU-A 5)" "$(row 2102 2 SKU-NOPE 5)"
t_exit "held again" 0 pi
hw_ctl POST /_sim/process >/dev/null
hw_ctl POST /_sim/config '{"hold_processing":false}' >/dev/null
t_exit "the next run reports the failed row" 65 pi
t_like "with PO and line" "$(t_err)" "row 1 \(PO 2102, line 2"
t_true "rows file" -f "$SP/failed/h2.rows.json"

# ---- the token expires mid-run: log in again, everything imported
HW_USER=po-import-test
( umask 077
  od -An -tx1 -N12 /dev/urandom | tr -d ' \n' >"$SCRATCH/hotwax.password"
  printf '{"users":[{"username":"%s","password":"%s"}]}' "$HW_USER" \
	"$(cat "$SCRATCH/hotwax.password")" >"$SCRATCH/seed-user.json" )
curl -sf --cacert "$HOTWAX_CA" -H 'Content-Type: application/json' \
	--data-binary @"$SCRATCH/seed-user.json" \
	"https://127.0.0.1:$HOTWAX_PORT/_sim/seed" >/dev/null
posync_conf hotwax.token_file= hotwax.username=$HW_USER \
	hotwax.password_file="$SCRATCH/hotwax.password"
batch t1 "$(row 2201 1 SKU-A 1)"
batch t2 "$(row 2202 1 SKU-A 2)"
batch t3 "$(row 2203 1 SKU-B 3)"
hw_ctl POST /_sim/fault '{"kind":"expire_tokens","path":"uploadJsonFile","skip":1}' >/dev/null
clearreq
t_exit "tokens expire during the run" 0 pi
t_is "silently" "$(t_out)$(t_err)" ""
t_like "all three imported" "$(lines)" "2201:1:P-A:1 2202:1:P-A:2 2203:1:P-B:3"
t_is "two logins: the first and one after the expiry" "$(nreq POST login)" 2
t_is "four uploads: three and the one retried" "$(nreq POST uploadJsonFile)" 4
t_is "nothing left in new/" "$(ls "$SP/new")" ""
t_is "the password never on stderr" "$(grep -c -F "$(cat "$SCRATCH/hotwax.password")" "$SCRATCH/.err")" 0

t_done
