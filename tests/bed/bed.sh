# tests/bed/bed.sh -- the whole test bed in one line.
#
# Source after lib.sh:   . "${0%/*}/lib.sh"; . "$BED/bed.sh"
#
# It sources every shell file of the bed: sshd.sh (the real sshd),
# hotwax.sh (the HotWax simulator), posync.sh (posync.conf and the
# preambles tests share), json.sh, flow.sh (the NetSuite simulator and the
# crontab's jobs), po-lib.sh (po-import's helpers) and receipt-lib.sh
# (receipt-export's and receipt-push's helpers).  Sourcing starts nothing:
# each file only defines functions and a few constants, and a test's own
# function of the same name, defined after, wins.

. "$BED/sshd.sh"
. "$BED/hotwax.sh"
. "$BED/posync.sh"
. "$BED/json.sh"
. "$BED/flow.sh"
. "$BED/po-lib.sh"
. "$BED/receipt-lib.sh"
