#!/bin/sh
# An idle receipt-push run (nothing queued, nothing new) costs one
# listing on the SFTP server, receipt_dir's, and no other request (issue
# 12, round trips): counted from internal-sftp's log (-l VERBOSE,
# SSHD_SFTP_LOG), one line a request.  The staging folder is swept only
# when this host's state does not say it is clean
# (SPOOL/state/receipt-push.staging: written after a sweep, removed before
# any upload): a fresh spool sweeps; an upload cut short leaves its part
# in staging and no note, so the next run -- nothing queued -- sweeps it
# (and -n names it, as tests/4011 has it name one on a fresh spool).
. "${0%/*}/lib.sh"
. "$BED/bed.sh"
bed_rp_logged
NOTE=$SP/state/receipt-push.staging
# the requests of the last run, one a line (the session's own lines out)

rp_run
t_is "a first run on a fresh spool: exit 0" "$?" 0
t_like "... sweeps staging (no note yet)" "$(sftp_requests)" "stat name \"$S\""
t_like "... lists receipt_dir" "$(sftp_requests)" "^opendir \"$R\"\$"
t_like "... and the error folder (nothing recorded of it)" "$(sftp_requests)" "^opendir \"$R/error\"\$"
t_true "... and notes staging clean" -f "$NOTE"

# the error folder's mtime is believed only once a walk begun seconds
# after it was first seen proved it (4028)
sleep "$((3 + 1))"
rp_run
t_is "the next run: exit 0" "$?" 0
t_is "... does not look at staging" "$(sftp_requests | grep -c "$S")" 0
t_like "... lists the error folder once more, to prove its mtime" "$(sftp_requests)" \
	"^opendir \"$R/error\"\$"

rp_run
t_is "an idle run: exit 0" "$?" 0
t_is "... lists one folder" "$(sftp_requests | grep -c '^opendir ')" 1
t_like "... receipt_dir" "$(sftp_requests)" "^opendir \"$R\"\$"
t_is "... and asks nothing else" "$(sftp_requests | grep -vc '^opendir \|^closedir ')" 0
t_diag "the idle run's requests: $(sftp_requests | tr '\n' ';')"

# ---- an upload cut short: its part is left in staging, the note gone
F=posync_PurchaseOrderReceiptFeed_2026-01-01-00_00_00_000.json
python3 - "$N/$F" <<'PY'
import sys
body = '[{"order_id": "1", "items": [{"line_id": "1", "quantity": 1}]}'
open(sys.argv[1], "w").write(body + " " * (3000000 - len(body) - 2) + "]\n")
PY
CUT=$(free_port)
"$BED/faultproxy.py" --listen "$CUT" --to "$SSHD_PORT" --mode cutup:1500000 \
	</dev/null >/dev/null 2>&1 &
t_at_exit "kill $!"
wait_port "$CUT" || t_bail "the fault proxy did not start"
sed "s/^\[127\.0\.0\.1\]:$SSHD_PORT /[127.0.0.1]:$CUT /" "$SFTP_KNOWN_HOSTS" \
	>"$SCRATCH/known_hosts"
cp "$SCRATCH/posync.conf" "$SCRATCH/direct.conf"
sed -i -e "s/^port = .*/port = $CUT/" \
	-e "s|^known_hosts = .*|known_hosts = $SCRATCH/known_hosts|" "$SCRATCH/posync.conf"
rp_run
rc=$?
t_true "an upload cut short fails (exit $rc)" "$rc" -ne 0
t_like "... said" "$(cat "$SCRATCH/run.err")" "upload failed"
t_is "... leaves a part of the file in staging" "$(ls "$S")" "$F"
t_true "... not all of it" "$(stat -c %s "$S/$F")" -lt "$(stat -c %s "$N/$F")"
t_true "... and no note that staging is clean" ! -e "$NOTE"
t_true "... nothing reached receipt_dir" ! -e "$R/$F"

cp "$SCRATCH/direct.conf" "$SCRATCH/posync.conf"
mv "$N/$F" "$SCRATCH/$F"	# nothing queued now
rp_run -n
t_is "receipt-push -n with nothing queued: exit 0" "$?" 0
t_like "... looks in staging: the note is missing" "$(sftp_requests)" "^opendir \"$S\"\$"
t_like "... and would remove the part left" "$(cat "$SCRATCH/run.out")" \
	"^would remove the staging leftover \".*/receipt-staging/$F\"\$"
t_true "... removes nothing" -f "$S/$F"
rp_run
t_is "the real run with nothing queued: exit 0" "$?" 0
t_is "... sweeps it away" "$(ls "$S")" ""
t_true "... and notes staging clean again" -f "$NOTE"
rp_run
t_is "... the run after does not look at staging" "$(sftp_requests | grep -c "$S")" 0

mv "$SCRATCH/$F" "$N/$F"
rp_run
t_is "the file queued again: exit 0" "$?" 0
t_like "... a run that uploads sweeps staging first" "$(sftp_requests)" "opendir \"$S\""
t_ok "... and publishes it whole" cmp "$R/$F" "$C/$F"
t_true "... staging noted clean after the rename" -f "$NOTE"

# ---- the clock probe: a NetSuite error file not yet reported has the
# server's clock asked (a file written and removed in staging); the note
# is still written after a sweep
ecsv() { printf 'orderId,errorMessage\n%s,Closed\n' "$2" >"$R/error/$1" &&
	touch -m -d '2 hours ago' "$R/error/$1"; }
rm -f "$NOTE"
ecsv e1.csv 1001
rp_run -v
t_is "a sweep, then the server's clock asked: exit 65" "$?" 65
t_like "... the clock asked" "$(cat "$SCRATCH/run.err")" "SFTP server's clock is"
t_true "... staging noted clean all the same" -f "$NOTE"

# ---- a folder in the note's place (a later posync's?): said once a run,
# never written, and a report's exit stays 65
rm -f "$NOTE"; mkdir "$NOTE"
rp_run
t_is "a folder in place of the note: exit 0" "$?" 0
t_is "... said once" "$(grep -c 'receipt-push.staging' "$SCRATCH/run.err")" 1
ecsv e2.csv 1002
rp_run
t_is "a folder in place of the note, an error file: exit 65" "$?" 65
t_is "... said once" "$(grep -c 'receipt-push.staging' "$SCRATCH/run.err")" 1
t_like "... staging swept" "$(sftp_requests)" "^opendir \"$S\"\$"
rmdir "$NOTE"
rp_run
t_true "the folder gone, the note is written again" -f "$NOTE"

# ---- a note that cannot be removed (as root: chattr +i): said, and the
# upload and the error report go on
mv "$R/$F" "$R/archive/$F"	# NetSuite took the last one
G=posync_PurchaseOrderReceiptFeed_2026-01-02-00_00_00_000.json
printf '[{"order_id": "2", "items": [{"line_id": "1", "quantity": 1}]}]\n' >"$N/$G"
ecsv e3.csv 1003
if [ "$(id -u)" = 0 ] && chattr +i "$NOTE" 2>/dev/null; then
	t_at_exit "chattr -i '$NOTE'"
	rp_run
	t_is "a note that cannot be removed, a receipt and an error file: exit 65" "$?" 65
	t_is "... said once" "$(grep -c 'receipt-push.staging' "$SCRATCH/run.err")" 1
	t_ok "... the receipt published" cmp "$R/$G" "$C/$G"
	t_like "... the error file reported" "$(cat "$SCRATCH/run.err")" \
		'NetSuite could not receive PO "1003"'
	chattr -i "$NOTE"
else
	t_diag "not root, or no chattr +i here: the note that cannot be removed is not tried"
fi
t_done
