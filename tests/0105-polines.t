#!/bin/sh
# Unit tests of common/polines.c: the ledger of PO lines.
# The TAP comes from the C binary, built by `make unit` under ASan+UBSan.
. "${0%/*}/lib.sh"
[ -x "$TOP/tests/unit/polines" ] || { echo "Bail out! tests/unit/polines is not built: make unit"; exit 1; }
"$TOP/tests/unit/polines"
