#!/bin/sh
# Pruning goes by the time a file reached its folder, and never takes a
# batch whose HotWax log po-import still follows (issue 9, finding 7).
# Before: a batch that waited in new/ past keep_days was pruned from cur/
# by the very run that uploaded it (its mtime was its creation), so when
# its log finished the failed rows read "PO ?, line ?, SKU ?" and the rows
# file was empty; a batch and its .logid aged in cur/ while the log was
# pending were pruned, and the log forgotten.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_po_import_seeded
posync_conf spool.keep_days=30 hotwax.log_wait=1

row() {
	printf '{"externalId":"%s","itemExternalId":"%s","productSku":"%s","quantity":%s,"externalFacilityId":"116"}' \
		"$1" "$2" "$3" "$4"
}
ids() { hw_json '" ".join(sorted("%s/%s/%s" % (r["externalId"], r["itemExternalId"], r["productSku"]) for r in d))' <"$1" 2>&1; }
age_of() { echo $(( $(date +%s) - $(stat -c %Y "$1" 2>/dev/null || echo 0) )); }

# ---- a batch that waited 40 days in new/
hold true
printf '[%s,%s]\n' "$(row 9401 1 SKU-A 2)" "$(row 9401 2 SKU-NOPE 3)" >"$SP/new/aged.json"
touch -d '40 days ago' "$SP/new/aged.json"
t_exit "a batch 40 days in new/ is uploaded; its log pending: exit 0" 0 pi
t_true "the batch is in cur/ after the run that moved it" -f "$SP/cur/aged.json"
t_true "its mtime is when it reached cur/, not its creation" \
	"$(age_of "$SP/cur/aged.json")" -lt 3600
t_true "its .logid is there" -s "$SP/cur/aged.logid"
hw_ctl POST /_sim/process >/dev/null
hold false
t_exit "its log finishes with a failed row: exit 65" 65 pi
t_like "the row is named with PO, line and SKU" "$(t_err)" \
	"aged.json row 1 \(PO 9401, line 2, SKU SKU-NOPE\)"
t_true "not as unknown" "$(t_err | grep -c 'PO ?')" = 0
t_is "failed/aged.rows.json holds the row" "$(ids "$SP/failed/aged.rows.json")" "9401/2/SKU-NOPE"

# ---- a batch whose log is pending while the batch and .logid age in cur/
hold true
printf '[%s,%s]\n' "$(row 9402 1 SKU-A 2)" "$(row 9402 2 SKU-NOPE 3)" >"$SP/new/slow.json"
t_exit "uploaded, its log pending: exit 0" 0 pi
touch -d '40 days ago' "$SP/cur/slow.json" "$SP/cur/slow.logid"
t_exit "a log pending for 40 days: said, exit 75" 75 pi
t_like "... as pending for hours" "$(t_err)" "slow.logid\) has been pending for more than"
t_true "the batch is not pruned while its log is followed" -f "$SP/cur/slow.json"
t_true "nor its .logid" -s "$SP/cur/slow.logid"
hw_ctl POST /_sim/process >/dev/null
hold false
t_exit "its log finishes: exit 65" 65 pi
t_like "the failed row is named" "$(t_err)" "slow.json row 1 \(PO 9402, line 2, SKU SKU-NOPE\)"
t_is "failed/slow.rows.json holds it" "$(ids "$SP/failed/slow.rows.json")" "9402/2/SKU-NOPE"
t_true "the log is closed" -f "$SP/cur/slow.logdone"
# closed now: the old batch and .logid go, its .logdone (written now) stays
t_true "once the log is closed, the aged batch is pruned" ! -e "$SP/cur/slow.json"
t_true "and its aged .logid" ! -e "$SP/cur/slow.logid"

# ---- keep_days still prunes what is done
touch -d '40 days ago' "$SP/cur/aged.json" "$SP/cur/aged.logid" "$SP/cur/aged.logdone" \
	"$SP/cur/slow.logdone"
t_exit "a quiet run" 0 pi
t_is "every finished file older than keep_days is pruned" "$(ls "$SP/cur")" ""
t_done
