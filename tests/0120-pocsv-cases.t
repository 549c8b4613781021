#!/bin/sh
# common/pocsv tested from files: each tests/data/pocsv/CASE.csv read as
# po-export-parse reads it, its batch, rejects, recovered rows, ledger
# records and unusable reason compared with the files beside it (C unit
# test under ASan and UBSan, built by `make unit`).
. "${0%/*}/lib.sh"
[ -x "$TOP/tests/unit/pocsv_cases" ] || { echo "Bail out! tests/unit/pocsv_cases is not built: make unit"; exit 1; }
"$TOP/tests/unit/pocsv_cases" "$TOP/tests/data/pocsv"
