#!/bin/sh
# Unit tests of common/tsv.c, the one escaping of the TAB-separated state
# files.  The TAP comes from the C binary, built by `make unit`.
. "${0%/*}/lib.sh"
[ -x "$TOP/tests/unit/tsv" ] || { echo "Bail out! tests/unit/tsv is not built: make unit"; exit 1; }
"$TOP/tests/unit/tsv"
