#!/bin/sh
# Unit tests of common/csvio.c: every CSV posync writes and reads (excess.csv,
# NetSuite's error CSVs) goes through libcsv and round-trips hostile values.
# The TAP comes from the C binary, built by `make unit` under ASan+UBSan.
. "${0%/*}/lib.sh"
[ -x "$TOP/tests/unit/csvio" ] || { echo "Bail out! tests/unit/csvio is not built: make unit"; exit 1; }
"$TOP/tests/unit/csvio"
