#!/bin/sh
# A 2xx answer to uploadJsonFile without a usable logId (a wrong base_url,
# a proxy answering {}) is not an acceptance: the batch stays in new/, the
# run says what came back (escaped, bounded) and exits 76, later batches
# wait too, and the next good run uploads them all.  It used to move the
# batch to cur/: its POs never reached HotWax.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_po_import_seeded

batch() { # NAME PO
	printf '[{"externalId":"%s","itemExternalId":"1","productSku":"SKU-A","quantity":2,"externalFacilityId":"116"}]\n' \
		"$2" >"$SP/new/$1.json"
}
nup() { hw_ctl GET /_sim/requests | hw_json "sum(1 for r in d if r['path'] == '/api/uploadJsonFile')"; }
norders() { hw_ctl GET /_sim/state | hw_json 'len(d["orders"])'; }
# no_logid answers with REPLY (a JSON value) instead of taking the upload
hostile() { # REPLY [STATUS]
	hw_ctl POST /_sim/requests/clear >/dev/null
	hw_ctl POST /_sim/fault "{\"kind\":\"no_logid\",\"path\":\"uploadJsonFile\",\"status\":${2:-200},\"reply\":$1}" >/dev/null
}

batch b1 501
batch b2 502
for reply in '{}' '{"logId":""}' '{"logId":null}' '{"logId":12345}' \
	'{"logId":"../../x"}' '{"ok":true,"data":{"logId":"DM1"}}'; do
	hostile "$reply"
	t_exit "reply $reply: exit 76" 76 po-import </dev/null
	t_true "  b1 stays in new/" -f "$SP/new/b1.json"
	t_true "  and is not in cur/" ! -e "$SP/cur/b1.json"
	t_true "  no .logid was written" ! -e "$SP/cur/b1.logid"
	t_true "  b2 stays in new/ too" -f "$SP/new/b2.json"
	t_is "  one upload was tried, then the run stopped" "$(nup)" 1
	t_like "  stderr says what went wrong" "$(t_err)" \
		"b1.json: the answer to POST .*uploadJsonFile holds no usable logId"
done
hostile '[]'
t_exit "reply []: exit 76" 76 po-import </dev/null
t_like "  said to be no JSON object" "$(t_err)" "uploadJsonFile: HTTP 200: the answer is not a JSON object"
t_true "  b1 stays in new/" -f "$SP/new/b1.json"
hostile '{}' 201
t_exit "a 201 with {}: exit 76 too" 76 po-import </dev/null
t_like "  showing what came back" "$(t_err)" "The answer: \\{\\}$"
t_true "  b1 stays in new/" -f "$SP/new/b1.json"

# what came back is shown escaped and bounded
hostile '{"msg":"line1\nFORGED: all good\u001b[2J\u009b31m","pad":"'"$(printf '%0900d' 0)"'"}'
t_exit "a hostile reply: exit 76" 76 po-import </dev/null
t_true "  stderr is one line" "$(t_err | wc -l)" -eq 1
t_true "  no ESC byte reaches stderr" "$(t_err | LC_ALL=C tr -dc '\033\233' | wc -c)" -eq 0
t_true "  no C1 control (UTF-8 c2 9b) either" "$(t_err | od -An -tx1 | tr -d ' \n' | grep -c 'c29b')" -eq 0
t_true "  and it is bounded (under 600 bytes)" "$(t_err | wc -c)" -lt 600
t_like "  the reply is cut with ..." "$(t_err)" '000\.\.\.$'
t_is "HotWax holds no PO yet" "$(norders)" 0

# the next good run uploads both
t_exit "a good run: exit 0" 0 po-import </dev/null
t_true "  b1 is in cur/" -f "$SP/cur/b1.json"
t_true "  b2 is in cur/" -f "$SP/cur/b2.json"
t_is "  new/ is empty" "$(ls "$SP/new")" ""
t_is "  HotWax holds both POs" "$(norders)" 2

t_done
