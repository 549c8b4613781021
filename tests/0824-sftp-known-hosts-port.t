#!/bin/sh
# known_hosts for a server on a port other than 22 (the sshd bed's never
# is): "[host]:port" names it; a plain "host" entry is the host's port 22,
# which may be another daemon.  libssh2_knownhost_checkp, given the port,
# tries "[host]:port" and then "host", and takes a match on either: so a
# "[host]:port" entry with another key (the server's real one) was
# overruled by a plain "host" entry holding the key an impostor on that
# port shows.  OpenSSH refuses that (HOST_CHANGED); so does posync now.
# posync is stricter than ssh(1) in one case, on purpose: with no
# "[host]:port" entry at all, ssh(1) falls back to a plain "host" entry
# with the same key ("checking without port identifier"); posync refuses
# it as unknown and says the entry is for port 22 only.  Plain and hashed
# (ssh-keygen -H) entries alike.
. "${0%/*}/lib.sh"
. "$BED/sshd.sh"
. "$BED/posync.sh"

bed_sshd
K=$SCRATCH/kh
mkdir -p "$K"
key=$(cut -d' ' -f1,2 "$SCRATCH/sshd/host_ed25519.pub")
ssh-keygen -q -t ed25519 -N '' -C other -f "$K/other" || t_bail "ssh-keygen failed"
other=$(cut -d' ' -f1,2 "$K/other.pub")
printf '127.0.0.1 %s\n' "$key" >"$K/plain"
printf '[127.0.0.1]:%s %s\n' "$SSHD_PORT" "$key" >"$K/port"
# the server on this port is known by another key; port 22's key is the one shown
printf '[127.0.0.1]:%s %s\n127.0.0.1 %s\n' "$SSHD_PORT" "$other" "$key" >"$K/shadow"
for f in plain port shadow; do
	cp "$K/$f" "$K/${f}_hashed" && ssh-keygen -q -H -f "$K/${f}_hashed" >/dev/null 2>&1
done
rm -f "$K"/*.old
t_like "the hashed files are hashed" "$(cat "$K/plain_hashed" "$K/port_hashed" "$K/shadow_hashed")" '^\|1\|'

# OpenSSH's own verdict, the reference (0: it would connect).
ossh() {
	ssh -F /dev/null -p "$SSHD_PORT" -i "$SFTP_KEY" -o BatchMode=yes \
		-o StrictHostKeyChecking=yes -o UserKnownHostsFile="$1" \
		-o GlobalKnownHostsFile=/dev/null -o ConnectTimeout=10 \
		"$SFTP_USER@127.0.0.1" true >"$SCRATCH/ssh.out" 2>&1
	grep -q 'sftp connections only' "$SCRATCH/ssh.out"	# logged in
}

for f in shadow shadow_hashed; do
	ossh "$K/$f"; t_is "ssh(1) refuses $f: '[host]:port' has another key" $? 1
	t_like "... as a changed key" "$(cat "$SCRATCH/ssh.out")" "REMOTE HOST IDENTIFICATION HAS CHANGED"
	posync_conf sftp.known_hosts="$K/$f"
	t_exit "posync refuses $f too: exit 77" 77 po-export-parse
	t_like "... as a changed host key" "$(t_err)" "HOST KEY CHANGED"
done
for f in port port_hashed; do
	ossh "$K/$f"; t_is "ssh(1) takes $f '[127.0.0.1]:PORT'" $? 0
	posync_conf sftp.known_hosts="$K/$f"
	t_exit "so does posync" 0 po-export-parse
done
for f in plain plain_hashed; do
	posync_conf sftp.known_hosts="$K/$f"
	t_exit "only a $f '127.0.0.1' entry (port 22's): refused, exit 77" 77 po-export-parse
	t_like "... as unknown, saying the entry is for port 22, with the line that would trust it" "$(t_err)" \
		"unknown host key .*port 22 only.*ssh-keyscan -p $SSHD_PORT \"127\.0\.0\.1\""
done
t_done
