#!/bin/sh
# Unit tests of common/decimal.c: strict parsing, exact formatting and sums.
# The TAP comes from the C binary, built by `make unit` under ASan+UBSan.
. "${0%/*}/lib.sh"
[ -x "$TOP/tests/unit/decimal" ] || { echo "Bail out! tests/unit/decimal is not built: make unit"; exit 1; }
"$TOP/tests/unit/decimal"
