#!/bin/sh
# po-import's cur/STEM.logid carries "# posync logid v1" at byte 160, and
# now reads it (review S): a .logid a later posync wrote (a higher
# number) has a layout this one does not know, so nothing in it is taken
# -- not its log id, not its placeholder.  Its batch is left where it is:
# in new/, not uploaded again (HotWax may have it); in cur/, not sent back
# and not pruned.  Said every run, exit 78 (as a later posync's ledger).
# Before, the line was never read: the id line was taken as this
# layout's.  The previous release's .logid (no version line) is 2027's.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_po_import_seeded
posync_conf hotwax.log_wait=1 spool.keep_days=1

pi() { po-import "$@" </dev/null; }
row() {
	printf '{"externalId":"%s","itemExternalId":"1","productSku":"SKU-A","quantity":1,"externalFacilityId":"116"}' "$1"
}
uploads() {
	hw_ctl GET /_sim/requests | hw_json "sum(1 for r in d if r['method'] == 'POST' and r['path'] == '/api/uploadJsonFile')"
}
clearreq() { hw_ctl POST /_sim/requests/clear >/dev/null; }
# later FILE -- make a .logid a later posync's: v2 in its version line
later() { printf '# posync logid v2' | dd of="$1" bs=1 seek=160 conv=notrunc 2>/dev/null; }

# ---- in cur/, its log open: not followed, not sent back, not pruned
printf '[%s]\n' "$(row 9601)" >"$SP/new/l1.json"
hw_ctl POST /_sim/config '{"hold_processing":true}' >/dev/null
t_exit "l1 uploaded, its log pending" 0 pi
t_true "... in cur/" -f "$SP/cur/l1.json"
t_true "... with its .logid, no .logdone" ! -e "$SP/cur/l1.logdone"
later "$SP/cur/l1.logid"
hw_ctl POST /_sim/config '{"hold_processing":false}' >/dev/null
hw_ctl POST /_sim/process >/dev/null
touch -d '10 days ago' "$SP/cur/l1.json" "$SP/cur/l1.logid"
clearreq
t_exit "a later posync's .logid in cur/: 78" 78 pi
t_like "... said, naming it" "$(t_err)" \
	"cur/l1.logid: written by a later posync \(its version line is not \"# posync logid v1\"\)"
t_like "... and its batch, left as it is" "$(t_err)" "cur/l1.json left as it is, not uploaded"
t_true "the batch stays in cur/" -f "$SP/cur/l1.json"
t_true "... not sent back to new/" ! -e "$SP/new/l1.json"
t_true "... not pruned, however old" -f "$SP/cur/l1.logid"
t_true "... its log not closed by this posync" ! -e "$SP/cur/l1.logdone"
t_is "... nothing uploaded" "$(uploads)" 0
t_exit "-n says the same: 78" 78 pi -n
t_like "... said" "$(t_err)" "cur/l1.logid: written by a later posync"
t_exit "the next run: 78 again" 78 pi
t_true "... the batch still there" -f "$SP/cur/l1.json"

# ---- a batch in new/ beside a later posync's .logid: not uploaded
printf '[%s]\n' "$(row 9602)" >"$SP/new/l2.json"
cp "$SP/cur/l1.logid" "$SP/cur/l2.logid"
clearreq
t_exit "a batch in new/, a later posync's .logid beside it: 78" 78 pi
t_like "... said, naming both" "$(t_err)" \
	"cur/l2.logid: written by a later posync .*new/l2.json left as it is, not uploaded"
t_is "... not uploaded" "$(uploads)" 0
t_true "... left in new/" -f "$SP/new/l2.json"
t_true "... not moved to cur/" ! -e "$SP/cur/l2.json"
t_true "... its .logid as it was" -f "$SP/cur/l2.logid"

# ---- the later posync's files gone (a person's act): all as before
rm -f "$SP/cur/l1.logid" "$SP/cur/l2.logid"
clearreq
t_exit "the .logid files gone: the batch in new/ is uploaded" 0 pi
t_is "... once" "$(uploads)" 1
t_true "... and in cur/" -f "$SP/cur/l2.json"
t_done
