#!/bin/sh
# receipt-export -n says what the fold would do -- which waiting files it
# would fold into which new one -- and prints the file the real run would
# write (it printed only the new receipts before, while the real run wrote
# the folded file), creating, moving and deleting nothing.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_re
NEW=$SPOOL/receipt/new
ns_po 8730 1:SKU1:1000 2:SKU2:1000
# three files made while receipt-push held the publish lock: none folded
for k in 1 2 3; do
	recv 8730 1=1
	flock "$SPOOL/state/receipt-publish.lock" receipt-export >/dev/null
done
set -- $(re_files)
t_is "three files wait" "$#" 3
A=$1 B=$2 C=$3
snap() { (cd "$SPOOL" && find . -printf '%p %s %T@\n' | sort); }
snap >"$SCRATCH/before"

t_exit "-n with nothing new: 0" 0 receipt-export -n
t_like "... says it would fold the second" "$(t_err)" "would fold $NEW/$B into $NEW/posync_"
t_like "... and the third" "$(t_err)" "would fold $NEW/$C into $NEW/posync_"
t_is "... but never the oldest, which receipt-push did not hold" \
	"$(t_err | grep -c "/$A into")" 0
t_is "... prints them folded: 1 + 1 on line 1, none held twice" \
	"$(t_out | tr -d ' \n')" '[{"order_id":"8730","items":[{"line_id":"1","quantity":2},{"line_id":"2","quantity":0}]}]'
snap >"$SCRATCH/after"
t_ok "... and changes nothing in the spool" cmp "$SCRATCH/before" "$SCRATCH/after"

recv 8730 2=4
t_exit "-n with a new receipt: 0" 0 receipt-export -n
t_out >"$SCRATCH/dry"
t_like "... says the fold" "$(t_err)" "would fold $NEW/$C into $NEW/posync_"
snap >"$SCRATCH/after"
t_ok "... changes nothing" cmp "$SCRATCH/before" "$SCRATCH/after"
t_exit "the real run" 0 receipt-export
set -- $(re_files)
t_is "... leaves the oldest and one folded file" "$# $1" "2 $A"
t_ok "... which is what -n printed" cmp "$NEW/$2" "$SCRATCH/dry"
t_done
