# tests/lib.sh -- TAP helpers for posync's shell tests.
#
# Source it from a tests/NNNN-name.t file:  . "${0%/*}/lib.sh"
# It provides counting assertions that print TAP, a scratch directory that
# is removed on exit, a cleanup list that stops whatever the test started,
# and the paths of the repository ($TOP) and its programs.
#
# Every check prints "ok N - desc" or "not ok N - desc"; a failing check
# shows the command's stderr as TAP diagnostics, never hides it.

set -u
TOP=$(cd "${0%/*}/.." && pwd)
BED=$TOP/tests/bed
# POSYNC_BINDIR (make check-sanitize: build/san) holds another build of the
# programs, in the same PROG/PROG layout, to run instead of the tree's own.
BUILD=${POSYNC_BINDIR:-$TOP}
PATH=$BUILD/po-export-parse:$BUILD/po-import:$BUILD/receipt-export:$BUILD/receipt-push:$BUILD/posync-status:$PATH
export TOP BED PATH
unset POSYNC_CONFIG

_t_n=0 _t_fail=0 _t_cleanups=
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/posync-test.XXXXXX")
export SCRATCH

t_at_exit() { _t_cleanups="$*
$_t_cleanups"; }
_t_exit() {
	_rc=$?
	printf '%s\n' "$_t_cleanups" | while IFS= read -r _c; do
		[ -n "$_c" ] && eval "$_c" >/dev/null 2>&1
	done
	rm -rf "$SCRATCH"
	exit $_rc
}
trap _t_exit EXIT
trap 'exit 130' INT TERM

_t_report() { # status desc [errfile]
	_t_n=$((_t_n + 1))
	if [ "$1" = 0 ]; then
		printf 'ok %d - %s\n' "$_t_n" "$2"
	else
		_t_fail=$((_t_fail + 1))
		printf 'not ok %d - %s\n' "$_t_n" "$2"
		# the why goes to stderr, as Test::More's does: prove shows
		# it even without -v, so a failure in CI says what it saw
		[ $# -ge 3 ] && [ -s "$3" ] && sed 's/^/#   /' "$3" | head -n 40 >&2
	fi
	return "$1"
}

t_diag() { printf '%s\n' "$*" | sed 's/^/# /'; }

# t_ok DESC CMD...       -- passes when CMD exits 0
t_ok() {
	_d=$1; shift
	"$@" >"$SCRATCH/.out" 2>"$SCRATCH/.err"; _s=$?
	[ $_s = 0 ] || echo "exit status $_s: $*" >>"$SCRATCH/.err"
	[ $_s = 0 ]; _t_report $? "$_d" "$SCRATCH/.err"
}

# t_exit DESC STATUS CMD... -- passes when CMD exits with STATUS
t_exit() {
	_d=$1 _want=$2; shift 2
	"$@" >"$SCRATCH/.out" 2>"$SCRATCH/.err"; _s=$?
	[ "$_s" = "$_want" ] || echo "exit status $_s, wanted $_want: $*" >>"$SCRATCH/.err"
	[ "$_s" = "$_want" ]; _t_report $? "$_d" "$SCRATCH/.err"
}

# t_is DESC GOT WANT     -- passes when the two strings are equal
t_is() {
	if [ "$2" = "$3" ]; then _t_report 0 "$1"
	else
		printf 'got:  %s\nwant: %s\n' "$2" "$3" >"$SCRATCH/.cmp"
		_t_report 1 "$1" "$SCRATCH/.cmp"
	fi
}

# t_like DESC GOT PATTERN -- passes when GOT matches the grep -E PATTERN
t_like() {
	if printf '%s\n' "$2" | grep -Eq -- "$3"; then _t_report 0 "$1"
	else
		printf 'got:  %s\nwant match: %s\n' "$2" "$3" >"$SCRATCH/.cmp"
		_t_report 1 "$1" "$SCRATCH/.cmp"
	fi
}

# t_true DESC CONDITION... -- passes when the test(1) expression holds
t_true() {
	_d=$1; shift
	if [ "$@" ]; then _t_report 0 "$_d"
	else echo "false: [ $* ]" >"$SCRATCH/.cmp"; _t_report 1 "$_d" "$SCRATCH/.cmp"; fi
}

# t_killed_err FILE -- FILE, the stderr of runs killed with -9, less what
# a sanitizer's runtime (make check-sanitize) prints when the kill lands
# while its leak check is stopping the threads at exit: LeakSanitizer's
# own line about its tracer, never posync's.  The normal build: FILE.
t_killed_err() {
	if [ -n "${POSYNC_SANITIZED:-}" ]; then
		grep -vE '^==[0-9]+==Unable to get registers from thread [0-9]+\.?$' "$1"
	else
		cat "$1"
	fi
}

# stdout / stderr of the last t_ok / t_exit
t_out() { cat "$SCRATCH/.out"; }
t_err() { cat "$SCRATCH/.err"; }

t_skip_all() { echo "1..0 # SKIP $*"; exit 0; }

# t_need_faketime -- a test that shifts this host's clock with faketime(1)
# calls it first.  libfaketime deadlocks a program built with ASan (its
# start-up and ASan's interceptors wait on each other), so the sanitizer
# run skips such a test; the normal run needs faketime (make deps).
t_need_faketime() {
	[ -n "${POSYNC_SANITIZED:-}" ] &&
		t_skip_all "libfaketime hangs programs built with ASan"
	command -v faketime >/dev/null || t_bail "faketime is missing: make deps"
}

# t_need_strace -- a test that injects faults with strace(1) calls it
# first: ASan's and strace's ptrace do not mix, and strace may be missing
# or barred from tracing here; each skips the file.
t_need_strace() {
	[ -n "${POSYNC_SANITIZED:-}" ] && t_skip_all "strace and ASan"
	command -v strace >/dev/null || t_skip_all "strace is missing"
	strace -f -o /dev/null true 2>/dev/null || t_skip_all "strace cannot trace here"
}

# t_need_tmpfs -- a test that mounts a small tmpfs (a full disk, a spool
# folder on another filesystem) calls it first: it needs root and a
# kernel that lets it mount, and skips cleanly otherwise.
t_need_tmpfs() {
	[ "$(id -u)" = 0 ] || t_skip_all "mounting a tmpfs needs root"
	mkdir -p "$SCRATCH/.tmpfs-probe"
	mount -t tmpfs -o size=64k posync-test "$SCRATCH/.tmpfs-probe" 2>/dev/null ||
		t_skip_all "cannot mount a tmpfs here"
	umount "$SCRATCH/.tmpfs-probe"
	rmdir "$SCRATCH/.tmpfs-probe"
}

# t_mount KIND DIR -- a small tmpfs (KIND tmpfs), or a bind mount of a
# folder of the same filesystem (KIND bind), on DIR; unmounted when the
# test ends (t_need_tmpfs first)
t_mount() {
	if [ "$1" = tmpfs ]; then
		mount -t tmpfs -o size=256k posync-test "$2"
	else
		mkdir -p "$SCRATCH/elsewhere" && mount --bind "$SCRATCH/elsewhere" "$2"
	fi || t_bail "cannot mount on $2"
	t_at_exit "umount $2"
}

# t_readonly PATH, t_writable PATH -- make PATH (a file or folder) read-only
# for posync and the bed's sshd, which run as we do, and writable again.
# An ordinary user takes away the write bits; root writes through them,
# so as root it is chattr +i, which needs a file system that has it.
# t_need_readonly -- called first by a test that cannot go on without it:
# it skips the file when neither works here.
t_readonly() {
	if [ "$(id -u)" = 0 ]; then chattr +i "$1" 2>/dev/null
	else chmod a-w "$1"; fi
}
t_writable() {
	if [ "$(id -u)" = 0 ]; then chattr -i "$1"
	else chmod u+w "$1"; fi
}
t_need_readonly() {
	mkdir -p "$SCRATCH/.ro-probe"
	t_readonly "$SCRATCH/.ro-probe" ||
		t_skip_all "cannot make a folder read-only here (as root: chattr +i)"
	t_writable "$SCRATCH/.ro-probe"
	rmdir "$SCRATCH/.ro-probe"
}

# t_clock OFFSET CMD... -- run CMD with this host's clock moved by OFFSET
# ("+2h", "-1d", "+365d"; faketime(1)'s relative form).  Only the wall
# clock moves: stat(2) shows files' real times (NO_FAKE_STAT) and the
# monotonic clock behind timeouts is left alone (DONT_FAKE_MONOTONIC).
t_clock() {
	_off=$1; shift
	NO_FAKE_STAT=1 DONT_FAKE_MONOTONIC=1 faketime -f "$_off" "$@"
}

# t_pohash NAME FILE -- the hash po-export-parse names FILE's output by
# when it is called NAME (pohash.h), computed apart from posync: xxhsum(1)
# over NAME, a NUL and FILE's bytes.  t_oldhash NAME FILE -- the old hash
# older posyncs named it by (FNV-1a 64 over the same bytes), for a spool
# such a posync left.
t_pohash() {
	command -v xxhsum >/dev/null || t_bail "xxhsum is missing: make deps"
	{ printf '%s\0' "$1"; cat "$2"; } | xxhsum -H3 | sed 's/.* = //'
}
t_oldhash() {
	python3 - "$1" "$2" <<'PY'
import sys
h = 0xcbf29ce484222325
for b in sys.argv[1].encode() + b'\0' + open(sys.argv[2], 'rb').read():
    h = ((h ^ b) * 0x100000001b3) & 0xffffffffffffffff
print('%016x' % h)
PY
}

# t_bail REASON -- stop the file as a failure prove reports: for what
# `make deps` or `make unit` should have provided, never a quiet skip.
t_bail() { echo "Bail out! $*"; exit 1; }

# t_done -- print the plan; the exit status says whether all passed
t_done() {
	echo "1..$_t_n"
	[ "$_t_fail" = 0 ]
}

# free_port -- a TCP port on 127.0.0.1 that nothing listens on now
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# wait_port PORT [SECONDS] -- wait until something accepts on 127.0.0.1:PORT
wait_port() {
	python3 - "$1" "${2:-10}" <<'PY'
import socket, sys, time
port, limit = int(sys.argv[1]), float(sys.argv[2])
end = time.time() + limit
while time.time() < end:
    try:
        socket.create_connection(("127.0.0.1", port), 0.5).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.05)
sys.exit(1)
PY
}
