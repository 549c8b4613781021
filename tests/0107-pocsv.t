#!/bin/sh
# common/pocsv: the PO CSV reader (C unit tests under ASan and UBSan,
# built by `make unit`).
. "${0%/*}/lib.sh"
[ -x "$TOP/tests/unit/pocsv" ] || { echo "Bail out! tests/unit/pocsv is not built: make unit"; exit 1; }
"$TOP/tests/unit/pocsv"
