#!/bin/sh
# Unit tests of common/receipt_ids.c, the compact set of receipt ids
# (receipt-export's ledger, a run's ids and OrderItem rows).
# The TAP comes from the C binary, built by `make unit` under ASan+UBSan.
. "${0%/*}/lib.sh"
[ -x "$TOP/tests/unit/receipt_ids" ] || { echo "Bail out! tests/unit/receipt_ids is not built: make unit"; exit 1; }
"$TOP/tests/unit/receipt_ids"
