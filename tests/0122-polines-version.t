#!/bin/sh
# common/polines: the ledger's version (its header "\t\tSECS\tpolines 2"),
# the older forms read the same and converted by a compaction, a later
# form refused (C unit tests under ASan and UBSan, built by `make unit`).
. "${0%/*}/lib.sh"
[ -x "$TOP/tests/unit/polines_version" ] || { echo "Bail out! tests/unit/polines_version is not built: make unit"; exit 1; }
"$TOP/tests/unit/polines_version"
