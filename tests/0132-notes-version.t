#!/bin/sh
# Unit tests of common/notes.c's version line as an editor may leave it:
# a trailing CR or blanks after "# posync notes v1" is v1 (it was "written
# by a later posync", receipt-push exit 74 every run); only a higher number
# is later, and a later file ignored is said to be replaced.  The TAP
# comes from the C binary, built by `make unit` under ASan+UBSan.
. "${0%/*}/lib.sh"
[ -x "$TOP/tests/unit/notes_version" ] || { echo "Bail out! tests/unit/notes_version is not built: make unit"; exit 1; }
"$TOP/tests/unit/notes_version"
