#!/bin/sh
# A file receipt-push is publishing is never folded.  receipt-push holds
# the publish lock from choosing its files until they are in cur/;
# receipt-export folds only under that lock, taken without waiting.  Here
# receipt-push publishes a file it held on an earlier run (still named in
# its held list) over a slowed SFTP connection, and receipt-export runs in
# the middle of it: it must write a second file, leave the one being
# published as it was, and not wait.  The next run then folds the second
# file once receipt-push has held it.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_need receipt-export receipt-push
command -v flock >/dev/null || t_skip_all "flock(1) is missing"
bed_outbound
sftp_proxy delay:0.05
posync_conf sftp.port="$PP" sftp.known_hosts="$SCRATCH/known_hosts.proxy"
LOCK=$SPOOL/state/receipt-publish.lock

ns_po 8320 1:SKU1:100
recv 8320 1=1
t_exit "a first file" 0 receipt-export
A=$(re_files)
cp "$SPOOL/receipt/new/$A" "$SCRATCH/A.orig"
# receipt-push held it on an earlier run; NetSuite has read since
printf '%s\n' "$A" >"$SPOOL/state/receipt-push.held"

recv 8320 1=2
receipt-push >"$SCRATCH/push.out" 2>"$SCRATCH/push.err" </dev/null &
PUSH=$!
n=0
while flock -n "$LOCK" true && [ $n -lt 200 ]; do sleep 0.05; n=$((n + 1)); done
t_exit "receipt-push holds the publish lock while it publishes" 1 flock -n "$LOCK" true
t0=$(date +%s)
t_exit "receipt-export meanwhile" 0 receipt-export -v
t1=$(date +%s)
t_like "... printed a second file" "$(t_out)" "^$SPOOL/receipt/new/posync_.*\.json\$"
t_like "... and said why" "$(t_err)" "receipt-push is publishing: a new file"
B=$(t_out)
B=${B##*/}
t_ok "... did not wait for the lock" test $((t1 - t0)) -lt 10
t_ok "... its own" test "$B" != "$A"
t_is "... holding only the new receipt" "$(cat "$SPOOL/receipt/new/$B")" \
	'[{"order_id":"8320","items":[{"line_id":"1","quantity":2}]}]'
wait $PUSH
t_is "receipt-push exited 0" "$?" 0
t_is "... and said nothing" "$(cat "$SCRATCH/push.out" "$SCRATCH/push.err")" ""
t_ok "the file it published is the one it chose, unchanged" cmp "$R/$A" "$SCRATCH/A.orig"
t_true "... and in cur/" -f "$SPOOL/receipt/cur/$A"

# NetSuite has not read A: receipt-push holds B; then B is folded.
t_ok "receipt-push holds the second file" receipt-push
t_is "... named in its held list" "$(rp_held)" "$B"
recv 8320 1=4
t_exit "the next export folds it" 0 receipt-export
re_folded "$B" \
	'[{"order_id":"8320","items":[{"line_id":"1","quantity":6}]}]'

# A path receipt-export printed, folded since: skipped quietly, and what
# it was folded into is published in its place.
F=$(re_files)
mkdir -p "$R/archive"
mv "$R/$A" "$R/archive/"		# NetSuite reads
t_exit "receipt-push given the folded file's old path" 0 receipt-push "$SPOOL/receipt/new/$B"
t_is "... says nothing" "$(t_out)$(t_err)" ""
t_true "... publishes what it was folded into" -f "$R/$F"
t_true "... and moves it to cur/" -f "$SPOOL/receipt/cur/$F"

# A file a person named to receipt-push waits beside posync's: it is
# published as it is, never folded; and posync's file queued before it is
# not folded past it (a fold makes a later file, which would go after the
# person's), so the new receipts wait in a file of their own.
recv 8320 1=1
t_exit "a new file" 0 receipt-export
F=$(re_files)
t_ok "receipt-push holds it" receipt-push
printf '[{"order_id":"8320","items":[{"line_id":"1","quantity":0.5}]}]\n' >"$SPOOL/receipt/new/by-hand.json"
recv 8320 1=8
t_exit "an export with a person's file waiting too" 0 receipt-export
t_is "the person's file is left as it was" "$(cat "$SPOOL/receipt/new/by-hand.json")" \
	'[{"order_id":"8320","items":[{"line_id":"1","quantity":0.5}]}]'
t_is "posync's held file, queued before the person's, is not folded" \
	"$(re_files | grep -c "^$F\$")" 1
t_is "... it holds what it held" "$(cat "$SPOOL/receipt/new/$F")" \
	'[{"order_id":"8320","items":[{"line_id":"1","quantity":1}]}]'
G=$(re_files | grep '^posync_' | grep -v "^$F\$")
t_is "... the new receipts wait in one file of their own" "$(printf '%s\n' "$G" | grep -c .)" 1
t_is "... holding just them" "$(cat "$SPOOL/receipt/new/$G")" \
	'[{"order_id":"8320","items":[{"line_id":"1","quantity":8}]}]'
t_done
