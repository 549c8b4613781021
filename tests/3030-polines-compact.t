#!/bin/sh
# Compaction of the polines ledger (issue 9, finding 9): exact against a
# model on random data, bounded memory on 2,000,000 lines, kill -9
# anywhere, and POs never completed dropped after polines_keep_days.
# The TAP comes from the C binary, built by `make unit` under ASan+UBSan.
. "${0%/*}/lib.sh"
[ -x "$TOP/tests/unit/polines_compact" ] || { echo "Bail out! tests/unit/polines_compact is not built: make unit"; exit 1; }
"$TOP/tests/unit/polines_compact"
