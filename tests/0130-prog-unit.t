#!/bin/sh
# Unit tests of common/prog.c, the start-up of every program: options and
# their long forms, a program's own option, --help and -V (their output
# checked), a bad command line, and -n's spool that makes nothing.  Built
# by `make unit` under ASan+UBSan.
. "${0%/*}/lib.sh"
[ -x "$TOP/tests/unit/prog" ] || { echo "Bail out! tests/unit/prog is not built: make unit"; exit 1; }
"$TOP/tests/unit/prog"
