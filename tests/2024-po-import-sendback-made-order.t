#!/bin/sh
# A chain sent back where a batch has no "made" time (issue 9, third
# review, finding 3): c1..c6 (PO 5901 qty 1..6) were uploaded in the order
# made; then c1's .logid is damaged, c3 has lost its .logid and c5 has one
# of an older posync (the log id alone).  Before, c3 and c5 went back with
# the time they reached cur/, later than the others' made times, were
# uploaded again last and HotWax ended on 5.  Now the whole chain is
# ordered by when each reached cur/ (the order HotWax accepted them in)
# and given made times in that order from the earliest one known.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_po_import_seeded
posync_conf hotwax.log_wait=0

for i in 1 2 3 4 5 6; do
	printf '[{"externalId":"5901","itemExternalId":"1","productSku":"SKU-A","quantity":%s,"externalFacilityId":"116"}]\n' $i >"$SP/new/c$i.json"
	touch -d "$((70 - 10 * i)) minutes ago" "$SP/new/c$i.json"
done
hw_ctl POST /_sim/config '{"hold_processing":true}' >/dev/null
t_exit "c1..c6 uploaded, their logs pending" 0 pi -v
t_is "... in the order made" "$(uploaded)" "c1.json c2.json c3.json c4.json c5.json c6.json"
printf 'DM10000 \n' >"$SP/cur/c1.logid"			# damaged
rm "$SP/cur/c3.logid"					# lost
id5=$(head -n 1 "$SP/cur/c5.logid")
printf '%s\n' "$id5" >"$SP/cur/c5.logid"		# an older posync's
hw_ctl POST /_sim/config '{"hold_processing":false}' >/dev/null
process
t_is "HotWax has c6's quantity" "$(qty 5901)" 6
t_exit "c1's .logid damaged: the chain goes back, exit 65" 65 pi
t_like "... said" "$(t_err)" "new/c1.json: the batches of cur/.*: c2.json, c3.json, c4.json, c5.json, c6.json\$"
prev=0
for i in 1 2 3 4 5 6; do
	m=$(stat -c %.9Y "$SP/new/c$i.json")
	t_true "c$i in new/ after c$((i - 1)) ($m > $prev)" \
		"$(echo "$m > $prev" | bc)" = 1
	prev=$m
done
age=$(( $(date +%s) - $(stat -c %Y "$SP/new/c6.json") ))
t_true "... from c2's made time, 50 minutes ago (c6 age ${age}s)" \
	"$age" -ge 2950 -a "$age" -le 3100
t_exit "the next run uploads them again" 0 pi -v
t_is "... in the order accepted before" "$(uploaded)" \
	"c1.json c2.json c3.json c4.json c5.json c6.json"
process
t_is "HotWax ends on c6's quantity" "$(qty 5901)" 6
t_done
