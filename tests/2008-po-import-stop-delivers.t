#!/bin/sh
# When HotWax fails (503 through every retry) on the first of several
# batches named from outside new/, on the command line or on stdin, every
# later one is still copied into new/ (po-import(1): "the batch, and every
# batch after it, stays in spool/po/new"), and the next run imports them.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_po_import
hw_seed_sku_a
SP=$SCRATCH/spool/po

lines() {
	hw_ctl GET /_sim/state | hw_json '" ".join(sorted("%s:%s" % (o["externalId"],
	    i["quantity"]) for o in d["orders"] for i in o["items"]))'
}
mkdir -p "$SCRATCH/redo"
for i in 1 2 3 4 5 6 7 8; do echo "[$(row 861$i $i)]" >"$SCRATCH/redo/redo$i.json"; done
fail() { hw_ctl POST /_sim/fault '{"kind":"status","status":503,"count":10,"path":"uploadJsonFile"}' >/dev/null; }

# ---- on the command line
fail
t_exit "three batches named, HotWax unavailable: exit 75" 75 \
	po-import -v "$SCRATCH/redo/redo1.json" "$SCRATCH/redo/redo2.json" "$SCRATCH/redo/redo3.json"
t_is "all three wait in new/" "$(ls "$SP/new" 2>&1 | tr '\n' ' ')" "redo1.json redo2.json redo3.json "
t_like "-v says where they wait" "$(t_err)" "redo3.json: copied to .*/new/redo3.json, left there"
hw_ctl POST /_sim/faults/clear >/dev/null
t_exit "the next run: exit 0" 0 po-import </dev/null
t_is "all three are in HotWax" "$(lines)" "8611:1 8612:2 8613:3"

# ---- on stdin
fail
printf '%s\n' "$SCRATCH/redo/redo4.json" "$SCRATCH/redo/redo5.json" "$SCRATCH/redo/redo6.json" >"$SCRATCH/paths"
t_exit "three batches on stdin, HotWax unavailable: exit 75" 75 sh -c 'po-import <"$SCRATCH/paths"'
t_is "all three wait in new/" "$(ls "$SP/new" 2>&1 | tr '\n' ' ')" "redo4.json redo5.json redo6.json "
hw_ctl POST /_sim/faults/clear >/dev/null
t_exit "the next run: exit 0" 0 po-import </dev/null
t_is "all six are in HotWax" "$(lines)" "8611:1 8612:2 8613:3 8614:4 8615:5 8616:6"

# ---- a token HotWax refuses: 77, and both batches still reach new/
GOOD=$POSYNC_CONFIG
( umask 077; echo not-the-token >"$SCRATCH/bad.token" )
posync_conf -f "$SCRATCH/bad.conf" hotwax.token_file="$SCRATCH/bad.token"
POSYNC_CONFIG=$GOOD
t_exit "two batches named, the token refused: exit 77" 77 \
	po-import -c "$SCRATCH/bad.conf" "$SCRATCH/redo/redo7.json" "$SCRATCH/redo/redo8.json"
t_is "both wait in new/" "$(ls "$SP/new" 2>&1 | tr '\n' ' ')" "redo7.json redo8.json "
t_exit "the next run with the right token: exit 0" 0 po-import </dev/null
t_like "both are in HotWax" "$(lines)" "8617:7 8618:8$"
t_done
