#!/bin/sh
# A data-manager log that does not say how many rows failed is a log in
# doubt: a failedRecordCount that is a string ("2"), negative, not a whole
# number or missing, and a missing totalRecordCount, put every row of the
# batch in failed/STEM.rows.json, exit 65, and the .logdone counts every
# row as failed when HotWax gave no count of failed rows.  (Before: count_of() read each as "none" and the verdict
# took "none" for agreement: exit 0, "0 failed", the rows dropped.)  The
# simulator's own logs, which carry both counts, still give exit 0.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_po_import_seeded

row() { printf '{"externalId":"%s","itemExternalId":"%s","productSku":"SKU-A","quantity":%s,"externalFacilityId":"116"}' "$1" "$2" "$3"; }
ids() { hw_json '" ".join(sorted("%s/%s" % (r["externalId"], r["itemExternalId"]) for r in d))' <"$1" 2>&1; }
lines() { hw_lines po line qty; }
logreply() {
	hw_ctl POST /_sim/config "{\"log_reply_hex\":\"$(printf '%s' "$1" | od -An -tx1 | tr -d ' \n')\"}" >/dev/null
}

n=0
for counts in '"failedRecordCount":"2","totalRecordCount":3' \
	'"failedRecordCount":-1,"totalRecordCount":3' \
	'"totalRecordCount":3' \
	'"failedRecordCount":1.5,"totalRecordCount":3' \
	'"failedRecordCount":0'; do
	n=$((n+1))
	po=896$n
	printf '[%s,%s,%s]\n' "$(row $po 1 1)" "$(row $po 2 2)" "$(row $po 3 3)" >"$SP/new/c$n.json"
	logreply "{\"statusId\":\"SERVICE_FINISHED\",$counts,\"errors\":[]}"
	t_exit "log {$counts}: exit 65" 65 pi
	t_like "... said: the log does not say which rows failed" "$(t_err)" \
		"c$n.json.*does not say which rows failed.*no usable"
	t_is "... failed/c$n.rows.json holds every row" "$(ids "$SP/failed/c$n.rows.json")" \
		"$po/1 $po/2 $po/3"
	# no failedRecordCount: none of the 3 is known to have gone in;
	# a count of 0 with no total is HotWax's count, kept as said
	want=3
	case $counts in *'"failedRecordCount":0'*) want=0 ;; esac
	t_like "... the .logdone counts $want failed" "$(cat "$SP/cur/c$n.logdone" 2>&1)" \
		" SERVICE_FINISHED $want failed$"
	t_like "... the .err explains" "$(cat "$SP/failed/c$n.rows.json.err" 2>&1)" \
		"does not say which rows failed"
done

# ---- the simulator's own log (both counts) is trusted
logreply ""
printf '[%s,%s]\n' "$(row 8970 1 4)" "$(row 8970 2 5)" >"$SP/new/ok.json"
t_exit "a normal log: exit 0" 0 pi
t_like ".logdone says 0 failed" "$(cat "$SP/cur/ok.logdone" 2>&1)" " SERVICE_FINISHED 0 failed$"
t_ok "no rows file for it" test ! -e "$SP/failed/ok.rows.json"
t_like "the lines are in HotWax" "$(lines)" "8970:1:4 8970:2:5"
# ---- and the rows files put every line in
t_exit "po-import on a rows file: exit 0" 0 pi "$SP/failed/c1.rows.json"
t_like "its lines are in HotWax" "$(lines)" "8961:1:1 8961:2:2 8961:3:3"
t_done
