#!/bin/sh
# Unit tests of common/map.c, the one hash table (polines, receipts).
# The TAP comes from the C binary, built by `make unit` under ASan+UBSan.
. "${0%/*}/lib.sh"
[ -x "$TOP/tests/unit/map" ] || { echo "Bail out! tests/unit/map is not built: make unit"; exit 1; }
"$TOP/tests/unit/map"
