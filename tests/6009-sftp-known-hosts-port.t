#!/bin/sh
# known_hosts is read as OpenSSH's ssh(1) reads it, and this file proves it
# against ssh(1) itself: for every known_hosts below (written plain, and
# hashed by ssh-keygen -H) it asks ssh -o StrictHostKeyChecking=yes -o
# BatchMode=yes what it makes of the same sshd, then asks posync, and the
# two verdicts (let in, refused as a changed key, refused as unknown) must
# be the same.  ssh's verdict is also held to the rule the case is about,
# so that a broken bed (both refusing for some other reason) cannot pass.
#
# The rule (sshconnect.c, check_host_key): on port 22 the server is
# "host", and an entry "[host]:22" is not it.  On another port it is
# "[host]:port"; entries naming that decide alone, whatever their key
# type: one holding the key shown lets it in, else the key has changed
# (even if a plain "host" entry holds it).  Only when no entry names
# "[host]:port" does ssh look again without the port: a plain "host"
# entry holding the key lets it in, other keys leave the host unknown.
# libssh2 tried both names and took a match on either, so a plain entry
# overruled a "[host]:port" entry holding another key.  Which key the
# server shows depends on the host key algorithms offered, so the server
# has three (ed25519, ECDSA P-256, RSA): ssh prefers ed25519 where
# libssh2's own order prefers ECDSA, and posync must ask as ssh asks.
#
# Port 22 needs a server on port 22: the file runs in a network namespace
# of its own (unshare -n), where a second sshd listens on 127.0.0.1:22.
# Without one the port-22 cases are skipped, and say so.
if [ -z "${T_NETNS:-}" ] && unshare -n sh -c 'ip link set lo up' 2>/dev/null; then
	T_NETNS=1 exec unshare -n sh -c 'ip link set lo up && exec "$0"' "$0"
fi
. "${0%/*}/lib.sh"
. "$BED/sshd.sh"
. "$BED/posync.sh"

SSHD_HOSTKEY_TYPES="ed25519 ecdsa rsa"
bed_sshd
K=$SCRATCH/kh
mkdir -p "$K"
pub() { cut -d' ' -f1,2 "$1"; }
E=$(pub "$SCRATCH/sshd/host_ed25519.pub")
R=$(pub "$SCRATCH/sshd/host_rsa.pub")
FP_E=$(ssh-keygen -lf "$SCRATCH/sshd/host_ed25519.pub" | cut -d' ' -f2 |
	sed 's/[][+.*?^$(){}|\\]/\\&/g')	# as a grep -E pattern
# keys the server does not have: e and r of its types, x of a type it lacks
ssh-keygen -q -t ed25519 -N '' -C other -f "$K/other_e" &&
	ssh-keygen -q -t rsa -N '' -C other -f "$K/other_r" &&
	ssh-keygen -q -t ecdsa -b 384 -N '' -C other -f "$K/other_x" ||
	t_bail "ssh-keygen failed"
e=$(pub "$K/other_e.pub") r=$(pub "$K/other_r.pub") x=$(pub "$K/other_x.pub")
t_like "the other keys are of the types meant" "$e $r $x" \
	'^ssh-ed25519 [^ ]+ ssh-rsa [^ ]+ ecdsa-sha2-nistp384 [^ ]+$'

# ssh_says FILE [PORT] -- what ssh(1) makes of known_hosts FILE (server
# $HOST, 127.0.0.1 by default):
# accept, changed, unknown, or other (anything else: a broken bed)
ssh_says() {
	ssh -F /dev/null -p "${2:-$SSHD_PORT}" -i "$SFTP_KEY" -o IdentitiesOnly=yes \
		-o IdentityAgent=none -o BatchMode=yes -o StrictHostKeyChecking=yes \
		-o UserKnownHostsFile="$1" -o GlobalKnownHostsFile=/dev/null \
		-o ConnectTimeout=10 "$SFTP_USER@${HOST:-127.0.0.1}" true >"$SCRATCH/ssh.out" 2>&1
	if grep -q 'sftp connections only' "$SCRATCH/ssh.out"; then echo accept	# logged in
	elif grep -q 'REVOKED HOST KEY' "$SCRATCH/ssh.out"; then echo revoked
	elif grep -q 'REMOTE HOST IDENTIFICATION HAS CHANGED' "$SCRATCH/ssh.out"; then echo changed
	elif grep -q 'No .* host key is known for' "$SCRATCH/ssh.out"; then echo unknown
	else echo other
	fi
}
# posync_says FILE [PORT] -- the same from po-export-parse -n (which
# connects, lists and changes nothing); its stderr stays in $SCRATCH/p.err
posync_says() {
	posync_conf -f "$SCRATCH/kh.conf" sftp.known_hosts="$1" sftp.port="${2:-$SSHD_PORT}" \
		sftp.host="${HOST:-127.0.0.1}"
	po-export-parse -n >/dev/null 2>"$SCRATCH/p.err"
	case $? in
	0) echo accept ;;
	77) if grep -q 'HOST KEY CHANGED' "$SCRATCH/p.err"; then echo changed
	    elif grep -q 'HOST KEY REVOKED' "$SCRATCH/p.err"; then echo revoked
	    elif grep -q 'unknown host key' "$SCRATCH/p.err"; then echo unknown
	    else echo other
	    fi ;;
	*) echo other ;;
	esac
}

# case RULE PORT DESC NAME KEY [NAME KEY...] -- one known_hosts, plain
# and hashed: ssh must say RULE, and posync what ssh says
n=0
case_() {
	_rule=$1 _port=$2 _desc=$3; shift 3
	n=$((n + 1))
	_f=$K/case$n
	: >"$_f"
	while [ $# -ge 2 ]; do printf '%s %s\n' "$1" "$2" >>"$_f"; shift 2; done
	_vs=
	if [ -z "${NOHASH:-}" ]; then
		cp "$_f" "$_f.hashed" && ssh-keygen -q -H -f "$_f.hashed" >/dev/null 2>&1 &&
			rm -f "$_f.hashed.old" && ! grep -q '127\.0\.0\.1' "$_f.hashed" ||
			t_bail "ssh-keygen -H $_f failed"
		_vs=.hashed
	fi
	for _v in "" $_vs; do
		_s=$(ssh_says "$_f$_v" "$_port")
		_p=$(posync_says "$_f$_v" "$_port")
		t_is "port $_port, $_desc${_v:+ (hashed)}: ssh(1) says $_rule" "$_s" "$_rule"
		t_is "... and posync says what ssh(1) says" "$_p" "$_s" ||
			sed 's/^/#   posync: /' "$SCRATCH/p.err"
	done
}

H=127.0.0.1 P="[127.0.0.1]:$SSHD_PORT"
p=$SSHD_PORT
case_ accept $p "only a plain entry, holding the key" $H "$E"
t_like "... posync -v says it took the entry without a port" \
	"$(POSYNC_CONFIG=$SCRATCH/kh.conf po-export-parse -n -v 2>&1 >/dev/null)" \
	"$FP_E taken from \".*\", from its entry for \"127\.0\.0\.1\" without a port: no entry names \"\[127\.0\.0\.1\]:$SSHD_PORT\""
case_ unknown $p "only a plain entry, holding another key" $H "$e"
t_like "... posync says the entries without a port hold other keys" \
	"$(cat "$SCRATCH/p.err")" "unknown host key .*entries for \"127\.0\.0\.1\" without a port.*none names \"\[127\.0\.0\.1\]:$p\", hold other keys.*ssh-keyscan -p $p \"127\.0\.0\.1\""
case_ unknown $p "plain entries holding the RSA key and another ed25519 key" $H "$R" $H "$e"
case_ unknown $p "only a plain entry, holding the RSA key" $H "$R"
case_ accept $p "only a [host]:port entry, holding the key" "$P" "$E"
case_ changed $p "only a [host]:port entry, holding another key" "$P" "$e"
t_like "... posync says so with the server's fingerprint" "$(cat "$SCRATCH/p.err")" \
	"HOST KEY CHANGED: the server offers ssh-ed25519 $FP_E"
case_ accept $p "[host]:port holding the key, plain another" "$P" "$E" $H "$e"
case_ changed $p "[host]:port holding another key, plain the key" "$P" "$e" $H "$E"
case_ changed $p "[host]:port holding another RSA key, plain the ed25519 key" "$P" "$r" $H "$E"
case_ changed $p "[host]:port holding a key of a type the server lacks, plain the key" "$P" "$x" $H "$E"
case_ accept $p "[host]:port holding another RSA key and the ed25519 key" "$P" "$r" "$P" "$E"
case_ accept $p "[host]:port holding the RSA key, plain another ed25519 key" "$P" "$R" $H "$e"
case_ unknown $p "only an entry for [host]:22" "[127.0.0.1]:22" "$E"
case_ unknown $p "an empty file"

# Names as ssh matches them: patterns ("*", "?", "!" before one that must
# not match) and any case; libssh2 compares names byte for byte, so these
# once let a plain entry vouch where ssh says the key changed, or let a
# line that excludes the server vouch for it.  (Not hashed: ssh-keygen -H
# leaves patterns as they are.)
NOHASH=1
case_ changed $p "[127.0.0.*]:port holding another key, plain the key" \
	"[127.0.0.*]:$p" "$e" $H "$E"
case_ changed $p "'*' holding another key, plain the key" '*' "$e" $H "$E"
case_ accept $p "[127.0.0.?]:port holding the key" "[127.0.0.?]:$p" "$E"
case_ accept $p "only a plain pattern entry 127.0.0.*, holding the key" "127.0.0.*" "$E"
case_ unknown $p "[host]:port excluded by '!' on its own line" "!$P,$P" "$E"
case_ unknown $p "the plain host excluded by '!', as the only entry" "127.0.0.*,!$H" "$E"
case_ accept $p "[host]:port on a line whose '!' excludes another host" "!10.0.0.1,$P" "$E"
case_ accept $p "a line of names, [host]:port among them" "sftp.example.com,$P,10.0.0.1" "$E"
HOST=LocalHost	# /etc/hosts: 127.0.0.1 localhost
case_ changed $p "server LocalHost: [LOCALHOST]:port holding another key, plain the key" \
	"[LOCALHOST]:$p" "$e" localhost "$E"
case_ accept $p "server LocalHost: [localhost]:port holding the key" "[localhost]:$p" "$E"
unset HOST
# Markers: an @revoked key is refused, whatever else vouches for it; an
# @cert-authority line is for host certificates, which the server has not.
case_ revoked $p "@revoked holding the key, [host]:port the key" "@revoked $P" "$E" "$P" "$E"
case_ revoked $p "@revoked * holding the key, plain the key" "@revoked *" "$E" $H "$E"
case_ accept $p "@cert-authority [host]:port holding the key, plain the key" \
	"@cert-authority $P" "$E" $H "$E"
unset NOHASH

# A NUL byte is a corrupt file, said with its line (libssh2 would read the
# line up to it).
{ printf '%s %s\n' "$P" "$E"; printf '# \000\n'; } >"$K/nul"
posync_conf sftp.known_hosts="$K/nul"
t_exit "a NUL byte in known_hosts: exit 78" 78 po-export-parse -n
t_like "... naming the file and line" "$(t_err)" "kh/nul\":2: .*NUL byte"

if [ -n "${T_NETNS:-}" ]; then
	sed -e 's/^Port .*/Port 22/' -e "s|^PidFile .*|PidFile $SCRATCH/sshd/sshd22.pid|" \
		"$SCRATCH/sshd/sshd_config" >"$SCRATCH/sshd/sshd22_config"
	/usr/sbin/sshd -D -e -f "$SCRATCH/sshd/sshd22_config" -E "$SCRATCH/sshd22.log" </dev/null &
	t_at_exit "kill $!"
	wait_port 22 10 || t_bail "no sshd on port 22 in the namespace: $(tail -n 3 "$SCRATCH/sshd22.log")"
	case_ accept 22 "a plain entry, holding the key" $H "$E"
	case_ unknown 22 "only an entry for [host]:22, holding the key" "[127.0.0.1]:22" "$E"
	case_ changed 22 "[host]:22 holding the key, plain another" "[127.0.0.1]:22" "$E" $H "$e"
	case_ accept 22 "[host]:22 holding another key, plain the key" "[127.0.0.1]:22" "$e" $H "$E"
else
	t_skip() { _t_report 0 "$1 # SKIP $2"; }
	t_skip "port 22 cases" "no network namespace (unshare -n) for a server on port 22"
fi
t_done
