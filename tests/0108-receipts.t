#!/bin/sh
# Unit tests of common/receipt_rules.c and common/receipt_state.c (the
# receipt elements and receipt-export's state), built under the
# sanitizers by `make unit`.
TOP=$(cd "${0%/*}/.." && pwd)
[ -x "$TOP/tests/unit/receipts" ] || { echo "1..0 # SKIP tests/unit/receipts not built (make unit)"; exit 0; }
exec "$TOP/tests/unit/receipts"
