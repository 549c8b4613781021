#!/bin/sh
# Unit tests of common/version.c: the one reading of a state file's
# version line (a trailing CR or blanks tolerated, a higher number a
# later posync's, exact for the files posync alone writes) and the one
# wording of "written by a later posync".  The TAP comes from the C
# binary, built by `make unit` under ASan+UBSan.
. "${0%/*}/lib.sh"
[ -x "$TOP/tests/unit/version" ] || { echo "Bail out! tests/unit/version is not built: make unit"; exit 1; }
"$TOP/tests/unit/version"
