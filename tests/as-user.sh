#!/bin/sh
# tests/as-user.sh CMD... -- run CMD as an ordinary user: make check's
# normal pass, so that every test runs as one whoever starts it (the
# sanitizer pass then runs as whoever ran make check, root included).
# Not root: CMD runs as it is.  Root: CMD runs as $POSYNC_TEST_USER
# (default posync-test, a system user made here with useradd -r when there
# is none), with HOME and TMPDIR a fresh folder that user owns, removed
# after.  The tree must be readable by that user; the build is done first,
# by root, and the tests only read it.
set -u
[ "$(id -u)" = 0 ] || exec "$@"
die() { echo "make check: $*" >&2; exit 1; }
user=${POSYNC_TEST_USER:-posync-test}

if ! id -u "$user" >/dev/null 2>&1; then
	useradd -r -M -d /nonexistent -s /usr/sbin/nologin \
		-c "posync make check" "$user" ||
		die "could not make the system user $user for the tests"
	echo "make check: made the system user $user to run the tests as" >&2
fi
[ "$(id -u "$user")" != 0 ] || die "$user is root: set POSYNC_TEST_USER to an ordinary user"
top=$(pwd)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/posync-check.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
chown "$user:" "$tmp" && chmod 700 "$tmp" || exit 1
runuser -u "$user" -- test -w "$tmp" ||
	die "$user cannot write $tmp: set TMPDIR to a folder others can reach"
# A tree the user cannot read (a clone under /root, say) is copied, built
# as it is, into the user's scratch folder, and the pass runs there.
if ! runuser -u "$user" -- test -r "$top/tests/lib.sh" -a -x "$top/tests/bed"; then
	echo "make check: $user cannot read $top: its first pass runs on a copy in $tmp" >&2
	cp -a "$top" "$tmp/tree" && chown -R "$user:" "$tmp/tree" || exit 1
	top=$tmp/tree
	cd "$top" || exit 1
fi
# git refuses a repository another user owns unless told it is safe
# (tests/6030 builds the previous release from this tree's history).
printf '[safe]\n\tdirectory = %s\n' "$top" >"$tmp/.gitconfig" &&
	chown "$user:" "$tmp/.gitconfig" || exit 1
echo "make check: the tests run as $user (uid $(id -u "$user")), scratch in $tmp" >&2
runuser -u "$user" -- env HOME="$tmp" TMPDIR="$tmp" "$@"
