#!/bin/sh
# tests/prove.sh FILE... -- run the TAP files through prove (four at a
# time, with timings) and fail when prove ran no test or fewer files than
# given: prove itself calls a run with nothing in it a success.  Four on
# two cores: the tests spend half their time waiting (servers, sleeps,
# run_timeout), so two at a time left the cores idle half the run (the
# sanitizer pass took 352 s at -j2, 228 s at -j4, 2026-12-02).
[ $# -gt 0 ] || { echo "tests/prove.sh: no test files given" >&2; exit 1; }
log=$(mktemp) || exit 1
trap 'rm -f "$log" "$log.rc"' EXIT
{ prove -j4 --timer "$@" 2>&1; echo $? >"$log.rc"; } | tee "$log"
rc=$(cat "$log.rc")
grep -Eq "^Files=$#, Tests=[1-9]" "$log" || {
	[ "$rc" != 0 ] || rc=1
	echo "make check: prove ran no test, or not all $# files given" >&2
}
exit "$rc"
