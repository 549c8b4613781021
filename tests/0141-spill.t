#!/bin/sh
# Unit tests of common/spill.c (records and text kept in a nameless
# temporary file) and of receipt_state.c's piecewise reader
# (rx_state_load, rx_state_peek).
# The TAP comes from the C binary, built by `make unit` under ASan+UBSan.
. "${0%/*}/lib.sh"
[ -x "$TOP/tests/unit/spill" ] || { echo "Bail out! tests/unit/spill is not built: make unit"; exit 1; }
"$TOP/tests/unit/spill"
