#!/bin/sh
# A file held because a folder has its name in NetSuite's receipt folder
# (0964) is named in spool/state/receipt-push.held, as any held file is:
# the next receipt-export folds it into a new file, under a free name,
# which goes out in its place.  Nothing is lost, nothing sent twice:
# NetSuite receives what HotWax accepted, exactly (posync(7), THE RECEIPT
# QUEUE; receipt-push(1), Nothing in the way).
. "${0%/*}/lib.sh"
. "$BED/bed.sh"
bed_outbound
N=$SPOOL/receipt/new

ns_po 8500 1:SKU1:1000
recv 8500 1=1
t_exit "the first file goes out" 0 sh -c 'receipt-export | receipt-push'
netsuite_reads
recv 8500 1=2
t_exit "receipt-export writes the next" 0 receipt-export
B=$(ls "$N")
mkdir "$R/$B"
t_exit "a folder has its name: receipt-push exits 78" 78 receipt-push </dev/null
t_true "... the file waits in new/" -f "$N/$B"
t_like "... named in the held list" "$(rp_held)" "^$B\$"
recv 8500 1=4
t_exit "the next receipt-export" 0 receipt-export
t_true "... folds the held file" ! -e "$N/$B"
C=$(ls "$N")
t_true "... into one new file of another name" -n "$C" -a "$C" != "$B"
t_exit "receipt-push publishes it, the folder still there" 0 receipt-push </dev/null
t_true "... under its own name" -f "$R/$C" -a -d "$R/$B"
netsuite_reads
t_is "NetSuite got 1+2+4, what HotWax accepted, once" "$(ns_totals)" "8500 1 7"
t_is "... in two files" "$NREAD" 2
t_done
