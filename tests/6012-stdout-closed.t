#!/bin/sh
# A reader that goes away, with SIGPIPE ignored (cron or a supervisor may
# start posync so): the write of a path fails with EPIPE, and the program
# says "standard output closed" and exits 74 -- not a stale errno such as
# "Resource temporarily unavailable", and not silence with 0 (receipt-export
# and receipt-push checked nothing).  What was made stays in the spool.
# The same end, common/util.c stdout_finish, serves all four programs; a
# full disk behind stdout is said with its own error.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_need receipt-export
bed_outbound

# closed CMD... -- CMD with SIGPIPE ignored and stdout a pipe whose reader
# has gone; its status in $SCRATCH/.rc, its stderr in $SCRATCH/.err
closed() {
	rm -f "$SCRATCH/.rc"
	{ sh -c 'trap "" PIPE; sleep 0.5; "$@" 2>"$0.err"; echo $? >"$0.rc"' \
		"$SCRATCH/" "$@"; } | true
}
rc() { cat "$SCRATCH/.rc"; }
err() { cat "$SCRATCH/.err"; }

IN=$SFTP_BASE/purchaseorder/fulfillment
mkdir -p "$IN"
printf '%s\n' "$HDR" '9611,SKU1,1,116,1,' >"$IN/remote.csv"
touch -d '10 minutes ago' "$IN/remote.csv"
closed po-export-parse
t_is "po-export-parse (SFTP) into a closed pipe: exit 74" "$(rc)" 74
t_like "... says standard output closed" "$(err)" "^po-export-parse: standard output closed"
t_is "... in one line" "$(err | wc -l)" 1
t_true "... and no stale errno's text" -z "$(err | grep -Ei 'unavailable|broken pipe|success')"
t_is "... the batch stays in po/new" "$(ls "$SPOOL/po/new" | wc -l)" 1

printf '%s\n' "$HDR" '9610,SKU1,1,116,1,' >"$SCRATCH/a.csv"
closed po-export-parse "$SCRATCH/a.csv"
t_is "po-export-parse (a local file) into a closed pipe: exit 74" "$(rc)" 74
t_like "... says standard output closed" "$(err)" "^po-export-parse: standard output closed"
t_true "... and no errno's text" -z "$(err | grep -Ei 'unavailable|broken pipe|success')"
t_is "... the batch stays in po/new" "$(ls "$SPOOL/po/new" | wc -l)" 2

closed po-import -n
t_is "po-import -n into a closed pipe: exit 74" "$(rc)" 74
t_like "... says standard output closed" "$(err)" "^po-import: standard output closed"
t_is "... in one line" "$(err | wc -l)" 1

full() { "$@" >/dev/full; }
t_exit "po-import -n, stdout on a full disk: exit 74" 74 full po-import -n
t_is "... said with its own error" "$(t_err)" "po-import: writing to standard output: No space left on device"

ns_po 9612 1:SKU1:5
recv 9612 1=2
closed receipt-export -n
t_is "receipt-export -n into a closed pipe: exit 74" "$(rc)" 74
t_like "... says standard output closed" "$(err)" "^receipt-export: standard output closed"
closed receipt-export
t_is "receipt-export into a closed pipe: exit 74" "$(rc)" 74
t_like "... says standard output closed" "$(err)" "^receipt-export: standard output closed"
t_is "... in one line" "$(err | wc -l)" 1
t_is "... the file stays in receipt/new" "$(re_files | wc -l)" 1
t_exit "into an open pipe all is well" 0 receipt-export -n
t_done
