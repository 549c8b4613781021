#!/bin/sh
# The batches waiting in SPOOL/po/new reach HotWax in the order they were
# made, not in name order (issue 9, review of finding 2): with HotWax down
# while NetSuite published PO_Export_99.csv (PO 4242 line 1 qty 5) then
# PO_Export_100.csv (qty 3), po-import uploaded "100" before "99" once
# HotWax was back, and HotWax ended at 5.  A batch sent back from cur/ to
# new/ (HotWax does not know its log) keeps the time it was made, so it
# goes before the batches made after it, not behind them.  Paths named as
# arguments keep the order given.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_all hotwax.log_wait=1
hw_seed_sku_a
REAL=$POSYNC_CONFIG
posync_conf -f "$SCRATCH/down.conf" hotwax.base_url=https://127.0.0.1:1/api/ hotwax.log_wait=1
DOWN=$SCRATCH/down.conf
POSYNC_CONFIG=$REAL
export POSYNC_CONFIG
SP=$SCRATCH/spool/po
IN=$SFTP_BASE/purchaseorder/fulfillment

uploaded() {	# the batches the last po-import -v uploaded, in order
	t_err | sed -n 's|^.*uploading .*/\([^/ ]*\) (.*|\1|p' | tr '\n' ' ' | sed 's/ $//'
}

# ---- two exports while HotWax is down: 99 (qty 5), then 100 (qty 3)
printf '%s\n' "$HDR" '4242,SKU-A,5,116,1,' >"$IN/PO_Export_99.csv"
touch -d '20 minutes ago' "$IN/PO_Export_99.csv"
POSYNC_CONFIG=$DOWN po-export-parse | POSYNC_CONFIG=$DOWN po-import 2>/dev/null
t_is "run 1, HotWax down: export 99's batch waits in new/" "$(ls "$SP/new" | grep -c PO_Export_99)" 1
printf '%s\n' "$HDR" '4242,SKU-A,3,116,1,' >"$IN/PO_Export_100.csv"
touch -d '5 minutes ago' "$IN/PO_Export_100.csv"
POSYNC_CONFIG=$DOWN po-export-parse | POSYNC_CONFIG=$DOWN po-import 2>/dev/null
t_is "run 2, HotWax down: export 100's waits too" "$(ls "$SP/new" | grep -c PO_Export_100)" 1
t_exit "HotWax back: both uploaded, exit 0" 0 sh -c 'po-export-parse | po-import'
t_is "new/ is empty" "$(ls "$SP/new")" ""
t_is "HotWax holds NetSuite's latest quantity, 3" "$(qty 4242)" 3

# ---- a batch sent back to new/ keeps the time it was made
hw_ctl POST /_sim/config '{"hold_processing":true}' >/dev/null
printf '[%s]\n' "$(row 4501 5)" >"$SP/new/z-older.json"
touch -d '20 minutes ago' "$SP/new/z-older.json"
t_exit "z-older uploaded, its log pending" 0 po-import </dev/null
t_true "it is in cur/" -f "$SP/cur/z-older.json"
# HotWax has forgotten z-older's log: its first line names another
printf 'DM-NOSUCHLOG\n' | dd of="$SP/cur/z-older.logid" conv=notrunc 2>/dev/null
hw_ctl POST /_sim/config '{"hold_processing":false}' >/dev/null
t_exit "z-older's log unknown: it goes back to new/, exit 65" 65 po-import </dev/null
t_true "z-older is in new/" -f "$SP/new/z-older.json"
age=$(( $(date +%s) - $(stat -c %Y "$SP/new/z-older.json") ))
t_true "with the time it was made, 20 minutes ago (age ${age}s)" "$age" -ge 1100
# batches made after it, waiting (HotWax down when they were made)
printf '[%s]\n' "$(row 4501 3)" >"$SP/new/a-newer.json"
touch -d '10 minutes ago' "$SP/new/a-newer.json"
printf '[%s]\n' "$(row 4502 1)" >"$SP/new/m-newest.json"
t_exit "all three uploaded" 0 po-import -v </dev/null
t_is "in the order they were made, z-older first" "$(uploaded)" \
	"z-older.json a-newer.json m-newest.json"
t_is "HotWax holds the newer quantity, 3" "$(qty 4501)" 3

# ---- paths named as arguments: in the order given
printf '[%s]\n' "$(row 4503 1)" >"$SCRATCH/b-first.json"
printf '[%s]\n' "$(row 4504 1)" >"$SCRATCH/a-second.json"
touch -d '1 hour ago' "$SCRATCH/a-second.json"
t_exit "two batches named" 0 po-import -v "$SCRATCH/b-first.json" "$SCRATCH/a-second.json" </dev/null
t_is "uploaded in the order named" "$(uploaded)" "b-first.json a-second.json"
t_done
