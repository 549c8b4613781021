#!/bin/sh
# Unit tests of common/spool.c and common/lock.c: the Maildir protocol and the lock.
# The TAP comes from the C binary, built by `make unit` under ASan+UBSan.
. "${0%/*}/lib.sh"
[ -x "$TOP/tests/unit/spool" ] || { echo "Bail out! tests/unit/spool is not built: make unit"; exit 1; }
"$TOP/tests/unit/spool"
