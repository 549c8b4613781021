#!/bin/sh
# Batches a failed run left in new/ go with the next cron tick, first.
# HotWax answers 503 to every upload: the pipe exits 75 and the batch
# stays in new/.  NetSuite then exports a new file and the crontab's pipe
# runs: po-import takes what waited in new/ when it started, then the
# paths po-export-parse prints, so both batches arrive in that run, the
# leftover first; exit 0, nothing said, both logs followed.  With
# arguments, only the batches named go.  And new/ is looked at when the
# run starts: a batch written after that comes after the leftovers even
# when its name sorts before theirs.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_all
SP=$SCRATCH/spool/po

hw_ctl POST /_sim/seed '{"products":[{"productId":"P-A","sku":"SKU-A"},{"productId":"P-B","sku":"SKU-B"}],
 "facilities":[{"facilityId":"FAC-116","externalId":"116"}]}' >/dev/null ||
	{ echo "Bail out! seeding HotWax failed"; exit 1; }
posync_conf

# po ID SKU QTY -- one NetSuite PO of one line, as netsuite-sim loads them
po() {
	printf '[{"id": "%s", "facility": "116", "arrival": "", "lines": [{"line_id": "1", "sku": "%s", "quantity": "%s"}]}]\n' \
		"$1" "$2" "$3" >"$SCRATCH/po$1.json"
}
nlogs() { hw_ctl GET /_sim/state | hw_json 'len(d["logs"])'; }
uploaded_since() { # N: the file names of the uploads after the first N, in order
	hw_ctl GET /_sim/state | hw_json '" ".join(l["fileName"] for l in d["logs"][int('"$1"'):])'
}
pos_in_hotwax() { # the PO ids HotWax holds, sorted
	hw_ctl GET /_sim/state | hw_json '" ".join(sorted(o["externalId"] for o in d["orders"]))'
}
nreq() { # METHOD PATH-PREFIX (after /api/)
	hw_ctl GET /_sim/requests | hw_json "sum(1 for r in d if r['method'] == '$1' and r['path'].startswith('/api/$2'))"
}
fail_uploads() { hw_ctl POST /_sim/fault '{"kind":"status","status":503,"count":20,"path":"uploadJsonFile"}' >/dev/null; }
heal() { hw_ctl POST /_sim/faults/clear >/dev/null; }
newest() { ls "$SP/new"; }

# ---- a run in which HotWax is down leaves its batch in new/
po 13000001 SKU-A 5
t_ok "NetSuite has PO 13000001" ns load "$SCRATCH/po13000001.json"
t_ok "NetSuite exports it" ns export --now 1767607200 --age 300	# Mon Jan 05 2026
fail_uploads
hw_ctl POST /_sim/requests/clear >/dev/null
t_exit "the pipe while HotWax answers 503 to every upload: 75" 75 flow_inbound
t_like "... said, with the URL" "$(t_err)" "uploadJsonFile: HTTP 503"
t_is "... 1 + 3 retries uploads" "$(nreq POST uploadJsonFile)" 4
left=$(newest)
t_like "... the batch stays in new/" "$left" '^[^ ]+\.json$'
t_like "... and it is PO 13000001's" "$(cat "$SP/new/$left" 2>&1)" '"externalId": *"13000001"'
t_is "HotWax holds no PO" "$(pos_in_hotwax)" ""
heal

# ---- NetSuite exports a new file: the next tick takes both, leftover first
po 13000002 SKU-B 7
t_ok "NetSuite has PO 13000002" ns load "$SCRATCH/po13000002.json"
t_ok "NetSuite exports it" ns export --now 1768212000 --age 300	# Mon Jan 12 2026
n0=$(nlogs)
t_exit "the pipe, HotWax back: exits 0" 0 flow_inbound
t_is "... and prints nothing" "$(t_out)$(t_err)" ""
t_is "HotWax holds both POs" "$(pos_in_hotwax)" "13000001 13000002"
newb=$(ls "$SP/cur" | grep '\.json$' | grep -vxF "$left")
t_like "the new batch is PO 13000002's" "$(cat "$SP/cur/$newb" 2>&1)" '"externalId": *"13000002"'
t_is "two uploads in the run: the leftover, then the new batch" "$(uploaded_since "$n0")" "$left $newb"
t_is "nothing waits in new/" "$(newest)" ""
t_true "the leftover's log was followed to the end" -f "$SP/cur/${left%.json}.logdone"
t_true "the new batch's log was followed to the end" -f "$SP/cur/${newb%.json}.logdone"
t_is "nothing failed" "$(ls "$SP/failed")" ""

# ---- with arguments: only the batches named
po 13000003 SKU-A 3
t_ok "NetSuite has PO 13000003" ns load "$SCRATCH/po13000003.json"
t_ok "NetSuite exports it" ns export --now 1768816800 --age 300	# Mon Jan 19 2026
fail_uploads
t_exit "HotWax down again: 75" 75 flow_inbound
left=$(newest)
t_like "... PO 13000003's batch stays in new/" "$(cat "$SP/new/$left" 2>&1)" '"externalId": *"13000003"'
heal
po 13000004 SKU-B 4
t_ok "NetSuite has PO 13000004" ns load "$SCRATCH/po13000004.json"
t_ok "NetSuite exports it" ns export --now 1769421600 --age 300	# Mon Jan 26 2026
t_ok "po-export-parse alone writes its batch" po-export-parse </dev/null
named=$(t_out)
t_like "... and prints its path" "$named" "^$SP/new/[^/]+\\.json\$"
n0=$(nlogs)
t_exit "po-import with that path as its argument" 0 po-import "$named" </dev/null
t_is "... prints nothing" "$(t_out)$(t_err)" ""
t_is "... uploads only the batch named" "$(uploaded_since "$n0")" "${named##*/}"
t_true "... the leftover still waits in new/" -f "$SP/new/$left"
t_is "HotWax holds PO 13000004, not 13000003" "$(pos_in_hotwax)" "13000001 13000002 13000004"
n0=$(nlogs)
t_exit "po-import alone then takes new/" 0 po-import </dev/null
t_is "... the leftover" "$(uploaded_since "$n0")" "$left"

# ---- new/ is looked at when the run starts.  A leftover zz.json; the run
# reads a fifo; once the leftover is uploaded, aa.json comes into new/
# and its path down the fifo: it goes second, though "aa" < "zz".
printf '[{"externalId":"13000005","itemExternalId":"1","productSku":"SKU-A","quantity":1,"externalFacilityId":"116"}]\n' >"$SP/new/zz.json"
mkfifo "$SCRATCH/fifo"
exec 3<>"$SCRATCH/fifo"	# a writer, so that po-import's open does not wait
n0=$(nlogs)
po-import <"$SCRATCH/fifo" >"$SCRATCH/fifo.out" 2>"$SCRATCH/fifo.err" 3>&- &
pid=$!
t_at_exit "kill $pid"
n=0
while [ "$(uploaded_since "$n0")" != zz.json ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
t_is "the leftover is uploaded before stdin has said anything" "$(uploaded_since "$n0")" zz.json
printf '[{"externalId":"13000006","itemExternalId":"1","productSku":"SKU-B","quantity":2,"externalFacilityId":"116"}]\n' >"$SP/new/aa.json"
echo "$SP/new/aa.json" >&3
exec 3>&-
n=0
while kill -0 $pid 2>/dev/null && [ $n -lt 200 ]; do sleep 0.1; n=$((n + 1)); done
kill $pid 2>/dev/null	# never a hung test: a run still going is a failure below
wait $pid
t_is "the run ends at the fifo's end, exit 0" "$?" 0
t_is "... prints nothing" "$(cat "$SCRATCH/fifo.out" "$SCRATCH/fifo.err")" ""
t_is "... and uploads the leftover, then the batch named on stdin" "$(uploaded_since "$n0")" "zz.json aa.json"
t_is "HotWax holds both" "$(pos_in_hotwax)" "13000001 13000002 13000003 13000004 13000005 13000006"

t_done
