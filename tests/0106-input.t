#!/bin/sh
# Unit tests of common/input.c: items from arguments, stdin or the spool.
# The TAP comes from the C binary, built by `make unit` under ASan+UBSan.
. "${0%/*}/lib.sh"
[ -x "$TOP/tests/unit/input" ] || { echo "Bail out! tests/unit/input is not built: make unit"; exit 1; }
"$TOP/tests/unit/input"
