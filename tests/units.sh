#!/bin/sh
# tests/units.sh BIN... -- make check's guard on the C unit tests: each
# tests/unit/NAME binary was built, and some tests/*.t runs it (a unit
# test no TAP file runs would pass by never running).
top=$(cd "$(dirname "$0")/.." && pwd) || exit 1
cd "$top" || exit 1
for b; do
	[ -x "$b" ] || { echo "make check: $b was not built" >&2; exit 1; }
	grep -Eqs "tests/unit/${b##*/}([\"' ]|\$)" tests/*.t ||
		{ echo "make check: no tests/*.t runs $b" >&2; exit 1; }
done
