#!/bin/sh
# Unit tests of common/notes.c (the one "KEY REST" state file, its version
# line, the older form without one) and of common/future.c's rule for a
# remote file still being written (min_age, an mtime in the future, the
# second look).  The TAP comes from the C binary, built by `make unit`
# under ASan+UBSan.
. "${0%/*}/lib.sh"
[ -x "$TOP/tests/unit/notes" ] || { echo "Bail out! tests/unit/notes is not built: make unit"; exit 1; }
"$TOP/tests/unit/notes"
