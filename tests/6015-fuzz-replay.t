#!/bin/sh
# 6015-fuzz-replay -- every libFuzzer harness in tests/fuzz/ runs once on
# each of its seeds (tests/fuzz/corpus/NAME/) and each crash input ever
# saved (tests/fuzz/crashes/NAME/), under ASan+UBSan: a regression test of
# the parsers of outside and on-disk input, and of the invariants each
# harness checks.  The harnesses need clang, which `make deps` installs:
# without it this fails, never skips.
. "${0%/*}/lib.sh"
unset MAKEFLAGS MFLAGS MAKELEVEL

command -v clang >/dev/null 2>&1 || t_bail "clang is not installed: make deps"
t_ok "make fuzz-build builds the harnesses with clang" \
	make -s -C "$TOP" fuzz-build WERROR=-Werror

# replay BIN FILE... -- run the harness once on each file; on failure keep
# only what says why (the sanitizer's or FUZZ_CHECK's report), not the
# messages of the code under test.
replay() {
	_bin=$1; shift
	"$_bin" "$@" >/dev/null 2>"$SCRATCH/replay.err" && return 0
	grep -E -A12 'invariant broken|ERROR: |runtime error|SUMMARY' "$SCRATCH/replay.err" >&2
	return 1
}

n=0
for src in "$TOP"/tests/fuzz/*.c; do
	h=${src##*/} h=${h%.c}
	n=$((n + 1))
	bin=$TOP/build/fuzz/$h
	t_true "$h: built" -x "$bin"
	set -- $(find "$TOP/tests/fuzz/corpus/$h" -type f ! -name '.*' 2>/dev/null | sort)
	t_true "$h: has seeds in tests/fuzz/corpus/$h" $# -gt 0
	[ $# -gt 0 ] && t_ok "$h: its $# seeds keep every invariant" replay "$bin" "$@"
	# each saved crash alone, so a failure names the input
	for c in $(find "$TOP/tests/fuzz/crashes/$h" -type f ! -name '.*' 2>/dev/null | sort); do
		t_ok "$h: crashes/$h/${c##*/} no longer crashes it" replay "$bin" "$c"
	done
done
t_true "a harness for each parser (14 or more)" $n -ge 14

# A broken invariant fails the replay: a harness fed an input that
# breaks nothing passes, one built to abort on it does not.  (The
# FUZZ_CHECK macro is what every harness uses.)
cat >"$SCRATCH/broken.c" <<'C'
#include "fuzz.h"
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	FUZZ_CHECK(n == 0 || d[0] != 'X', "an X");
	return 0;
}
C
printf 'ok' >"$SCRATCH/good"
printf 'X' >"$SCRATCH/bad"
if clang -I"$TOP/tests/fuzz" -fsanitize=fuzzer,address,undefined -o "$SCRATCH/broken" \
	"$SCRATCH/broken.c" 2>"$SCRATCH/cc.err"; then
	t_ok "FUZZ_CHECK: an input keeping the invariant passes" "$SCRATCH/broken" "$SCRATCH/good"
	"$SCRATCH/broken" "$SCRATCH/bad" >/dev/null 2>"$SCRATCH/bad.err"; st=$?
	t_true "FUZZ_CHECK: an input breaking it fails the replay (status $st)" "$st" -ne 0
	t_like "  saying which invariant broke" "$(cat "$SCRATCH/bad.err")" \
		'invariant broken: .*: an X'
else
	t_true "clang builds a harness" 1 = 0
fi
t_done
