#!/bin/sh
# common/sftp.c against a real OpenSSH sshd: listing odd names, byte-exact
# transfers, rename without overwrite, host keys refused, and servers that
# fall silent or cut the connection.  The C test (tests/unit/sftp.c) prints
# the TAP; this wrapper starts the servers and hands it their coordinates.
. "${0%/*}/lib.sh"
. "$BED/sshd.sh"
. "$BED/posync.sh"

[ -x "$TOP/tests/unit/sftp" ] || { echo "Bail out! tests/unit/sftp is not built (make unit)"; exit 1; }
sshd_start || { echo "Bail out! sshd_start failed"; exit 1; }
posync_conf sftp.timeout=10

# A 5 MB file with a known hash, already on the server.
T_REMOTE=$SFTP_BASE/t
mkdir -p "$T_REMOTE"
T_BIG=$SCRATCH/big.bin
head -c 5000000 /dev/urandom >"$T_BIG"
T_BIG_SHA=$(sha256sum "$T_BIG" | cut -d' ' -f1)
cp "$T_BIG" "$T_REMOTE/big.bin"

# Host keys the client must refuse; the fingerprint as ssh-keygen says it.
T_WRONG_KH=$SCRATCH/wrong_kh
sshd_wrong_known_hosts "$T_WRONG_KH"
T_EMPTY_KH=$SCRATCH/empty_kh
: >"$T_EMPTY_KH"
T_HOST_FP=$(ssh-keygen -lf "$SCRATCH/sshd/host_ed25519.pub" | cut -d' ' -f2)

# A listener that accepts and never speaks, and proxies that cut the
# connection after 1 MB down or 1 MB up.
T_SILENT_PORT=$(free_port)
python3 "$BED/faultproxy.py" --listen "$T_SILENT_PORT" --to "$SSHD_PORT" \
	--mode silent </dev/null >/dev/null 2>&1 &
t_at_exit "kill $!"
T_CUT_PORT=$(free_port)
python3 "$BED/faultproxy.py" --listen "$T_CUT_PORT" --to "$SSHD_PORT" \
	--mode cut:1000000 </dev/null >/dev/null 2>&1 &
t_at_exit "kill $!"
T_CUTUP_PORT=$(free_port)
python3 "$BED/faultproxy.py" --listen "$T_CUTUP_PORT" --to "$SSHD_PORT" \
	--mode cutup:1000000 </dev/null >/dev/null 2>&1 &
t_at_exit "kill $!"
wait_port "$T_SILENT_PORT" && wait_port "$T_CUT_PORT" && wait_port "$T_CUTUP_PORT" ||
	{ echo "Bail out! faultproxy did not start"; exit 1; }

export T_REMOTE T_BIG T_BIG_SHA T_WRONG_KH T_EMPTY_KH T_HOST_FP \
	T_SILENT_PORT T_CUT_PORT T_CUTUP_PORT
cd "$SCRATCH" && "$TOP/tests/unit/sftp"
