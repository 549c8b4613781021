# tests/bed/sshd.sh -- a real OpenSSH sshd for posync's tests.
#
# Source after tests/lib.sh:   . "$BED/sshd.sh"
#
# sshd_start starts /usr/sbin/sshd on 127.0.0.1 at a free port, as whoever
# runs the test (root or not: the same layout either way), with keys made
# now (host key, passphrase-less user key), public-key login only, SFTP only
# (internal-sftp).  No chroot: that would need root.  An sshd that is not
# root can only log in as the user it runs as, so SFTP_USER is us.  The
# NetSuite folders live in the scratch folder, and a remote path is the
# same path on this host: "$SFTP_BASE/purchaseorder/..." is both.  The
# config posync_conf writes names them ([netsuite] po_dir and the others);
# sessions start in $SFTP_HOME, the folder holding $SFTP_BASE.
#
# Exports: SSHD_PORT SSHD_PID SSHD_LOG SFTP_HOST SFTP_HOME SFTP_BASE
#          SFTP_USER SFTP_KEY SFTP_KNOWN_HOSTS
# SSHD_HOSTKEY_TYPES="ed25519 ecdsa rsa" (ssh-keygen -t names; default
# "ed25519") gives the server one host key of each type, in
# $SCRATCH/sshd/host_TYPE and host_TYPE.pub; with rsa the server also
# signs with ssh-rsa (SHA-1), which libssh2 1.10 needs for RSA host keys.
# SFTP_KNOWN_HOSTS then holds every one of them.
# SSHD_SFTP_LOG=FILE (set before sshd_start) has internal-sftp log at
# VERBOSE (one line an open, opendir, stat, rename, remove ...) into FILE,
# through a syslog preloaded into sshd (bed/syslog-file.c, built with cc,
# not $CC, which may sanitize): what a run asked the server, for a test
# that counts it.  SSHD_PRELOAD=FILE.so (set before sshd_start): one more
# object preloaded into sshd, a test's own (bed/grow-at-end.c).
# Functions: sshd_start, sshd_stop, sshd_wrong_known_hosts FILE,
#            sshd_more NAME OPTIONS..., sftp_requests, sftp_batch CMDS...

SFTP_HOST=127.0.0.1
SFTP_HOME=$SCRATCH/sftp
SFTP_BASE=$SFTP_HOME/netsuite
export SFTP_HOST SFTP_HOME SFTP_BASE

# The folders NetSuite's set-up script makes (contracts.md section 5); the
# ones posync makes itself (fulfillment/error, receipt-staging) are left out.
_sshd_dirs='fulfillment fulfillment/archive receipt receipt/archive receipt/error'

sshd_start() {
	_sshd_bin=/usr/sbin/sshd
	[ -x "$_sshd_bin" ] || _sshd_bin=$(command -v sshd) ||
		t_bail "OpenSSH sshd is not installed (make deps)"
	command -v ssh-keygen >/dev/null && command -v sftp >/dev/null ||
		t_bail "ssh-keygen or sftp is not installed (make deps)"

	_sshd_dir=$SCRATCH/sshd
	rm -rf "$_sshd_dir" && mkdir -p "$_sshd_dir" || return 1
	_sshd_types=${SSHD_HOSTKEY_TYPES:-ed25519}
	_sshd_hostkeys= _sshd_rsa=
	for _t in $_sshd_types; do
		ssh-keygen -q -t "$_t" -N '' -C posync-test-host \
			-f "$_sshd_dir/host_$_t" || return 1
		chmod 600 "$_sshd_dir/host_$_t"
		_sshd_hostkeys="${_sshd_hostkeys}HostKey $_sshd_dir/host_$_t
"
		[ "$_t" = rsa ] && _sshd_rsa="HostKeyAlgorithms +ssh-rsa
"
	done
	SFTP_KEY=$_sshd_dir/id_ed25519
	ssh-keygen -q -t ed25519 -N '' -C posync-test-user -f "$SFTP_KEY" ||
		return 1
	chmod 600 "$SFTP_KEY"
	cp "$SFTP_KEY.pub" "$_sshd_dir/authorized_keys" || return 1
	SFTP_USER=$(id -un)
	SSHD_LOG=$SCRATCH/sshd.log

	for _d in $_sshd_dirs; do
		mkdir -p "$SFTP_BASE/purchaseorder/$_d" || return 1
	done

	_sshd_sftp="internal-sftp -d $SFTP_HOME"
	# internal-sftp, never a program of its own: sshd runs any other
	# forced command through the user's login shell (nologin for make
	# check's ordinary user).  It logs through syslog only: a preloaded
	# syslog (bed/syslog-file.c) writes its lines to SSHD_SFTP_LOG.
	_sshd_preload=
	if [ -n "${SSHD_SFTP_LOG:-}" ]; then
		_sshd_preload=$_sshd_dir/syslog-file.so
		cc -shared -fPIC -o "$_sshd_preload" "$BED/syslog-file.c" ||
			t_skip_all "cannot build bed/syslog-file.c to log SFTP requests"
		_sshd_sftp="internal-sftp -l VERBOSE -d $SFTP_HOME"
	fi
	# a test's own object too (SSHD_PRELOAD, e.g. bed/grow-at-end.c)
	[ -n "${SSHD_PRELOAD:-}" ] &&
		_sshd_preload=${_sshd_preload:+$_sshd_preload:}$SSHD_PRELOAD

	_sshd_try=0
	while :; do
		_sshd_try=$((_sshd_try + 1))
		SSHD_PORT=$(free_port) || return 1
		# Sessions start in $SFTP_HOME, whatever our home is (a system
		# user's may not exist); internal-sftp takes -d's path as it is,
		# quotes and all, so it is not quoted.  StrictModes would refuse
		# the keys: the scratch folder is under /tmp, which others write.
		cat >"$_sshd_dir/sshd_config" <<EOF
Port $SSHD_PORT
ListenAddress 127.0.0.1
AddressFamily inet
${_sshd_hostkeys}${_sshd_rsa}\
PidFile $_sshd_dir/sshd.pid
AuthorizedKeysFile $_sshd_dir/authorized_keys
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
HostbasedAuthentication no
UsePAM no
StrictModes no
UseDNS no
LogLevel VERBOSE
MaxStartups 100:30:200
MaxSessions 50
AllowAgentForwarding no
AllowTcpForwarding no
X11Forwarding no
PermitTTY no
PermitUserEnvironment no
Subsystem sftp internal-sftp
ForceCommand $_sshd_sftp
EOF
		"$_sshd_bin" -t -f "$_sshd_dir/sshd_config" 2>"$SCRATCH/sshd-t.err" || {
			sed 's/^/# sshd -t: /' "$SCRATCH/sshd-t.err"
			return 1
		}
		# Loopback only, whatever the file holds (a failed write above
		# would leave sshd its defaults: every address, port 22).
		grep -qx "ListenAddress 127.0.0.1" "$_sshd_dir/sshd_config" || return 1
		LD_PRELOAD=${_sshd_preload:-${LD_PRELOAD:-}} SYSLOG_FILE=${SSHD_SFTP_LOG:-} \
			"$_sshd_bin" -D -e -f "$_sshd_dir/sshd_config" -E "$SSHD_LOG" -o ListenAddress=127.0.0.1 \
			</dev/null >>"$SSHD_LOG" 2>&1 &
		SSHD_PID=$!
		t_at_exit "kill $SSHD_PID"
		# wait_port alone could be fooled by someone else taking the port
		# between free_port and sshd's bind: sshd must still be alive.
		if wait_port "$SSHD_PORT" 10 && kill -0 "$SSHD_PID" 2>/dev/null; then
			break
		fi
		kill "$SSHD_PID" 2>/dev/null
		wait "$SSHD_PID" 2>/dev/null
		if [ "$_sshd_try" -ge 3 ]; then
			echo "# sshd did not start; its log:"
			sed 's/^/#   /' "$SSHD_LOG" | tail -n 20
			return 1
		fi
	done

	SFTP_KNOWN_HOSTS=$_sshd_dir/known_hosts
	for _t in $_sshd_types; do
		printf '[127.0.0.1]:%s %s\n' "$SSHD_PORT" \
			"$(cut -d' ' -f1,2 "$_sshd_dir/host_$_t.pub")"
	done >"$SFTP_KNOWN_HOSTS"
	export SSHD_PORT SSHD_PID SSHD_LOG SFTP_USER SFTP_KEY SFTP_KNOWN_HOSTS
}

# sshd_stop -- stop the sshd (and any session it still serves) and wait.
sshd_stop() {
	[ -n "${SSHD_PID:-}" ] || return 0
	# Sessions are children of the listener; they outlive it otherwise.
	for _p in $(pgrep -P "$SSHD_PID" 2>/dev/null); do
		kill "$_p" 2>/dev/null
	done
	kill "$SSHD_PID" 2>/dev/null
	wait "$SSHD_PID" 2>/dev/null
	# wait only knows our own children; make sure in any case.
	_n=0
	while kill -0 "$SSHD_PID" 2>/dev/null && [ $_n -lt 100 ]; do
		sleep 0.05; _n=$((_n + 1))
	done
	! kill -0 "$SSHD_PID" 2>/dev/null
}

# sshd_wrong_known_hosts FILE -- a known_hosts naming this server with a
# different, freshly made key: for "host key changed" tests.
sshd_wrong_known_hosts() {
	_k=$SCRATCH/sshd/other_host_$$
	rm -f "$_k" "$_k.pub"
	ssh-keygen -q -t ed25519 -N '' -C posync-test-other -f "$_k" || return 1
	printf '[127.0.0.1]:%s %s\n' "$SSHD_PORT" \
		"$(cut -d' ' -f1,2 "$_k.pub")" >"$1"
	rm -f "$_k" "$_k.pub"
}

# sftp_requests -- the requests internal-sftp logged into SSHD_SFTP_LOG,
# one a line ("opendir \"PATH\"", "stat name \"PATH\"" ...): the session's
# own lines (start, version, status answers) left out.
sftp_requests() {
	tr -d '\r' <"$SSHD_SFTP_LOG" |
		grep -v '^session \|^received client version\|^sent status'
}

# sshd_more NAME -o OPTION=VALUE... -- a second sshd of the same set-up
# (after sshd_start) with more options, e.g. -o MaxSessions=1: its port in
# MORE_PORT, a known_hosts for it in $SCRATCH/known_hosts.NAME, its log in
# $SCRATCH/sshd.NAME.log; stopped when the test ends.
sshd_more() {
	_n=$1; shift
	MORE_PORT=$(free_port)
	"$_sshd_bin" -D -e -f "$_sshd_dir/sshd_config" -o Port="$MORE_PORT" "$@" \
		-o PidFile="$SCRATCH/sshd.$_n.pid" -o ListenAddress=127.0.0.1 \
		</dev/null >"$SCRATCH/sshd.$_n.log" 2>&1 &
	t_at_exit "kill $!"
	wait_port "$MORE_PORT" || t_bail "the sshd $_n did not start"
	sed "s/^\[127\.0\.0\.1\]:$SSHD_PORT /[127.0.0.1]:$MORE_PORT /" \
		"$SFTP_KNOWN_HOSTS" >"$SCRATCH/known_hosts.$_n"
}

# sftp_batch CMDS... -- run OpenSSH's sftp client with CMDS (one command per
# argument, or several lines in one) as its batch; its exit status is sftp's
# (0 all done, 1 a command failed, 255 no connection).  Note that sftp's
# "rename" uses the posix-rename@openssh.com extension, which replaces an
# existing target; "rename -l" is the plain SFTP rename, which refuses to.
sftp_batch() {
	printf '%s\n' "$@" | sftp -b - -F /dev/null \
		-i "$SFTP_KEY" -o IdentitiesOnly=yes -o IdentityAgent=none \
		-o UserKnownHostsFile="$SFTP_KNOWN_HOSTS" \
		-o GlobalKnownHostsFile=/dev/null \
		-o StrictHostKeyChecking=yes -o BatchMode=yes \
		-o ConnectTimeout=10 -P "$SSHD_PORT" "$SFTP_USER@127.0.0.1"
}
