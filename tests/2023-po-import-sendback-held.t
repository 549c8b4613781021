#!/bin/sh
# All or nothing (issue 9, third review, finding 2): a (PO 5801 qty 5)
# is to go back to new/ (its .logid damaged) with b (qty 3, newer), but a
# different b.json waits in new/.  Before, b was refused while the message
# said it went back, a went back alone and HotWax went from 3 to 5.  Now
# a is held in cur/ too, said naming b, exit 65, until a person resolves;
# nothing is uploaded again.  Then the b.json of new/ is renamed away: the
# next run sends a and b back, naming only those that moved.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_po_import_seeded
posync_conf hotwax.log_wait=0
row() {
	printf '[{"externalId":"%s","itemExternalId":"1","productSku":"SKU-A","quantity":%s,"externalFacilityId":"116"}]\n' "$1" "$2"
}

hw_ctl POST /_sim/config '{"hold_processing":true}' >/dev/null
row 5801 5 >"$SP/new/a.json"; touch -d "20 minutes ago" "$SP/new/a.json"
t_exit "a uploaded" 0 pi
row 5801 3 >"$SP/new/b.json"; touch -d "10 minutes ago" "$SP/new/b.json"
t_exit "b uploaded" 0 pi
row 5801 4 >"$SP/new/b.json"		# another batch of that name
printf 'DM10000 \n' >"$SP/cur/a.logid"		# damaged
hw_ctl POST /_sim/config '{"hold_processing":false}' >/dev/null
process
t_is "HotWax has b's quantity" "$(qty 5801)" 3

for run in 1 2; do
	t_exit "run $run: a cannot go back without b: exit 65" 65 pi -v
	t_like "... a is held in cur/, said naming b" "$(t_err)" \
		"cur/a.logid: not a HotWax log id.*cur/a.json is held in cur/, not sent back to new/.*b.json cannot"
	t_like "... b's refusal said" "$(t_err)" \
		"cur/b.json: not sent back to new/ for a second upload: .*new/b.json is there already"
	t_true "... nothing said to go back" \
		-z "$(t_err | grep -e 'goes back to new/' -e 'go back to new/ too')"
	t_is "... nothing uploaded" "$(uploaded)" ""
	t_true "... a stays in cur/" -f "$SP/cur/a.json"
	t_true "... b stays in cur/" -f "$SP/cur/b.json"
	t_true "... a's .logid is left as it was (the trigger)" \
		"$(head -c 8 "$SP/cur/a.logid")" = "DM10000 "
	process
	t_is "... HotWax keeps b's quantity" "$(qty 5801)" 3
done

mv "$SP/new/b.json" "$SCRATCH/b-kept.json"	# a person resolves
t_exit "resolved: a goes back, and b with it" 65 pi
t_like "... said" "$(t_err)" "new/a.json: the batches of cur/.*: b.json\$"
t_true "... a in new/" -f "$SP/new/a.json"
t_true "... b in new/" -f "$SP/new/b.json"
t_exit "the next run uploads them again" 0 pi -v
t_is "... a first" "$(uploaded)" "a.json b.json"
process
t_is "HotWax ends on b's quantity" "$(qty 5801)" 3
t_done
