#!/bin/sh
# Unit tests of common/safename.c: safe, distinct, stable local names.
# The TAP comes from the C binary, built by `make unit` under ASan+UBSan.
. "${0%/*}/lib.sh"
[ -x "$TOP/tests/unit/safename" ] || { echo "Bail out! tests/unit/safename is not built: make unit"; exit 1; }
"$TOP/tests/unit/safename"
