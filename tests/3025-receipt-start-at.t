#!/bin/sh
# receipt-export --start-at TIME: taking over from another exporter.
# Seeding the state's cursor by hand (the old CAVEATS advice) made the
# first run ask from cursor - receipt_overlap with an empty ledger, so the
# receipts in those minutes went to NetSuite a second time.  --start-at
# writes a first state whose floor keeps every receipt dated before TIME
# out for good -- those inside the overlap, and those HotWax shows later
# with an earlier time -- and exports nothing itself; the next run
# exports what is dated at or after TIME, once.  A second --start-at (a
# state exists) is refused, and so is any TIME not in the one format.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_re hotwax.receipt_overlap=600

rtime() { # the datetimeReceived (ms) of the newest receipt
	hw_ctl GET /_sim/state | hw_json "d['receipts'][-1]['datetimeReceived']"
}
iso() { # MS -- as --start-at takes it, in UTC with milliseconds
	printf '%s.%03dZ' "$(date -u -d "@$(($1 / 1000))" +%Y-%m-%dT%H:%M:%S)" $(($1 % 1000))
}

ns_po 9600 1:SKU1:100 2:SKU2:100 3:SKU3:100
backdate 3000
recv 9600 1=1		# long before TIME, outside any window
backdate 300
recv 9600 1=2		# before TIME, inside the overlap the old seeding re-sent
B=$(rtime)
backdate 120
recv 9600 2=4		# TIME is exactly this receipt's time: exported
C=$(rtime)
t_true "the receipts' times are in order" "$B" -lt "$C"
TIME=$(iso "$C")

# the old advice, for the record: a cursor seeded at TIME re-sent B
printf 'posync receipt-export state 1\ncursor\t%s\n' "$C" >"$ST"
t_exit "a hand-seeded cursor (the old CAVEATS)" 0 receipt-export -n
t_like "... would send B's quantity again" "$(t_out)" '"line_id":"1","quantity":2'
rm -f "$ST"

t_exit "--start-at -n" 0 receipt-export -n --start-at "$TIME"
t_is "... prints the state it would write" "$(t_out)" "posync receipt-export state 1
cursor	$C
last	0
floor	$C"
t_true "... and writes none" ! -e "$ST"
t_is "... nor any file" "$(re_files)" ""

t_exit "--start-at TIME" 0 receipt-export --start-at "$TIME"
t_is "... quiet, prints nothing" "$(t_out)$(t_err)" ""
t_is "... writes the state: floor and cursor at TIME" "$(grep -E '^(cursor|floor)' "$ST")" "cursor	$C
floor	$C"
t_is "... and exports nothing" "$(re_files)" ""
cp "$ST" "$SCRATCH/started"

# after --start-at: one dated before TIME that HotWax shows only now, and
# one at the clock
backdate 200
recv 9600 3=7		# before TIME: never exported
recv 9600 3=8		# now
t_exit "the first run after --start-at" 0 receipt-export
# the PO's element lists every open line: line 1 with 0, its receipts
# (A, B) being dated before TIME
t_is "... exports only what is dated at or after TIME" "$(re_totals)" "9600 1 0
9600 2 4
9600 3 8"
t_is "... in one file" "$(re_files | wc -l)" 1
t_exit "the next run" 0 receipt-export
t_is "... exports nothing again" "$(re_files | wc -l)" 1
t_is "... the totals unchanged: each exactly once" "$(re_totals)" "9600 1 0
9600 2 4
9600 3 8"
t_like "... the floor stays in the state" "$(cat "$ST")" "floor	$C"

cp "$ST" "$SCRATCH/state"
t_exit "a second --start-at is refused" 64 receipt-export --start-at "$TIME"
t_like "... saying how to proceed" "$(t_err)" \
	"receipt-export.state exists: --start-at only starts a spool that has no state.*move the state and journal aside"
t_ok "... the state left as it was" cmp "$ST" "$SCRATCH/state"
t_exit "... with -n too" 64 receipt-export -n --start-at "$TIME"
mv "$ST" "$SCRATCH/moved"
printf 'posync receipt-export journal 1\n' >"$SPOOL/state/receipt-export.pending"
t_exit "a journal alone refuses it too" 64 receipt-export --start-at "$TIME"
t_like "... naming it" "$(t_err)" "receipt-export.pending exists"
t_true "... and writes no state" ! -e "$ST"
rm -f "$SPOOL/state/receipt-export.pending"

# the one format: an offset, the fraction, checked against date(1)
t_exit "an offset" 0 receipt-export -n --start-at 2026-11-01T01:30:00+01:00
t_like "... is UTC less the offset" "$(t_out)" "floor	$(date -u -d '2026-11-01 00:30:00' +%s)000"
t_exit "a negative offset and a fraction" 0 receipt-export -n --start-at 2024-02-29T23:59:59.5-05:30
t_like "... both counted" "$(t_out)" "floor	$(date -u -d '2024-03-01 05:29:59' +%s)500"

bad() { # DESC TIME
	t_exit "$1: 64" 64 receipt-export --start-at "$2"
	t_like "... said" "$(t_err)" "^receipt-export: --start-at \""
	t_true "... no state written" ! -e "$ST"
}
bad "empty" ""
bad "a date alone" 2026-11-01
bad "no zone" 2026-11-01T00:00:00
bad "epoch seconds" 1761955200
bad "a space for the T" "2026-11-01 00:00:00Z"
bad "lower-case z" 2026-11-01T00:00:00z
bad "trailing text" "2026-11-01T00:00:00Z; rm -rf /"
bad "a newline" "2026-11-01T00:00:00Z
"
bad "month 13" 2026-13-01T00:00:00Z
bad "February 30th" 2026-02-30T00:00:00Z
bad "February 29th of a common year" 2100-02-29T00:00:00Z
bad "hour 24" 2026-11-01T24:00:00Z
bad "second 60" 2026-11-01T23:59:60Z
bad "an offset of 24 h" 2026-11-01T00:00:00+24:00
bad "four fraction digits" 2026-11-01T00:00:00.1234Z
bad "a dot without digits" 2026-11-01T00:00:00.Z
bad "before 1970" 1969-12-31T23:59:59Z
bad "before 1970 by the offset" 1970-01-01T00:30:00+01:00
bad "a five-digit year" 10000-01-01T00:00:00Z
bad "a sign" -2026-11-01T00:00:00Z
bad "a long string" "$(printf '2026-11-01T00:00:00Z%05000d' 0)"
t_like "... quoted, cut short" "$(t_err)" '\.\.\.: not '
t_is "... in one line" "$(t_err | wc -l)" 1

# the state parser stays strict about the new record
mv "$SCRATCH/moved" "$ST"
for rec in 'floor	x' 'floor	-1' 'floor	0' 'floor 5' 'floor	253402300800000'; do
	cp "$ST" "$SCRATCH/good"
	printf '%s\n' "$rec" >>"$ST"
	cp "$ST" "$SCRATCH/bad"
	t_exit "a state with \"$rec\": 78" 78 receipt-export
	t_ok "... left as it was" cmp "$ST" "$SCRATCH/bad"
	cp "$SCRATCH/good" "$ST"
done
t_exit "a second floor line: 78" 78 sh -c 'printf "floor\t5\n" >>"$1" && receipt-export' - "$ST"
t_like "... naming its line" "$(t_err)" "receipt-export.state:[0-9]*: malformed record"
t_done
