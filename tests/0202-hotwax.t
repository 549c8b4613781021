#!/bin/sh
# common/hotwax.c against the HotWax simulator: tokens, re-login, error
# bodies, retries and backoff, Retry-After, dropped connections, TLS
# verification, plain http refused, keep-alive.  The C test prints the TAP.
. "${0%/*}/lib.sh"
. "$BED/hotwax.sh"
. "$BED/posync.sh"

[ -x "$TOP/tests/unit/hotwax" ] || t_bail "tests/unit/hotwax is not built (make unit)"
hotwax_start || t_bail "the HotWax simulator did not start"
posync_conf
chmod go-w "$POSYNC_CONFIG"

HW_USER=posync-test
HW_PASSWORD_FILE=$SCRATCH/hotwax.password
( umask 077
  od -An -tx1 -N12 /dev/urandom | tr -d ' \n' >"$HW_PASSWORD_FILE"
  printf '{"users":[{"username":"%s","password":"%s"}]}' "$HW_USER" \
	"$(cat "$HW_PASSWORD_FILE")" >"$SCRATCH/seed-user.json" )
# the password goes through a file, not curl's argv
curl -sf --cacert "$HOTWAX_CA" -H 'Content-Type: application/json' \
	--data-binary @"$SCRATCH/seed-user.json" \
	"https://127.0.0.1:$HOTWAX_PORT/_sim/seed" >/dev/null ||
	t_bail "could not seed the simulator's user"
# retries back off from 10 ms, not 500 ms, so the test is quick
POSYNC_BACKOFF_MS=10
export HW_USER HW_PASSWORD_FILE POSYNC_BACKOFF_MS

"$TOP/tests/unit/hotwax"
