#!/bin/sh
# Unit tests of common/msg.c: every message is one line with no control
# byte, stderr is bounded per kind per run, and config text in a date
# format is never a printf format.  Built by `make unit` under ASan+UBSan.
. "${0%/*}/lib.sh"
[ -x "$TOP/tests/unit/msg" ] || { echo "Bail out! tests/unit/msg is not built: make unit"; exit 1; }
"$TOP/tests/unit/msg"
