#!/bin/sh
# Unit tests of common/config.c: keys, defaults, bad lines with FILE:LINE, secret files.
# The TAP comes from the C binary, built by `make unit` under ASan+UBSan.
. "${0%/*}/lib.sh"
[ -x "$TOP/tests/unit/config" ] || { echo "Bail out! tests/unit/config is not built: make unit"; exit 1; }
"$TOP/tests/unit/config"
