#!/bin/sh
# common/parsedmark: po-export-parse's parsed markers, their version line,
# and the forms older posyncs left (C unit tests under ASan and UBSan,
# built by `make unit`).
. "${0%/*}/lib.sh"
[ -x "$TOP/tests/unit/parsedmark" ] || { echo "Bail out! tests/unit/parsedmark is not built: make unit"; exit 1; }
"$TOP/tests/unit/parsedmark"
