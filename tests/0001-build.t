#!/bin/sh
# The build's own promises, checked without touching the machine or the
# tree: tests/deps.sh installs (as root) or prints the apt-get command
# (otherwise) for the missing Debian packages; the Makefile names the
# Debian package of a missing library; `make check` stops before building
# when a package is missing, and fails when a unit test binary is missing
# or prove ran no test.  dpkg-query, id, apt-get and prove are stand-ins
# on PATH; no make below compiles anything.
. "${0%/*}/lib.sh"
unset MAKEFLAGS MFLAGS MAKELEVEL

FAKE=$SCRATCH/bin
mkdir -p "$FAKE"
# dpkg-query: every package is installed but those named in $T_MISSING.
cat >"$FAKE/dpkg-query" <<'EOF'
#!/bin/sh
for p; do :; done
case " $T_MISSING " in *" $p "*) exit 1 ;; esac
printf 'install ok installed'
EOF
# id -u: $T_UID; id -u NAME: 999, or no such user while $T_NOUSER (until
# the fake useradd ran).  apt-get: records its arguments, fails when
# $T_APT_FAIL.
cat >"$FAKE/id" <<'EOF'
#!/bin/sh
[ $# = 1 ] && { echo "$T_UID"; exit 0; }
[ -n "${T_NOUSER:-}" ] && [ ! -e "$SCRATCH/useradd.log" ] && exit 1
echo 999
EOF
cat >"$FAKE/apt-get" <<'EOF'
#!/bin/sh
echo "$*" >>"$SCRATCH/apt.log"
[ -z "${T_APT_FAIL:-}" ]
EOF
chmod +x "$FAKE"/*
fake() { env PATH="$FAKE:$PATH" "$@"; }
apt_log() { cat "$SCRATCH/apt.log" 2>/dev/null; }

# --- tests/deps.sh
export T_MISSING= T_UID=1000 T_APT_FAIL=
t_ok "deps.sh: nothing missing, nothing to do" fake sh "$TOP/tests/deps.sh" gcc make libcsv-dev
t_is "  silent" "$(t_err)" ""
t_is "  apt-get not run" "$(apt_log)" ""

T_MISSING="libcsv-dev libinih-dev"
t_exit "deps.sh, not root, two packages missing: exit 1" 1 \
	fake sh "$TOP/tests/deps.sh" gcc libcsv-dev make libinih-dev
t_like "  prints the command to run as root" "$(t_err)" \
	'^  apt-get update && apt-get install -y libcsv-dev libinih-dev$'
t_like "  naming the missing ones" "$(t_err)" 'missing here: libcsv-dev libinih-dev$'
t_like "  and saying to run make deps as root" "$(t_err)" 'run `make deps` as root'
t_is "  and does not run it" "$(apt_log)" ""

T_UID=0
t_ok "deps.sh, root, two packages missing: installs them" \
	fake sh "$TOP/tests/deps.sh" gcc libcsv-dev make libinih-dev
t_is "  apt-get update, then install of exactly the missing ones" "$(apt_log)" \
"update -qq
install -y -qq libcsv-dev libinih-dev"
rm -f "$SCRATCH/apt.log"
T_APT_FAIL=1
t_exit "deps.sh, root, apt-get fails: so does deps.sh" 1 \
	fake sh "$TOP/tests/deps.sh" libcsv-dev
T_APT_FAIL= T_UID=1000

# --- the Makefile names the Debian package of a missing library
cat >"$FAKE/pkg-config" <<'EOF'
#!/bin/sh
for p; do :; done
[ "$p" = libssh2 ] && exit 1
exec /usr/bin/pkg-config "$@"
EOF
chmod +x "$FAKE/pkg-config"
t_exit "make all without libssh2's .pc: stops" 2 \
	make -n -C "$TOP" all PKG_CONFIG="$FAKE/pkg-config"
t_like "  naming libssh2-1-dev and make deps" "$(t_err)" \
	'libssh2 not found by pkg-config: apt-get install libssh2-1-dev, or run make deps'
t_exit "make all when the compiler finds no csv.h: stops" 2 make -n -C "$TOP" all CC=false
t_like "  naming libcsv-dev" "$(t_err)" 'csv\.h \(libcsv\) not found: apt-get install libcsv-dev'
t_ok "make -n clean needs no library" make -n -C "$TOP" clean PKG_CONFIG=false CC=false

# --- make check: a missing package stops it before anything is built.
# MAKE=false and a prove that fails keep it from building or testing
# should the deps step wrongly let it through.
printf '#!/bin/sh\necho "fake prove: $*"\nexit 3\n' >"$FAKE/prove"
chmod +x "$FAKE/prove"
T_MISSING=libcsv-dev
rm -f "$SCRATCH/apt.log"
t_exit "make check, not root, libcsv-dev missing: fails" 2 \
	fake make -C "$TOP" check MAKE=false
t_like "  printing the apt-get command" "$(t_err)" 'apt-get update && apt-get install -y libcsv-dev$'
t_like "  and make deps as root" "$(t_err)" 'run `make deps` as root'
t_true "  before building or proving anything" -z "$(t_out | grep -E 'fake prove|false all')"
t_is "  never trying apt-get" "$(apt_log)" ""
t_exit "make demo, not root, libcsv-dev missing: fails" 2 \
	fake make -C "$TOP" demo MAKE=false
t_like "  saying which, and make deps as root" "$(t_err)" 'missing here: libcsv-dev$'
t_true "  before building or running the demo" -z "$(t_out | grep -E 'false all|demo\.sh')"
t_is "  never trying apt-get" "$(apt_log)" ""
T_MISSING=

# --- make check fails loudly: a unit binary missing, a unit binary no
# tests/*.t runs, prove running no test; and passes on prove's success.
t_exit "make check: a unit test binary not built fails it" 2 \
	fake make -C "$TOP" check MAKE=true DEBS= UNIT_BINS=tests/unit/no-such
t_like "  saying which" "$(t_err)" 'tests/unit/no-such was not built'

touch "$SCRATCH/orphan" && chmod +x "$SCRATCH/orphan"
t_exit "make check: a unit test binary no tests/*.t runs fails it" 2 \
	fake make -C "$TOP" check MAKE=true DEBS= UNIT_BINS="$SCRATCH/orphan"
t_like "  saying which" "$(t_err)" "no tests/\*\.t runs $SCRATCH/orphan"

printf '#!/bin/sh\necho "Files=0, Tests=0"\necho "Result: NOTESTS"\nexit 0\n' >"$FAKE/prove"
t_exit "make check: prove running no test (its status 0) fails it" 2 \
	fake make -C "$TOP" check MAKE=true DEBS= UNIT_BINS=
t_like "  saying so" "$(t_err)" 'make check: prove ran no test'

n=$(ls "$TOP"/tests/*.t | wc -l)
printf '#!/bin/sh\necho "Files=%s, Tests=5"\necho "Result: PASS"\n' "$n" >"$FAKE/prove"
t_ok "make check: prove ran every file's tests: passes" \
	fake make --no-print-directory -C "$TOP" check MAKE=true DEBS= UNIT_BINS=
t_like "  ending with prove's summary" "$(t_out | tail -n 1)" '^Result: PASS$'

printf '#!/bin/sh\necho "Files=%s, Tests=5"\necho "Result: FAIL"\nexit 1\n' "$n" >"$FAKE/prove"
t_exit "make check: prove failing fails it" 2 \
	fake make -C "$TOP" check MAKE=true DEBS= UNIT_BINS=

# --- tests/as-user.sh, make check's first pass: as an ordinary user the
# command runs as it is; as root it runs through runuser as the test user
# (made with useradd when missing), HOME and TMPDIR a fresh folder that
# user is given, removed after; its exit status is the command's.
# useradd, chown and runuser are stand-ins too: nothing here changes the
# machine.
cat >"$FAKE/useradd" <<'EOF'
#!/bin/sh
echo "$*" >>"$SCRATCH/useradd.log"
EOF
cat >"$FAKE/chown" <<'EOF'
#!/bin/sh
echo "$*" >>"$SCRATCH/chown.log"
EOF
# runuser -u USER -- CMD...: records USER and CMD, runs CMD; its "test -r"
# of the tree fails while $T_UNREADABLE
cat >"$FAKE/runuser" <<'EOF'
#!/bin/sh
u=$2; shift 3
[ "$1 $2" = "test -r" ] && [ -n "${T_UNREADABLE:-}" ] && exit 1
echo "$u $1" >>"$SCRATCH/runuser.log"
exec "$@"
EOF
chmod +x "$FAKE/useradd" "$FAKE/chown" "$FAKE/runuser"
as_user() { (cd "$TOP" && fake env TMPDIR="$SCRATCH/tmp" sh tests/as-user.sh "$@"); }
mkdir -p "$SCRATCH/tmp"
show='echo "$HOME|$TMPDIR"; test -d "$TMPDIR" || exit 9; exit 3'

t_exit "as-user.sh, not root: the command's status (3)" 3 as_user sh -c "$show"
t_is "  run as it is, no runuser" "$(cat "$SCRATCH/runuser.log" 2>/dev/null)" ""
t_is "  in our own HOME" "$(t_out | cut -d'|' -f1)" "$HOME"

export T_NOUSER=1
T_UID=0
t_exit "as-user.sh, root, no test user yet: the command's status (3)" 3 \
	as_user sh -c "$show"
t_like "  makes a system user posync-test" "$(cat "$SCRATCH/useradd.log")" '^-r .* posync-test$'
t_like "  runs the command as posync-test" "$(tail -n 1 "$SCRATCH/runuser.log")" '^posync-test env$'
t_like "  HOME and TMPDIR one fresh folder in our TMPDIR" "$(t_out)" \
	"^($SCRATCH/tmp/posync-check\\.[A-Za-z0-9]+)\\|\\1\$"
t_like "  given to posync-test" "$(cat "$SCRATCH/chown.log")" "^posync-test: $SCRATCH/tmp/posync-check\\."
t_is "  and removed after" "$(ls -A "$SCRATCH/tmp")" ""
T_NOUSER=
rm -f "$SCRATCH/useradd.log" "$SCRATCH/runuser.log"
t_ok "as-user.sh, root, POSYNC_TEST_USER=someone" \
	env POSYNC_TEST_USER=someone sh -c 'cd "$1" && PATH="$2:$PATH" TMPDIR="$3" sh tests/as-user.sh true' \
	sh "$TOP" "$FAKE" "$SCRATCH/tmp"
t_like "  runs as someone" "$(tail -n 1 "$SCRATCH/runuser.log")" '^someone env$'
t_is "  who exists: no useradd" "$(cat "$SCRATCH/useradd.log" 2>/dev/null)" ""
rm -f "$SCRATCH/runuser.log"
T_UNREADABLE=1
export T_UNREADABLE
t_ok "as-user.sh, root, the tree unreadable by the user: runs all the same" \
	as_user sh -c 'pwd; test -f tests/lib.sh && test -x po-import/po-import'
t_like "  saying so" "$(t_err)" \
	"posync-test cannot read $TOP: its first pass runs on a copy in $SCRATCH/tmp/posync-check"
t_like "  on a copy, built, in the user's scratch folder" "$(t_out)" \
	"^$SCRATCH/tmp/posync-check\\.[A-Za-z0-9]+/tree\$"
t_like "  as posync-test" "$(cat "$SCRATCH/runuser.log" 2>/dev/null)" '^posync-test env$'
t_is "  the copy removed after" "$(ls -A "$SCRATCH/tmp")" ""
T_UNREADABLE= T_UID=1000

# --- .ci/run runs exactly the README's test command
readme_cmd=$(sed -n '/^```sh$/,/^```$/p' "$TOP/README.md" | grep -E '# every test' |
	sed 's/ *#.*//')
ci_cmd=$(grep -vE '^(#|set |cd |$)' "$TOP/.ci/run")
t_is ".ci/run runs the README's test command" "$ci_cmd" "$readme_cmd"
t_true "  which is make check" "$readme_cmd" = "make check"

t_done
