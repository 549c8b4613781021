#!/bin/sh
# On a full disk po-import uploads nothing it could not record (issue 9,
# finding 10): the room for a batch's log id is taken (STEM.logid written
# whole and fsync'd) before the upload, so a full spool stops the run
# before HotWax has the batch, exit 74 naming it; the batches wait in new/
# and HotWax gets each once, when there is room again.  Before: every
# batch was uploaded, its .logid could not be written, and the next run
# uploaded them all again.  Runs as root (a small tmpfs is the spool).
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

t_need_tmpfs
bed_po_import_seeded
SPOOL=$SCRATCH/spool
mount -t tmpfs -o size=1m,mode=0750 posync-test "$SPOOL" 2>/dev/null ||
	t_skip_all "cannot mount a tmpfs on $SPOOL"
t_at_exit "umount $SPOOL"
mkdir -p "$SP/new"

row() {
	printf '{"externalId":"%s","itemExternalId":"1","productSku":"SKU-A","quantity":1,"externalFacilityId":"116"}' "$1"
}

t_exit "a first run makes the spool tree" 0 pi
printf '[%s]\n' "$(row 9421)" >"$SP/new/b1.json"
printf '[%s]\n' "$(row 9422)" >"$SP/new/b2.json"
dd if=/dev/zero of="$SPOOL/fill" bs=4k 2>/dev/null
t_is "the spool is full" "$(df -P "$SPOOL" | awk 'NR == 2 { print $4 }')" 0

t_exit "a full spool: exit 74" 74 pi
t_like "the message names the first batch" "$(t_err)" "b1.json: not uploaded"
t_is "HotWax received nothing" "$(uploads)" 0
t_true "b1 waits in new/" -f "$SP/new/b1.json"
t_true "b2 too" -f "$SP/new/b2.json"
t_exit "the next run, still full: exit 74" 74 pi
t_is "HotWax has still received nothing" "$(uploads)" 0

rm -f "$SPOOL/fill"
t_exit "with room again: exit 0" 0 pi
t_is "quietly" "$(t_err)" ""
t_is "HotWax received each batch once" "$(uploads)" 2
t_true "b1 is in cur/" -f "$SP/cur/b1.json"
t_like "with its log id" "$(head -n 1 "$SP/cur/b1.logid")" "^DM-?[0-9]+$"
t_true "b2 too" -f "$SP/cur/b2.json"
t_done
