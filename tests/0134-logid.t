#!/bin/sh
# Unit tests of common/logid.c: po-import's STEM.logid written held,
# filled, read back; the previous release's form; a later posync's; its
# "made" line read strictly.  The TAP comes from the C binary, built by
# `make unit` under ASan+UBSan.
. "${0%/*}/lib.sh"
[ -x "$TOP/tests/unit/logid" ] || { echo "Bail out! tests/unit/logid is not built: make unit"; exit 1; }
"$TOP/tests/unit/logid"
