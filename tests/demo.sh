#!/bin/sh
# make demo -- the whole posync cycle against local servers, told as it goes.
#
# A real OpenSSH sshd, the HotWax simulator (HTTPS, throwaway CA) and the
# NetSuite simulator run in a scratch folder; the programs run exactly as
# the crontab in crontab.example runs them, with the same config keys a
# user writes.  Every server is stopped by pid at the end.  Exit 0 only if
# every PO ends Received in NetSuite with what HotWax accepted.
. "${0%/*}/lib.sh"
. "$BED/sshd.sh"
. "$BED/hotwax.sh"
. "$BED/posync.sh"
. "$BED/flow.sh"

say() { printf '\n== %s\n' "$*"; }
die() { echo "demo: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "make demo runs as root: it starts an sshd that chroots its SFTP user"

say "Starting a local SFTP server (OpenSSH), HotWax and NetSuite simulators"
flow_start "$TOP/tests/data/demo-pos.json" || die "the test servers did not start"
echo "SFTP on 127.0.0.1:$SSHD_PORT, HotWax on $HOTWAX_URL; the posync.conf a user would write:"
sed 's/^/  /' "$POSYNC_CONFIG"

say "NetSuite exports its pending POs to SFTP"
ns export --age 120 | sed 's/^/  /'
flow_table -t >"$SCRATCH/before.txt"

say "cron: $(cron_job po-export-parse)"
flow_inbound || die "the inbound job failed (status $?)"
hw_ctl GET /_sim/state | hw_json '"  HotWax now holds %d POs with %d lines" % (len(d["orders"]), sum(len(o["items"]) for o in d["orders"]))'

say "A store associate receives in HotWax: some lines in full, some in part, some goods rejected"
flow_receive 12009298 1:11 2:3:1
flow_receive 12009299 1:3 2:2.5
flow_receive 12009300 1:10 3:0:1
flow_receive 12009301 1:6
echo "  received 12009298, 12009299, 12009300 (in part), 12009301"

say "cron: $(cron_job receipt-export)"
flow_outbound || die "the outbound job failed (status $?)"
say "NetSuite's scheduled script imports the receipt file"
ns import | sed 's/^/  /'
flow_table -t

say "The rest arrives and is received"
flow_receive 12009298 2:2
flow_receive 12009300 1:10 2:4 3:1
flow_receive 12009302 1:8 2:8
flow_outbound || die "the outbound job failed (status $?)"
ns import | sed 's/^/  /'

say "The account: before"
cat "$SCRATCH/before.txt"
say "The account: after"
flow_table -t
flow_table -check || die "some PO did not reach the expected status"
say "Every PO is Received in NetSuite with exactly what HotWax accepted."
