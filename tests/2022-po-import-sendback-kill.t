#!/bin/sh
# kill -9 at any point of a send-back (issue 9, third review, finding 1):
# a's .logid is damaged, so a goes back to new/ with b, the newer batch of
# the same PO.  Before, a moved first and b after it: killed between the
# two, b stayed in cur/ for good, the next run uploaded a alone and HotWax
# ended on a's old quantity.  Now every .logid of the chain becomes the
# placeholder first, b moves, and a last: wherever the run dies, a is not
# in new/ without b, and the runs after it end on b's quantity.  The kill
# comes at each rename(2) of the run in turn (strace inject).
. "${0%/*}/lib.sh"
t_need_strace
. "$BED/bed.sh"

bed_po_import_seeded
posync_conf hotwax.log_wait=0
pi() { po-import "$@" </dev/null 2>>"$SCRATCH/runs"; }
row() {
	printf '[{"externalId":"%s","itemExternalId":"1","productSku":"SKU-A","quantity":%s,"externalFacilityId":"116"}]\n' "$1" "$2"
}

killed=0
for k in 1 2 3 4 5 6 7 8; do
	po=57$k a=a$k.json b=b$k.json
	hw_ctl POST /_sim/config '{"hold_processing":true}' >/dev/null
	row "$po" 5 >"$SP/new/$a"
	touch -d "10 minutes ago" "$SP/new/$a"
	pi
	printf 'DM10000 \n' >"$SP/cur/a$k.logid"		# damaged
	hw_ctl POST /_sim/config '{"hold_processing":false}' >/dev/null
	process
	row "$po" 3 >"$SP/new/$b"
	touch -d "5 minutes ago" "$SP/new/$b"
	# b is uploaded, a's .logid found damaged, a and b sent back: killed
	# at the k-th rename
	strace -f -o /dev/null -e trace=rename,renameat,renameat2 \
		-e inject=rename,renameat,renameat2:signal=KILL:when=$k \
		po-import </dev/null 2>>"$SCRATCH/runs"
	[ $? = 137 ] && killed=$((killed + 1))
	t_true "kill at rename $k: a is not in new/ without b" \
		! -e "$SP/new/$a" -o -e "$SP/new/$b"
	for n in 1 2 3; do process; pi; done
	process
	t_is "... the runs after it end on b's quantity" "$(qty "$po")" 3
	t_true "... nothing waits in new/" -z "$(ls "$SP/new")"
	t_true "... a and b have their logs closed in cur/" \
		-e "$SP/cur/a$k.logdone" -a -e "$SP/cur/b$k.logdone"
done
t_true "the runs were killed at each of several points ($killed)" "$killed" -ge 5
t_done
