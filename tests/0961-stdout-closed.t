#!/bin/sh
# A reader that goes away, with SIGPIPE ignored (cron or a supervisor may
# start posync so): the write of a path fails with EPIPE, and the program
# says "standard output closed" and exits 74 -- not a stale errno such as
# "Resource temporarily unavailable", and not silence with 0 (receipt-export
# and receipt-push checked nothing).  What was made stays in the spool.
# The same end, common/util.c stdout_finish, serves all four programs; a
# full disk behind stdout is said with its own error.
. "${0%/*}/lib.sh"
. "$BED/hotwax.sh"
. "$BED/posync.sh"
. "${0%/*}/0410-receipt-lib.sh"

[ -x "$TOP/receipt-export/receipt-export" ] || t_skip_all "receipt-export not built"
re_setup

# closed CMD... -- CMD with SIGPIPE ignored and stdout a pipe whose reader
# has gone; its status in $SCRATCH/.rc, its stderr in $SCRATCH/.err
closed() {
	rm -f "$SCRATCH/.rc"
	{ sh -c 'trap "" PIPE; sleep 0.5; "$@" 2>"$0.err"; echo $? >"$0.rc"' \
		"$SCRATCH/" "$@"; } | true
}
rc() { cat "$SCRATCH/.rc"; }
err() { cat "$SCRATCH/.err"; }

HDR=external-id,product-sku,quantity,external-facility-id,item-external-id,arrival-date
printf '%s\n' "$HDR" '9610,SKU1,1,116,1,' >"$SCRATCH/a.csv"
closed po-export-parse "$SCRATCH/a.csv"
t_is "po-export-parse into a closed pipe: exit 74" "$(rc)" 74
t_like "... says standard output closed" "$(err)" "^po-export-parse: standard output closed"
t_is "... in one line" "$(err | wc -l)" 1
t_true "... and no stale errno's text" -z "$(err | grep -Ei 'unavailable|broken pipe|success')"
t_is "... the batch stays in po/new" "$(ls "$SPOOL/po/new" | wc -l)" 1

ns_po 9610 1:SKU1:5
recv 9610 1=2
closed receipt-export
t_is "receipt-export into a closed pipe: exit 74" "$(rc)" 74
t_like "... says standard output closed" "$(err)" "^receipt-export: standard output closed"
t_is "... in one line" "$(err | wc -l)" 1
t_true "... and no stale errno's text" -z "$(err | grep -Ei 'unavailable|broken pipe|success')"
t_is "... the file stays in receipt/new" "$(re_files | wc -l)" 1

closed receipt-export -n --start-at 2026-11-01T00:00:00Z
t_is "... and its -n too (once a state exists it refuses first): 64" "$(rc)" 64

rm -f "$SPOOL/state/receipt-export.state"
closed receipt-export -n --start-at 2026-11-01T00:00:00Z
t_is "receipt-export -n --start-at into a closed pipe: exit 74" "$(rc)" 74
t_like "... says so" "$(err)" "^receipt-export: standard output closed"

full() { "$@" >/dev/full; }
t_exit "stdout on a full disk: exit 74" 74 full receipt-export -n --start-at 2026-11-01T00:00:00Z
t_is "... said with its own error" "$(t_err)" "receipt-export: writing to standard output: No space left on device"
t_done
