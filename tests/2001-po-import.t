#!/bin/sh
# po-import against the HotWax simulator: batches arrive exactly, a rerun
# uploads nothing, transient errors are retried, refused batches go to
# failed/ with HotWax's words, exhausted retries leave the batch in new/,
# stdin and argument paths, -n, and silence when all went well.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_po_import
SP=$SCRATCH/spool/po
export SP
mkdir -p "$SP/new"

hw_ctl POST /_sim/seed '{"products":[{"productId":"P-A","sku":"SKU-A"},
 {"productId":"P-B","sku":"SKU-B"},{"productId":"P-C","sku":"SKU-C"}],
 "facilities":[{"facilityId":"FAC-116","externalId":"116"}]}' >/dev/null

# helpers: po-import with no stdin (so it takes the spool), HotWax's
# state as "PO:line:product:qty" words, and counts from the request log
lines() {
	hw_ctl GET /_sim/state | hw_json '" ".join(sorted("%s:%s:%s:%s" % (o["externalId"],
	    i["externalId"], i["productId"], i["quantity"]) for o in d["orders"] for i in o["items"]))'
}
nreq() { # METHOD PATH-PREFIX (after /api/)
	hw_ctl GET /_sim/requests | hw_json "sum(1 for r in d if r['method'] == '$1' and r['path'].startswith('/api/$2'))"
}
fault() { hw_ctl POST /_sim/fault "$1" >/dev/null; }
row() { # PO LINE SKU QTY [DATE]
	printf '{"externalId":"%s","itemExternalId":"%s","productSku":"%s","quantity":%s,"externalFacilityId":"116"%s}' \
		"$1" "$2" "$3" "$4" "${5:+,\"arrivalDate\":\"$5\"}"
}
batch() { # NAME ROW... -> $SP/new/NAME.json
	_n=$1; shift
	_sep= ; { printf '['; for _r; do printf '%s%s' "$_sep" "$_r"; _sep=,; done; echo ']'; } >"$SP/new/$_n.json"
}
silent() { t_is "$1: nothing on stdout or stderr" "$(t_out)$(t_err)" ""; }

# ---- two batches from the spool arrive exactly
batch b1 "$(row 1001 1 SKU-A 5 12/24/2026)" "$(row 1001 2 SKU-B 2.5)"
batch b2 "$(row 1002 1 SKU-C 11)" "$(row 1001 3 SKU-A 1)"
clearreq
t_exit "po-import takes new/" 0 pi
silent "a good run"
t_is "HotWax holds exactly the PO lines" "$(lines)" \
	"1001:1:P-A:5 1001:2:P-B:2.5 1001:3:P-A:1 1002:1:P-C:11"
t_is "two uploads" "$(nreq POST uploadJsonFile)" 2
t_is "new/ is empty" "$(ls "$SP/new")" ""
t_true "b1 is in cur/" -f "$SP/cur/b1.json"
t_true "b2 is in cur/" -f "$SP/cur/b2.json"
want=$(hw_ctl GET /_sim/state | hw_json '[l["logId"] for l in d["logs"] if l["fileName"] == "b1.json"][0]')
t_is "b1's log id is kept beside it" "$(head -n 1 "$SP/cur/b1.logid" 2>&1)" "$want"
t_true "and its log was followed to the end" -f "$SP/cur/b1.logdone"
t_is "the arrival date went in" \
	"$(hw_ctl GET /_sim/state | hw_json '[i["estimatedDeliveryDate"] for o in d["orders"] for i in o["items"] if o["externalId"] == "1001" and i["externalId"] == "1"][0]')" \
	2026-12-24

# ---- a rerun uploads nothing
clearreq
t_exit "a rerun" 0 pi
silent "the rerun"
t_is "the rerun sent no request at all" "$(nreq POST '') $(nreq GET '')" "0 0"

# ---- a batch already in cur/ is not uploaded again, by path or by name
cp "$SP/cur/b1.json" "$SCRATCH/b1.json"
clearreq
t_exit "a path in cur/" 0 po-import -v "$SP/cur/b1.json"
t_like "is skipped with a -v note" "$(t_err)" "b1.json.*already imported"
t_exit "a file elsewhere named like a batch in cur/" 0 po-import -v "$SCRATCH/b1.json"
t_like "is skipped too" "$(t_err)" "already imported"
t_is "neither was uploaded" "$(nreq POST uploadJsonFile)" 0

# ---- HotWax answers 500 twice, then accepts
batch b3 "$(row 1003 1 SKU-A 7)"
fault '{"kind":"status","status":500,"count":2,"path":"uploadJsonFile"}'
clearreq
t_exit "500 twice then success" 0 pi
silent "a run with retries"
t_is "three upload requests" "$(nreq POST uploadJsonFile)" 3
t_true "b3 is in cur/" -f "$SP/cur/b3.json"
t_like "its line is in HotWax" "$(lines)" "1003:1:P-A:7"

# ---- 200 with _ERROR_MESSAGE_: refused for good
batch b4 "$(row 1004 1 SKU-A 3)"
fault '{"kind":"error_body","path":"uploadJsonFile","message":"Import of IMP_PO is paused by an administrator"}'
t_exit "an error body" 65 pi
t_like "is said on stderr with HotWax's words" "$(t_err)" "uploadJsonFile.*Import of IMP_PO is paused by an administrator"
t_true "b4 is in failed/" -f "$SP/failed/b4.json"
t_like "its .err quotes HotWax" "$(cat "$SP/failed/b4.json.err" 2>&1)" "Import of IMP_PO is paused by an administrator"
t_true "b4 is not in new/" ! -e "$SP/new/b4.json"
t_true "nor in cur/" ! -e "$SP/cur/b4.json"
t_is "not imported" "$(lines | grep -c 1004:)" 0

# ---- retries exhausted: the batch stays in new/, exit 75
batch b5 "$(row 1005 1 SKU-B 4)"
batch b6 "$(row 1006 1 SKU-B 6)"
fault '{"kind":"status","status":503,"count":20,"path":"uploadJsonFile"}'
clearreq
t_exit "HotWax unavailable through every retry" 75 pi
t_like "the message names the URL" "$(t_err)" "POST https://127.0.0.1:$HOTWAX_PORT/api/uploadJsonFile: HTTP 503"
t_is "1 + retries (3) uploads, and none for the next batch" "$(nreq POST uploadJsonFile)" 4
t_is "the token is not on stderr" "$(t_err | grep -c -F "$(cat "$SCRATCH/hotwax.token")")" 0
t_true "b5 stays in new/" -f "$SP/new/b5.json"
t_true "b6 stays in new/" -f "$SP/new/b6.json"
hw_ctl POST /_sim/faults/clear >/dev/null
t_exit "the next run" 0 pi
silent "the next run"
t_like "imports them" "$(lines)" "1005:1:P-B:4 1006:1:P-B:6"
t_is "new/ is empty" "$(ls "$SP/new")" ""

# ---- paths on stdin: new/ as it was at the start first, then the paths,
# a batch of new/ once; and a batch from outside the spool
nlogs() { hw_ctl GET /_sim/state | hw_json 'len(d["logs"])'; }
uploaded_since() { # N: the file names of the uploads after the first N, in order
	hw_ctl GET /_sim/state | hw_json '" ".join(l["fileName"] for l in d["logs"][int('"$1"'):])'
}
batch b7 "$(row 1007 1 SKU-C 1)"
mkdir -p "$SCRATCH/elsewhere"
echo "[$(row 1008 1 SKU-C 2)]" >"$SCRATCH/elsewhere/b8.json"
n0=$(nlogs)
clearreq
printf '%s\n' "$SCRATCH/elsewhere/b8.json" "$SP/new/b7.json" >"$SCRATCH/paths"
t_exit "paths on stdin" 0 sh -c 'po-import -v <"$SCRATCH/paths"'
t_is "two uploads: b7 once though new/ and stdin both hold it" "$(nreq POST uploadJsonFile)" 2
t_is "new/'s batch first, then the path from stdin" "$(uploaded_since "$n0")" "b7.json b8.json"
t_like "-v says the stdin line naming b7 was skipped" "$(t_err)" "new/b7\.json: taken already in this run"
t_like "both imported" "$(lines)" "1007:1:P-C:1 1008:1:P-C:2"
t_true "b8 was taken into cur/" -f "$SP/cur/b8.json"
t_true "b8's original is left where it was" -f "$SCRATCH/elsewhere/b8.json"
t_true "b7's log was followed to the end" -f "$SP/cur/b7.logdone"
t_true "b8's log was followed to the end" -f "$SP/cur/b8.logdone"

# ---- arguments: exactly the batches named, not new/
batch b9 "$(row 1009 1 SKU-C 9)"
batch b10 "$(row 1010 1 SKU-C 10)"
n0=$(nlogs)
t_exit "a batch named as an argument, with a stdin that names another" 0 \
	sh -c 'echo "$SP/new/b9.json" | po-import "$SP/new/b10.json"'
silent "an argument run"
t_is "only the batch named was uploaded" "$(uploaded_since "$n0")" "b10.json"
t_true "b9 waits in new/" -f "$SP/new/b9.json"

# ---- -n says which batches would go, and sends nothing
clearreq
t_exit "-n" 0 pi -n
t_is "lists the batch on stdout" "$(t_out)" "$SP/new/b9.json"
t_is "sent nothing" "$(nreq POST '') $(nreq GET '')" "0 0"
t_true "b9 still waits" -f "$SP/new/b9.json"

# ---- not a batch
echo '{"not":"an array"}' >"$SP/new/bad.json"
t_exit "a batch that is not a JSON array" 65 pi -n
t_like "is named" "$(t_err)" "bad.json: not a JSON array"
rm -f "$SP/new/bad.json"

# ---- a second copy while one runs: try later
if command -v flock >/dev/null; then
	t_exit "a second copy exits 75" 75 flock "$SCRATCH/spool/state/po-import.lock" sh -c 'po-import </dev/null'
	t_like "saying why" "$(t_err)" "already running"
	t_true "b9 still waits" -f "$SP/new/b9.json"
fi

# ---- command line
t_exit "-h" 0 po-import -h
t_like "prints usage and the exit table" "$(t_out)" "usage: po-import.*"
t_exit "a bad option" 64 po-import --bogus
t_exit "-V" 0 po-import -V
t_like "prints the version" "$(t_out)" "^po-import posync "

t_done
