#!/bin/sh
# [sftp] run_timeout bounds a run's whole SFTP session.  [sftp] timeout
# bounds each wait, but a server that trickles (here: faultproxy delaying
# every chunk) never lets one run out, and would hold the run and its lock
# for as long as the transfer takes.  Past run_timeout po-export-parse
# stops: exit 75 (try later), said once, no copy kept, no batch, no ledger
# line, the lock free, the remote file still in the inbox; the next run
# takes it as if nothing had happened.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_pep
sftp_proxy delay:0.05

# About 4 MB: well over a hundred SSH packets, each held 50 ms.
{ echo "$HDR"; python3 -c 'import sys; sys.stdout.write("".join("%d,sku-%d,1,116,1,\n" % (i, i) for i in range(200000)))'; } >"$IN/big.csv"
touch -d '10 minutes ago' "$IN/big.csv"
posync_conf sftp.port="$PP" sftp.known_hosts="$SCRATCH/known_hosts.proxy" \
	sftp.timeout=10 sftp.run_timeout=2

start=$(date +%s)
t_exit "a trickling transfer past run_timeout = 2: exit 75" 75 timeout 60 po-export-parse
took=$(( $(date +%s) - start ))
t_true "... within a few seconds of the deadline, not the transfer's length (took ${took}s)" "$took" -le 6
t_like "... says run_timeout passed, naming the file" "$(t_err)" \
	'"sftp://.*big\.csv": \[sftp\] run_timeout \(2 s\) has passed: the run stops here'
t_is "... once" "$(t_err | grep -c 'run_timeout')" 1
t_is "... prints no path" "$(t_out)" ""
t_true "... the file is still in the inbox" -f "$IN/big.csv"
t_is "... no copy, no batch, no leftover" "$(ls -A "$SP/po/raw" "$SP/po/new" "$SP/po/tmp" | grep -c 'big')" 0
t_is "... no ledger line" "$(cat "$SP/state/polines" 2>/dev/null | grep -c 'sku-' )" 0
t_true "... the lock is free" "$(flock -n "$SP/state/po-export-parse.lock" echo free)" = free

posync_conf sftp.port="$PP" sftp.known_hosts="$SCRATCH/known_hosts.proxy" sftp.timeout=10
t_exit "the next run, with the default run_timeout (3600 s)" 0 timeout 120 po-export-parse
t_like "... takes the file" "$(t_out)" "^$SP/po/new/big\.csv\.[0-9a-f]{16}\.00001\.json"
t_true "... and archives it" -f "$IN/archive/big.csv"
t_done
