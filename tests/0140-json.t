#!/bin/sh
# Unit tests of common/json.c, posync's one JSON string writer (cJSON's
# escaping), built under the sanitizers by `make unit`.
. "${0%/*}/lib.sh"
[ -x "$TOP/tests/unit/json" ] || { echo "Bail out! tests/unit/json is not built: make unit"; exit 1; }
"$TOP/tests/unit/json"
