#!/bin/sh
# A data-manager log that does not say which rows failed loses nothing:
# a job that failed as a whole (SERVICE_FAILED, one error with rowIndex
# null), and a finished job whose failedRecordCount is above the rows its
# errors name, put every row of the batch in failed/STEM.rows.json, say
# the count truthfully in the .logdone and exit 65; and running po-import
# on the rows file, as its .err says, gets every line into HotWax.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_po_import_seeded

row() { printf '{"externalId":"%s","itemExternalId":"%s","productSku":"SKU-A","quantity":%s,"externalFacilityId":"116"}' "$1" "$2" "$3"; }
lines() { hw_lines po line qty; }
ids() { hw_json '" ".join(sorted("%s/%s" % (r["externalId"], r["itemExternalId"]) for r in d))' <"$1" 2>&1; }

# ---- the job fails as a whole
printf '[%s,%s,%s]\n' "$(row 8601 1 5)" "$(row 8601 2 6)" "$(row 8602 1 7)" >"$SP/new/w1.json"
hw_ctl POST /_sim/config '{"fail_processing":true}' >/dev/null
t_exit "a log SERVICE_FAILED: exit 65" 65 pi
t_like "it is said to have failed as a whole" "$(t_err)" "w1.json.*failed as a whole"
t_is "nothing reached HotWax" "$(lines)" ""
t_is "failed/w1.rows.json holds all three rows" "$(ids "$SP/failed/w1.rows.json")" \
	"8601/1 8601/2 8602/1"
t_like ".logdone counts three failed rows" "$(cat "$SP/cur/w1.logdone" 2>&1)" " SERVICE_FAILED 3 failed$"
t_like "the .err says why" "$(cat "$SP/failed/w1.rows.json.err" 2>&1)" "failed as a whole"
t_like "... and what to do" "$(cat "$SP/failed/w1.rows.json.err" 2>&1)" "w1.rows.json: .*run po-import on it"
hw_ctl POST /_sim/config '{"fail_processing":false}' >/dev/null
t_exit "po-import on the rows file, as the .err says: exit 0" 0 pi "$SP/failed/w1.rows.json"
t_is "every line is in HotWax" "$(lines)" "8601:1:5 8601:2:6 8602:1:7"

# ---- finished, failedRecordCount 2, no error names a row
printf '[%s,%s,%s]\n' "$(row 8611 1 1)" "$(row 8611 2 2)" "$(row 8612 1 3)" >"$SP/new/w2.json"
hex=$(printf '%s' '{"statusId":"SERVICE_FINISHED","failedRecordCount":2,"errors":[]}' | od -An -tx1 | tr -d ' \n')
hw_ctl POST /_sim/config "{\"log_reply_hex\":\"$hex\"}" >/dev/null
t_exit "failedRecordCount 2 with no row named: exit 65" 65 pi
t_like "it is said" "$(t_err)" "w2.json.*does not say which rows failed"
t_is "failed/w2.rows.json holds every row" "$(ids "$SP/failed/w2.rows.json")" \
	"8611/1 8611/2 8612/1"
t_like ".logdone counts two failed" "$(cat "$SP/cur/w2.logdone" 2>&1)" " SERVICE_FINISHED 2 failed$"

# ---- an error with rowIndex out of range, and one with a good index
printf '[%s,%s]\n' "$(row 8621 1 1)" "$(row 8621 2 2)" >"$SP/new/w3.json"
hex=$(printf '%s' '{"statusId":"SERVICE_FINISHED","failedRecordCount":2,"errors":[{"rowIndex":1,"message":"bad"},{"rowIndex":7,"message":"worse"}]}' | od -An -tx1 | tr -d ' \n')
hw_ctl POST /_sim/config "{\"log_reply_hex\":\"$hex\"}" >/dev/null
t_exit "a rowIndex out of range: exit 65" 65 pi
t_is "failed/w3.rows.json holds both rows" "$(ids "$SP/failed/w3.rows.json")" "8621/1 8621/2"

# ---- a good log with one named row still lists only that row
printf '[%s,%s]\n' "$(row 8631 1 1)" "$(row 8631 2 2)" >"$SP/new/w4.json"
hex=$(printf '%s' '{"statusId":"SERVICE_FINISHED","totalRecordCount":2,"failedRecordCount":1,"errors":[{"rowIndex":1,"message":"bad"}]}' | od -An -tx1 | tr -d ' \n')
hw_ctl POST /_sim/config "{\"log_reply_hex\":\"$hex\"}" >/dev/null
t_exit "one row named: exit 65" 65 pi
t_is "failed/w4.rows.json holds that row only" "$(ids "$SP/failed/w4.rows.json")" "8631/2"
hw_ctl POST /_sim/config '{"log_reply_hex":""}' >/dev/null
t_done
