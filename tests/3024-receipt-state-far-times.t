#!/bin/sh
# A state whose last or cursor no file name can hold (past 9999-12-31,
# review C finding 3) is refused at once, naming the file and line (78),
# not turned into a journal receipt-export then refuses on every run; a
# last in 2100, which names can hold, is said on every run.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"
re_setup
ns_po 8400 1:SKU1:1000
recv 8400 1=1
t_exit "a first run writes the state" 0 receipt-export
cp "$ST" "$SCRATCH/st0"
for v in "last 9223372036854775806" "last 253402300800000" \
    "cursor 9223372036854775806"; do
	set -- $v
	rm -f "$SPOOL"/receipt/new/* "$SPOOL"/state/receipt-export.pending
	sed "s/^$1	.*/$1	$2/" "$SCRATCH/st0" >"$ST"
	line=$(grep -n "^$1	" "$ST" | cut -d: -f1)
	t_exit "$1 $2: refused, exit 78" 78 receipt-export
	t_like "... naming the state file and line $line" "$(t_err)" \
		"receipt-export\.state\"?:$line: a time past 9999-12-31"
	t_is "... nothing written" "$(ls "$SPOOL/receipt/new")" ""
	t_true "... no journal" ! -e "$SPOOL/state/receipt-export.pending"
done
sed "s/^last	.*/last	253402300799999/" "$SCRATCH/st0" >"$ST"
t_exit "last at 9999-12-31T23:59:59.999Z: still read (exit 0)" 0 receipt-export
# a last in 2100 (4102444800000): names would run ahead of the clock
rm -f "$SPOOL"/receipt/new/*
sed "s/^last	.*/last	4102444800000/" "$SCRATCH/st0" >"$ST"
recv 8400 1=2
t_exit "last in 2100: the run goes on, exit 0" 0 receipt-export
t_like "... and says last is ahead of the clock" "$(t_err)" \
	'receipt-export\.state"?: last is [0-9]+ s ahead of this host.s clock'
t_like "... the file is named after it" "$(ls "$SPOOL/receipt/new")" '_2100-01-01-00_00_00_001\.json$'
t_exit "the next run, with nothing new" 0 receipt-export
t_like "... says it again" "$(t_err)" 'last is [0-9]+ s ahead of this host.s clock'
t_done
