#!/bin/sh
# sftp_open against a server with three host keys (ed25519, ecdsa, rsa) when
# known_hosts holds only some of them: posync offers only the host key types
# known_hosts lists for the host, as OpenSSH's ssh does, so a trusted host is
# never refused because it showed another of its keys; a wrong key of the
# listed type is still refused as changed, with the server's fingerprint.
# The C test (tests/unit/sftp_hostkeys.c) prints the TAP; this wrapper
# starts sshd and writes the cases, their known_hosts files and what each
# must say, all from ssh-keygen.
. "${0%/*}/lib.sh"
. "$BED/sshd.sh"
. "$BED/posync.sh"

[ -x "$TOP/tests/unit/sftp_hostkeys" ] ||
	{ echo "Bail out! tests/unit/sftp_hostkeys is not built (make unit)"; exit 1; }
SSHD_HOSTKEY_TYPES="ed25519 ecdsa rsa"
sshd_start || { echo "Bail out! sshd_start failed"; exit 1; }
posync_conf sftp.timeout=10

T_REMOTE=$SFTP_BASE/t
T_MARKER=marker-$$
mkdir -p "$T_REMOTE"
head -c $((1000 + $$ % 1000)) /dev/urandom >"$T_REMOTE/$T_MARKER"

H=$SCRATCH/sshd
K=$SCRATCH/kh
mkdir -p "$K"
T_CASES=$K/cases
: >"$T_CASES"
tab=$(printf '\t')
# case STATUS KNOWN_HOSTS DESCRIPTION NEEDLE...
case_line() {
	_l=$1; shift
	for _f; do _l="$_l$tab$_f"; done
	printf '%s\n' "$_l" >>"$T_CASES"
}
# entry HOST PUBFILE -- a known_hosts line for HOST at sshd's port
entry() { printf '[%s]:%s %s\n' "$1" "$SSHD_PORT" "$(cut -d' ' -f1,2 "$2")"; }
# the algorithms posync should offer for a key type; libssh2 1.10 has
# only ssh-rsa for RSA host keys, later versions the SHA-2 ones first
offer() {
	case $1 in
	ssh-rsa) echo "known_hosts: ssh-rsa\$|known_hosts: rsa-sha2-512,rsa-sha2-256,ssh-rsa\$" ;;
	*) echo "known_hosts: $1\$" ;;
	esac
}

FP_ALL=
for t in ed25519 ecdsa rsa; do
	name=$(cut -d' ' -f1 "$H/host_$t.pub")
	fp=$(ssh-keygen -lf "$H/host_$t.pub" | cut -d' ' -f2)
	eval "NAME_$t=\$name FP_$t=\$fp"
	FP_ALL=${FP_ALL:+$FP_ALL|}$fp

	entry 127.0.0.1 "$H/host_$t.pub" >"$K/only_$t"
	case_line 0 "$K/only_$t" "known_hosts with only the $name key" "$(offer "$name")"

	ssh-keygen -q -t "$t" -N '' -C posync-test-other -f "$K/other_$t" ||
		{ echo "Bail out! ssh-keygen -t $t failed"; exit 1; }
	entry 127.0.0.1 "$K/other_$t.pub" >"$K/wrong_$t"
	case_line 77 "$K/wrong_$t" "known_hosts with a wrong $name key" \
		"HOST KEY CHANGED" "$name $fp" "ssh-keyscan -p $SSHD_PORT"
done

# Hashed names (ssh-keygen -H, as HashKnownHosts writes them).
cp "$K/only_rsa" "$K/hashed_rsa" && ssh-keygen -q -H -f "$K/hashed_rsa" >/dev/null 2>&1 &&
	cp "$K/wrong_ed25519" "$K/hashed_wrong_ed25519" &&
	ssh-keygen -q -H -f "$K/hashed_wrong_ed25519" >/dev/null 2>&1 ||
	{ echo "Bail out! ssh-keygen -H failed"; exit 1; }
grep -q '127.0.0.1' "$K/hashed_rsa" "$K/hashed_wrong_ed25519" &&
	{ echo "Bail out! ssh-keygen -H left the name in clear"; exit 1; }
case_line 0 "$K/hashed_rsa" "hashed known_hosts with only the $NAME_rsa key" \
	"$(offer "$NAME_rsa")"
case_line 77 "$K/hashed_wrong_ed25519" "hashed known_hosts with a wrong $NAME_ed25519 key" \
	"HOST KEY CHANGED" "$NAME_ed25519 $FP_ed25519"

# Two types: both offered, in OpenSSH's order (ed25519 before RSA).
{ entry 127.0.0.1 "$H/host_rsa.pub"; entry 127.0.0.1 "$H/host_ed25519.pub"; } >"$K/two"
case_line 0 "$K/two" "known_hosts with the $NAME_rsa and $NAME_ed25519 keys" \
	"known_hosts: $NAME_ed25519,ssh-rsa\$|known_hosts: $NAME_ed25519,rsa-sha2-512,rsa-sha2-256,ssh-rsa\$"

# Entries for another host or another port do not count: their types are
# not offered (either would come first, and the server would show it).
{ entry 127.0.0.2 "$H/host_ed25519.pub"; entry 127.0.0.1 "$H/host_rsa.pub"
  printf '[127.0.0.1]:1 %s\n' "$(cut -d' ' -f1,2 "$H/host_ecdsa.pub")"
} >"$K/others"
case_line 0 "$K/others" \
	"known_hosts with ed25519 for another host, ecdsa for another port, $NAME_rsa for this one" \
	"$(offer "$NAME_rsa")"

# A type the server has no key of: refused, showing a key it does have,
# as a changed key (ssh(1) too: the entries for [host]:port decide,
# whatever their type; 0824 holds it to ssh), the one OpenSSH's order
# of preference picks.
ssh-keygen -q -t ecdsa -b 384 -N '' -C posync-test-other -f "$K/other_384" ||
	{ echo "Bail out! ssh-keygen -t ecdsa -b 384 failed"; exit 1; }
entry 127.0.0.1 "$K/other_384.pub" >"$K/only_384"
case_line 77 "$K/only_384" "known_hosts with only a key type the server lacks" \
	"no host key of the types" "ecdsa-sha2-nistp384" "HOST KEY CHANGED" \
	"$NAME_ed25519 $FP_ed25519"

# No entry for the host: libssh2's default, and the unknown-host refusal
# with the fingerprint of whichever key the server showed.
: >"$K/empty"
case_line 77 "$K/empty" "an empty known_hosts" "unknown host key" "$FP_ALL" \
	"!host key algorithms from known_hosts" "ssh-keyscan -p $SSHD_PORT"

export T_CASES T_REMOTE T_MARKER
cd "$SCRATCH" && "$TOP/tests/unit/sftp_hostkeys"
