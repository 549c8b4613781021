#!/bin/sh
# STEM.logid is po-import's record that HotWax took a batch (issue 9,
# finding 10): written whole as a placeholder before the upload, the log
# id written over it after, and only then the batch moved to cur/.  So a
# run that stops between the record and the move (a full disk, a crash)
# leaves a batch in new/ beside its log id, and the next run moves it
# without uploading it a second time.  Before: the next run uploaded it
# again.  A placeholder (the upload never confirmed) never passes for an
# upload that happened.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_po_import_seeded
posync_conf hotwax.log_wait=1

row() {
	printf '{"externalId":"%s","itemExternalId":"1","productSku":"SKU-A","quantity":%s,"externalFacilityId":"116"}' "$1" "${2:-1}"
}
qty() {
	hw_ctl GET /_sim/state | hw_json "[str(i['quantity']) for o in d['orders'] if o['externalId'] == '$1' for i in o['items']][0]"
}
placeholder() { # FILE: the placeholder reserve() writes
	printf '(upload not confirmed by HotWax)%223s\n' '' >"$1"
}

# ---- the log id is on disk, the move to cur/ was not done
printf '[%s]\n' "$(row 9431)" >"$SP/new/m1.json"
t_exit "m1 uploaded" 0 pi
t_is "the .logid is 256 bytes: the room taken before the upload" \
	"$(wc -c <"$SP/cur/m1.logid" | tr -d ' ')" 256
id=$(head -n 1 "$SP/cur/m1.logid")
t_like "its first line is the log id" "$id" "^DM-?[0-9]+$"
rm -f "$SP/cur/m1.logdone"
mv "$SP/cur/m1.json" "$SP/new/m1.json"
clearreq
t_exit "a run finds m1 in new/ beside its log id: exit 0" 0 pi
t_is "quietly" "$(t_err)" ""
t_is "m1 is not uploaded again" "$(uploads)" 0
t_true "m1 is in cur/" -f "$SP/cur/m1.json"
t_true "and not in new/" ! -e "$SP/new/m1.json"
t_is "its log id is kept" "$(head -n 1 "$SP/cur/m1.logid")" "$id"
t_true "its log is followed to the end" -f "$SP/cur/m1.logdone"

# ---- the same, named on the command line from outside the spool
cp "$SP/cur/m1.json" "$SCRATCH/m1.json"
rm -f "$SP/cur/m1.logdone" "$SP/cur/m1.json"
clearreq
t_exit "m1 named from outside, its log id in cur/: exit 0" 0 pi "$SCRATCH/m1.json"
t_is "not uploaded again" "$(uploads)" 0
t_true "m1 is in cur/" -f "$SP/cur/m1.json"

# ---- a run died during the upload: the placeholder, the batch in new/
printf '[%s]\n' "$(row 9432)" >"$SP/new/m2.json"
placeholder "$SP/cur/m2.logid"
clearreq
t_exit "m2 in new/ beside a placeholder: exit 0" 0 pi
t_is "quietly" "$(t_err)" ""
t_is "m2 is uploaded" "$(uploads)" 1
t_like "its .logid holds the log id now" "$(head -n 1 "$SP/cur/m2.logid")" "^DM-?[0-9]+$"
t_true "m2 is in cur/" -f "$SP/cur/m2.json"

# ---- a placeholder beside a batch in cur/: never taken for an upload
printf '[%s]\n' "$(row 9433 7)" >"$SCRATCH/m3.json"
cp "$SCRATCH/m3.json" "$SP/cur/m3.json"
placeholder "$SP/cur/m3.logid"
t_exit "m3 in cur/ with a placeholder (a run died sending it back): exit 0" 0 pi -v
t_like "-v says its upload was never confirmed" "$(t_err)" "m3.json: HotWax never confirmed its upload"
t_true "m3 is back in new/" -f "$SP/new/m3.json"
clearreq
t_exit "the next run uploads it" 0 pi
t_is "once" "$(uploads)" 1
t_is "its line is in HotWax" "$(qty 9433)" 7

# ---- HotWax does not know a log: the batch goes back to new/, once
printf '[%s]\n' "$(row 9434 4)" >"$SP/new/m4.json"
hw_ctl POST /_sim/config '{"hold_processing":true}' >/dev/null
t_exit "m4 uploaded, its log pending" 0 pi
printf 'DM-NOSUCHLOG\n' >"$SP/cur/m4.logid"
t_exit "HotWax does not know m4's log: exit 65" 65 pi
t_like "said" "$(t_err)" "m4.json: HotWax does not know its log DM-NOSUCHLOG"
t_true "m4 is back in new/" -f "$SP/new/m4.json"
t_like "its .logid is a placeholder, not that log" "$(head -n 1 "$SP/cur/m4.logid")" "^\(upload not confirmed"
hw_ctl POST /_sim/config '{"hold_processing":false}' >/dev/null
clearreq
t_exit "the next run uploads it again" 0 pi
t_is "once" "$(uploads)" 1
t_true "m4 is in cur/" -f "$SP/cur/m4.json"
t_like "with a real log id" "$(head -n 1 "$SP/cur/m4.logid")" "^DM-?[0-9]+$"

# ---- a .logid that is neither names no log: the batch is sent back
# (0946 has more)
printf 'not an id!\n' >"$SP/cur/m2.logid"
rm -f "$SP/cur/m2.logdone"
clearreq
t_exit "a garbled .logid: exit 65" 65 pi
t_like "is said, naming it" "$(t_err)" "cur/m2.logid: not a HotWax log id"
t_is "and asked of HotWax neither as a log nor as an upload" "$(uploads)" 0
t_true "m2 is back in new/" -f "$SP/new/m2.json"
t_exit "the next run uploads it again" 0 pi
t_is "once" "$(uploads)" 1

# ---- a batch HotWax refuses leaves no placeholder
printf '[%s]\n' "$(row 9435)" >"$SP/new/m5.json"
hw_ctl POST /_sim/fault '{"kind":"error_body","path":"uploadJsonFile","message":"Refused"}' >/dev/null
t_exit "m5 refused for good: exit 65" 65 pi
t_true "m5 is in failed/" -f "$SP/failed/m5.json"
t_true "and no .logid is left in cur/" ! -e "$SP/cur/m5.logid"
t_done
