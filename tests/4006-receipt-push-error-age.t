#!/bin/sh
# receipt-push and NetSuite's error CSVs it may still be writing: one
# changed less than [netsuite] po_min_age ago is neither reported nor
# marked seen; once old enough it is reported, once.  One growing while it
# is read (po_min_age 0) is left for a later run, not reported torn.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_sshd
E=$SFTP_BASE/purchaseorder/receipt/error
SEEN=$SCRATCH/spool/state/receipt-push.errors-seen
mkdir -p "$E" "$SCRATCH/spool/receipt/new"

posync_conf netsuite.po_min_age=3600
printf 'orderId,errorMessage\n2601,Closed PO\n' >"$E/fresh-error.csv"
t_exit "a fresh error file with po_min_age 3600: exit 0" 0 receipt-push
t_is "... is not reported" "$(t_err | grep -c 'could not receive')" 0
t_is "... is not copied" "$(ls -A "$SCRATCH/spool/receipt/errors" 2>/dev/null | grep -c fresh)" 0
t_is "... is not marked seen" "$(cat "$SEEN" 2>/dev/null | grep -c fresh)" 0
t_exit "still fresh on the next run" 0 receipt-push
t_is "... still not reported" "$(t_err | grep -c 'could not receive')" 0

touch -d '2 hours ago' "$E/fresh-error.csv"
t_exit "aged past po_min_age: exit 65" 65 receipt-push
t_like "... it is reported" "$(t_err)" "could not receive PO \"2601\": \"Closed PO\""
t_is "... copied whole" "$(cat "$SCRATCH/spool/receipt/errors/"*fresh*)" \
	"orderId,errorMessage
2601,Closed PO"
t_is "... marked seen" "$(grep -c fresh "$SEEN")" 1
t_exit "the next run" 0 receipt-push
t_is "... says nothing again" "$(t_out)$(t_err)" ""

# growing while it is read: size and mtime move between listing and download.
# The download goes through the fault proxy, slowed, so the grower gets its
# turn during it however busy the machine is.
PP=$(free_port)
"$BED/faultproxy.py" --listen "$PP" --to "$SSHD_PORT" --mode delay:0.02 </dev/null >/dev/null 2>&1 &
t_at_exit "kill $!"
wait_port "$PP" || t_bail "the fault proxy did not start"
sed "s/^\[127\.0\.0\.1\]:$SSHD_PORT /[127.0.0.1]:$PP /" "$SFTP_KNOWN_HOSTS" >"$SCRATCH/known_hosts.proxy"
posync_conf netsuite.po_min_age=0 sftp.port="$PP" sftp.known_hosts="$SCRATCH/known_hosts.proxy"
printf 'orderId,errorMessage\n' >"$E/growing-error.csv"
python3 -c 'import sys; sys.stdout.write("2602,Closed PO\n" * 150000)' >>"$E/growing-error.csv"
( while :; do echo '2602,Closed PO' >>"$E/growing-error.csv"; sleep 0.02; done ) &
grower=$!
t_at_exit "kill $grower"
sleep 0.2
receipt-push -v >"$SCRATCH/.out" 2>"$SCRATCH/.err"; rc=$?
kill $grower; wait $grower 2>/dev/null
t_is "an error file growing while it is read: exit 0, nothing else to do" "$rc" 0
t_like "... it is left for a later run" "$(t_err)" \
	"growing-error\.csv.*changed while it was read"
t_is "... not reported" \
	"$(t_err | grep -c 'could not receive\|reported receipt errors')" 0
t_is "... not copied" "$(ls -A "$SCRATCH/spool/receipt/errors" | grep -c growing)" 0
t_is "... not marked seen" "$(grep -c growing "$SEEN")" 0
touch -d '1 hour ago' "$E/growing-error.csv"
t_exit "once it stopped: exit 65" 65 receipt-push
t_like "... it is reported" "$(t_err)" "could not receive PO \"2602\": \"Closed PO\""
t_is "... copied whole" "$(cat "$SCRATCH/spool/receipt/errors/"*growing* | wc -l)" \
	"$(wc -l <"$E/growing-error.csv")"
t_done
