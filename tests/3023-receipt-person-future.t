#!/bin/sh
# A person's file in spool/receipt/new with an mtime ahead of this host's
# clock (touch -d '+30 days'; review C, finding 2) neither stops folding
# nor waits 30 days: receipt-push sets its mtime to now, once, and says so;
# it is published in turn and the queue stays short: at most one posync
# file waits on each side of it (the file of the first tick was made
# before receipt-push corrected the mtime, so it goes first), and at most
# one once it is out.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"
bed_outbound
ns_po 8400 1:SKU1:1000
recv 8400 1=1
receipt-export | receipt-push 2>"$SCRATCH/err"
printf '[{"order_id":"8400","items":[{"line_id":"1","quantity":0.25}]}]\n' \
	>"$SPOOL/receipt/new/fix.json"
touch -d '+30 days' "$SPOOL/receipt/new/fix.json"
t_exit "receipt-push -n: exit 0" 0 receipt-push -n </dev/null
t_like "... says it would set the mtime to now" "$(t_err)" \
	"\"$SPOOL/receipt/new/fix\.json\": its mtime is ahead of this host's clock; a run without -n sets it to now"
t_true "... and does not" "$(find "$SPOOL/receipt/new/fix.json" -newermt '+29 days')"
: >"$SCRATCH/all.err"
most=0 after=0 fixat=
for t in 1 2 3 4 5 6 7 8 9; do
	[ $((t % 3)) = 0 ] && netsuite_reads
	recv 8400 1=1
	{ receipt-export | receipt-push; } 2>>"$SCRATCH/all.err"
	n=$(ls "$SPOOL/receipt/new" | grep -c Feed)
	if [ -f "$SPOOL/receipt/new/fix.json" ]; then
		[ "$n" -gt "$most" ] && most=$n
	elif [ "$n" -gt "$after" ]; then
		after=$n
	fi
	[ -z "$fixat" ] && [ -f "$R/fix.json" -o -f "$R/archive/fix.json" ] && fixat=$t
	[ "$t" = 1 ] && t_true "tick 1: the mtime is set back to now" \
		"$(find "$SPOOL/receipt/new/fix.json" ! -newermt '+1 minute')"
done
t_is "while it waits, a posync file before it and one after" "$most" 2
t_is "once it is out, at most one posync file waits" "$after" 1
t_is "the person's file goes out at NetSuite's second read (tick 6)" "$fixat" 6
t_is "said once" "$(grep -c 'fix\.json.*ahead of this host' "$SCRATCH/all.err")" 1
t_like "... naming the file, quoted" "$(cat "$SCRATCH/all.err")" \
	"receipt-push: \"$SPOOL/receipt/new/fix\.json\": its mtime was ahead of this host's clock"
t_done
