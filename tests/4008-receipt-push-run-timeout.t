#!/bin/sh
# [sftp] run_timeout in receipt-push: copying a large NetSuite error CSV
# from a trickling server (faultproxy delaying every chunk) is cut at the
# deadline; that is "try later" (exit 75, said once), never taken for a
# file that grew (which would be exit 0); nothing is copied, reported or
# marked seen, and the next run reports the file once.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_sshd
E=$SFTP_BASE/purchaseorder/receipt/error
SEEN=$SCRATCH/spool/state/receipt-push.errors-seen
# The staging folder exists, as after a first publish: the clock probe
# (future.c) is written there before the error CSV is read.
mkdir -p "$E" "$SCRATCH/spool/receipt/new" "$E/../../receipt-staging"
sftp_proxy delay:0.05
{ echo 'orderId,errorMessage'; python3 -c 'import sys; sys.stdout.write("2701,Closed PO\n" * 300000)'; } >"$E/big-error.csv"
touch -d '2 hours ago' "$E/big-error.csv"

posync_conf sftp.port="$PP" sftp.known_hosts="$SCRATCH/known_hosts.proxy" \
	sftp.timeout=10 sftp.run_timeout=2
t_exit "copying a 4 MB error CSV past run_timeout = 2: exit 75" 75 timeout 60 receipt-push
t_like "... says run_timeout passed" "$(t_err)" 'big-error\.csv": \[sftp\] run_timeout \(2 s\) has passed'
t_is "... once" "$(t_err | grep -c run_timeout)" 1
t_is "... nothing copied" "$(ls -A "$SCRATCH/spool/receipt/errors" 2>/dev/null | grep -c big)" 0
t_is "... nothing reported" "$(t_err | grep -c 'could not receive')" 0
t_is "... not marked seen" "$(cat "$SEEN" 2>/dev/null | grep -c big)" 0

posync_conf sftp.port="$PP" sftp.known_hosts="$SCRATCH/known_hosts.proxy" sftp.timeout=10
t_exit "the next run, with the default run_timeout: exit 65" 65 timeout 120 receipt-push
t_like "... reports it" "$(t_err)" "could not receive PO \"2701\": \"Closed PO\""
t_done
