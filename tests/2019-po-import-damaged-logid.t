#!/bin/sh
# A damaged cur/STEM.logid (a stray blank, an empty file) names no log:
# the batch goes back to new/ to be uploaded again, as for a log HotWax
# does not know, exit 65 naming the file, and is never pruned unreported
# (issue 9, review of finding 10).  Before: every run said "not a HotWax
# log id" and exited 0; after keep_days the batch was pruned and the rows
# HotWax failed in its log were never reported.  The placeholder of an
# unconfirmed upload keeps its own rule.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_po_import_seeded
posync_conf hotwax.log_wait=1 spool.keep_days=1

# one good row, one whose SKU HotWax does not know: it fails in the log
batch() {
	printf '[%s,\n%s]\n' \
	    '{"externalId":"'"$2"'","itemExternalId":"1","productSku":"SKU-A","quantity":1,"externalFacilityId":"116"}' \
	    '{"externalId":"'"$2"'","itemExternalId":"2","productSku":"NO-SUCH-SKU","quantity":1,"externalFacilityId":"116"}' >"$SP/new/$1.json"
}

for damage in blank empty; do
	batch "d-$damage" 5101
	hw_ctl POST /_sim/config '{"hold_processing":true}' >/dev/null
	t_exit "$damage: uploaded, its log pending" 0 pi
	case $damage in
	blank) printf 'DM10000 \n' >"$SP/cur/d-$damage.logid" ;;
	empty) : >"$SP/cur/d-$damage.logid" ;;
	esac
	hw_ctl POST /_sim/config '{"hold_processing":false}' >/dev/null
	hw_ctl POST /_sim/process >/dev/null
	t_exit "$damage .logid: -n says so, exit 65" 65 pi -n
	t_like "naming the file" "$(t_err)" "cur/d-$damage.logid: not a HotWax log id"
	t_true "and moves nothing" -f "$SP/cur/d-$damage.json"
	t_exit "$damage .logid: exit 65" 65 pi
	t_like "naming the file" "$(t_err)" "cur/d-$damage.logid: not a HotWax log id.*goes back to new/"
	t_true "the batch is back in new/" -f "$SP/new/d-$damage.json"
	t_true "not in cur/" ! -e "$SP/cur/d-$damage.json"
	clearreq
	t_exit "the next run uploads it again, and reports its failed row" 65 pi
	t_is "one upload" "$(uploads)" 1
	t_true "its failed rows are written" -f "$SP/failed/d-$damage.rows.json"
	t_like "and said" "$(t_err)" "NO-SUCH-SKU|5101"
done

# ---- old and damaged: kept for the run to send back, never pruned
batch d-old 5102
hw_ctl POST /_sim/config '{"hold_processing":true}' >/dev/null
t_exit "d-old uploaded, its log pending" 0 pi
printf 'DM10000 \n' >"$SP/cur/d-old.logid"
touch -d '3 days ago' "$SP/cur/d-old.json" "$SP/cur/d-old.logid"
t_exit "a run past keep_days: exit 65" 65 pi
t_true "the batch is in new/, not pruned" -f "$SP/new/d-old.json"
hw_ctl POST /_sim/config '{"hold_processing":false}' >/dev/null
rm -f "$SP/failed/"*
t_exit "the next run uploads it and reports its failed row" 65 pi
t_true "its failed rows are written" -f "$SP/failed/d-old.rows.json"

# ---- a batch of the same name waiting in new/ is never replaced
for kind in damaged placeholder; do
	printf '[%s]\n' "$(row 5103 1)" >"$SP/cur/twin-$kind.json"
	case $kind in
	damaged) printf 'DM10000 \n' >"$SP/cur/twin-$kind.logid" ;;
	placeholder) printf '(upload not confirmed by HotWax)%223s\n' '' >"$SP/cur/twin-$kind.logid" ;;
	esac
	printf '[%s]\n' "$(row 5103 9)" >"$SP/new/twin-$kind.json"
	cp "$SP/new/twin-$kind.json" "$SCRATCH/twin-$kind.json"
	t_exit "$kind .logid, a different twin-$kind.json in new/: exit 65" 65 pi
	t_like "said, naming both" "$(t_err)" "cur/twin-$kind.json: not sent back to new/.*new/twin-$kind.json is there already"
	t_is "the batch in new/ is untouched" "$(cat "$SP/new/twin-$kind.json")" "$(cat "$SCRATCH/twin-$kind.json")"
	t_true "the one in cur/ is kept" -f "$SP/cur/twin-$kind.json"
done
t_done
