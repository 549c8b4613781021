#!/bin/sh
# The receipt rules (contracts.md section 4) from files: each case in
# tests/data/receipts/ (inputs, and the receipt file, excess rows and
# cursor expected) run through common/receipt_rules.c's pure rx_decide,
# no server.  The TAP comes from the C binary, built by `make unit`.
. "${0%/*}/lib.sh"
[ -x "$TOP/tests/unit/receipt_rules" ] || { echo "Bail out! tests/unit/receipt_rules is not built: make unit"; exit 1; }
"$TOP/tests/unit/receipt_rules" "$TOP/tests/data/receipts"
