#!/bin/sh
# The outbound programs' locks do not depend on the name they were run
# under: a copy run through a link with another name (a packager's
# posync-receipt-export, a person's ./receipt-export.new) still finds the
# running copy and exits 75, instead of exporting the same receipts again
# or publishing the same file twice.
. "${0%/*}/lib.sh"
. "$BED/hotwax.sh"
. "$BED/posync.sh"
. "${0%/*}/bed/receipt-lib.sh"

re_setup
ns_po 1601 1:SKU1:5
recv 1601 1=2 || t_bail "receiving failed"
mkdir -p "$SCRATCH/bin"
ln -s "$BUILD/receipt-export/receipt-export" "$SCRATCH/bin/posync-receipt-export"
ln -s "$BUILD/receipt-push/receipt-push" "$SCRATCH/bin/posync-receipt-push"
LOCKS=$SPOOL/state

t_exit "receipt-export under another name while receipt-export runs: 75" 75 \
	flock "$LOCKS/receipt-export.lock" "$SCRATCH/bin/posync-receipt-export"
t_is "... it wrote no file" "$(re_files)" ""
t_true "... and left no state" ! -e "$LOCKS/receipt-export.state"
t_exit "receipt-push under another name while receipt-push runs: 75" 75 \
	flock "$LOCKS/receipt-push.lock" "$SCRATCH/bin/posync-receipt-push"
t_exit "receipt-export under another name, alone, exports" 0 \
	"$SCRATCH/bin/posync-receipt-export"
t_is "... the receipt, once" "$(re_totals)" "1601 1 2"
t_exit "the plain name after it: nothing new" 0 receipt-export
t_is "... still one file" "$(re_files | wc -l)" 1
t_done
