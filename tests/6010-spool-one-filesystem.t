#!/bin/sh
# A spool area split across filesystems or mounts is refused at start,
# exit 78, naming the folder (issue 9, finding 10): every move within an
# area is a rename(2), which fails with EXDEV across them.  Before: with
# po/cur mounted apart, po-import uploaded a batch, could not move it, and
# the next run uploaded it again, for ever.  All four programs check, in
# spool_init.  Runs as root (tmpfs and bind mounts).
. "${0%/*}/lib.sh"
. "$BED/bed.sh"
bed_mounts
SP=$SPOOL/po

t_exit "a first run makes the spool tree" 0 pi
printf '[{"externalId":"9441","itemExternalId":"1","productSku":"SKU-A","quantity":1,"externalFacilityId":"116"}]\n' \
	>"$SP/new/x1.json"

# ---- po/cur on a tmpfs
t_mount tmpfs "$SP/cur"
t_exit "po/cur on another filesystem: po-import exits 78" 78 pi
t_like "naming the folder" "$(t_err)" "spool/po/cur is on another filesystem or mount than .*spool/po"
t_is "HotWax received nothing" "$(uploads)" 0
t_true "the batch waits in new/" -f "$SP/new/x1.json"
t_exit "so does receipt-push" 78 receipt-push </dev/null
t_like "naming the folder" "$(t_err)" "spool/po/cur is on another"
t_exit "and receipt-export" 78 receipt-export
t_like "naming the folder" "$(t_err)" "spool/po/cur is on another"
t_exit "and po-export-parse" 78 po-export-parse
t_like "naming the folder" "$(t_err)" "spool/po/cur is on another"
umount "$SP/cur"

# ---- receipt/new bound from a folder of the same filesystem
t_mount bind "$SPOOL/receipt/new"
t_exit "receipt/new a bind mount (same filesystem): receipt-push exits 78" 78 receipt-push </dev/null
t_like "naming the folder" "$(t_err)" "spool/receipt/new is on another filesystem or mount than .*spool/receipt"
t_exit "po-import too (one spool)" 78 pi
t_is "HotWax still received nothing" "$(uploads)" 0
umount "$SPOOL/receipt/new"

# ---- a whole area on a filesystem of its own is one filesystem: fine
t_mount tmpfs "$SPOOL/receipt"
t_exit "receipt/ a tmpfs of its own: receipt-push runs, exit 0" 0 receipt-push </dev/null
t_true "its folders are made there" -d "$SPOOL/receipt/cur"
t_exit "and po-import, exit 0" 0 pi
t_is "the batch is uploaded once" "$(uploads)" 1
t_true "and in cur/" -f "$SP/cur/x1.json"
t_done
