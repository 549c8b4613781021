#!/bin/sh
# A state whose last name is at 9999-12-31T23:59:59.999Z, the latest a
# file name can hold: the next file would be named past it.  The run
# says so and stops (78), writing nothing, and the state stays readable.
# Before review E: the next name had a five-digit year, which no posync
# reader takes for a posync file, and a state with that last, which
# receipt-export then refused on every run.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"
re_setup
ns_po 8410 1:SKU1:1000
recv 8410 1=1
t_exit "a first run writes the state" 0 receipt-export
rm -f "$SPOOL"/receipt/new/*
sed "s/^last	.*/last	253402300799999/" "$ST" >"$SCRATCH/st" && cp "$SCRATCH/st" "$ST"
recv 8410 1=2
t_exit "a new receipt, no name left for it: exit 78" 78 receipt-export
t_like "... saying why" "$(t_err)" "past 9999-12-31T23:59:59.999Z"
t_is "... nothing written" "$(ls "$SPOOL/receipt/new")" ""
t_true "... no journal" ! -e "$SPOOL/state/receipt-export.pending"
t_ok "... the state as it was" cmp -s "$ST" "$SCRATCH/st"
t_exit "the next run says it again, still 78 (never a file past 9999)" 78 receipt-export
t_is "... nothing written" "$(ls "$SPOOL/receipt/new")" ""
t_done
