#!/bin/sh
# Unit tests of common/flusher.c, the thread that closes po-export-parse's
# batches after beginning their writeback.  The TAP comes from the C
# binary, built by `make unit`.
. "${0%/*}/lib.sh"
[ -x "$TOP/tests/unit/flusher" ] || { echo "Bail out! tests/unit/flusher is not built: make unit"; exit 1; }
"$TOP/tests/unit/flusher"
