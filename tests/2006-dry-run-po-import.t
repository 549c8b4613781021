#!/bin/sh
# po-import -n creates, moves and deletes nothing: on a spool that does not
# exist yet it makes no spool tree and no lock; on a spool in use (a batch
# waiting, a log pending, a leftover in tmp/, no lock file) every file and
# folder is as it was, to the inode and the mtime; and HotWax hears
# nothing.  It used to create the spool tree and the lock.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_po_import
hw_seed_sku_a
row() { printf '[{"externalId":"%s","itemExternalId":"1","productSku":"SKU-A","quantity":1,"externalFacilityId":"116"}]\n' "$1"; }
nreq() { hw_ctl GET /_sim/requests | hw_json 'len([r for r in d if r["path"].startswith("/api/")])'; }
# every path under the spool with its type, size, mtime and inode
snap() { find "$1" -printf '%p %y %s %T@ %i\n' 2>/dev/null | sort; }

# ---- a spool that does not exist
FRESH=$SCRATCH/fresh
posync_conf -f "$SCRATCH/fresh.conf" "spool.dir = $FRESH"
rmdir "$FRESH" 2>/dev/null	# posync_conf makes $SCRATCH/spool only; be sure
row 900 >"$SCRATCH/outside.json"
hw_ctl POST /_sim/requests/clear >/dev/null
t_exit "fresh spool: po-import -n takes the spool: exit 0" 0 po-import -n </dev/null
t_is "  nothing on stdout" "$(t_out)" ""
t_true "  the spool was not created" ! -e "$FRESH"
t_exit "fresh spool: po-import -n FILE: exit 0" 0 po-import -n "$SCRATCH/outside.json"
t_is "  it says what it would upload" "$(t_out)" "$SCRATCH/outside.json"
t_true "  the spool was not created" ! -e "$FRESH"
t_exit "fresh spool: a path on stdin: exit 0" 0 sh -c \
	'echo "$1" | po-import -n' sh "$SCRATCH/outside.json"
t_is "  it says what it would upload" "$(t_out)" "$SCRATCH/outside.json"
t_true "  the spool was not created" ! -e "$FRESH"
t_exit "fresh spool: po-import -nv" 0 po-import -nv </dev/null
t_true "  the spool was not created" ! -e "$FRESH"
t_is "HotWax heard nothing" "$(nreq)" 0

# ---- a spool in use
posync_conf hotwax.log_wait=1
SP=$SCRATCH/spool/po
mkdir -p "$SP/new"
row 901 >"$SP/new/done.json"
t_exit "a real run sets the spool up" 0 po-import </dev/null
t_true "  done.json went to cur/" -f "$SP/cur/done.json"
hw_ctl POST /_sim/config '{"hold_processing":true}' >/dev/null
row 902 >"$SP/new/pending.json"
t_exit "a real run leaves a log pending" 0 po-import </dev/null
t_true "  pending.json is in cur/ with its log id" -f "$SP/cur/pending.logid"
t_true "  and its log is open" ! -e "$SP/cur/pending.logdone"
row 903 >"$SP/new/waiting.json"
echo leftover >"$SP/tmp/leftover.json"
rm -f "$SCRATCH/spool/state/po-import.lock"
touch -d '40 days ago' "$SP/cur/done.json"	# prune would take it
before=$(snap "$SCRATCH/spool")
hw_ctl POST /_sim/requests/clear >/dev/null
t_exit "spool in use: po-import -n: exit 0" 0 po-import -n </dev/null
t_is "  it lists the batch that waits" "$(t_out)" "$SP/new/waiting.json"
t_is "  the spool is exactly as it was" "$(snap "$SCRATCH/spool")" "$before"
t_exit "spool in use: po-import -n FILE: exit 0" 0 po-import -n "$SCRATCH/outside.json"
t_is "  the spool is exactly as it was" "$(snap "$SCRATCH/spool")" "$before"
t_true "  no lock file was made" ! -e "$SCRATCH/spool/state/po-import.lock"
t_true "  the leftover in tmp/ is still there" -f "$SP/tmp/leftover.json"
t_is "HotWax heard nothing" "$(nreq)" 0

# the real run after it does the work the dry run named
hw_ctl POST /_sim/config '{"hold_processing":false}' >/dev/null
hw_ctl POST /_sim/process >/dev/null
t_exit "a real run then: exit 0" 0 po-import </dev/null
t_true "  waiting.json went to cur/" -f "$SP/cur/waiting.json"
t_true "  the pending log was closed" -f "$SP/cur/pending.logdone"

t_done
