#!/bin/sh
# A cur/STEM.logid that cannot be read (here a folder in its place: EISDIR,
# as an I/O error or a permission would) says nothing of whether HotWax
# took the batch: the batch waiting in new/ beside it is left there, the
# run says why and exits 74, and nothing is uploaded, until a person
# looks.  Before: the batch was uploaded again beside a .logid no run can
# write, so the upload's record could not be kept.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_po_import_seeded
t_exit "a first run makes the spool" 0 pi

printf '[%s]\n' '{"externalId":"5201","itemExternalId":"1","productSku":"SKU-A","quantity":1,"externalFacilityId":"116"}' \
	>"$SP/new/u-1.json"
mkdir "$SP/cur/u-1.logid"
clearreq
t_exit "a .logid that cannot be read: exit 74" 74 pi
t_like "naming it" "$(t_err)" "cannot read .*cur/u-1.logid"
t_like "  and the batch left" "$(t_err)" "u-1.json: not uploaded while its .logid in cur/ cannot be read"
t_is "nothing uploaded" "$(uploads)" 0
t_true "the batch waits in new/" -f "$SP/new/u-1.json"
t_true "not in cur/" ! -e "$SP/cur/u-1.json"
t_exit "-n says the same: exit 74" 74 pi -n
t_is "  and uploads nothing" "$(uploads)" 0

rmdir "$SP/cur/u-1.logid"
t_exit "once it is gone, the next run uploads the batch" 0 pi
t_is "one upload" "$(uploads)" 1
t_true "the batch is in cur/" -f "$SP/cur/u-1.json"
t_done
