#!/bin/sh
# [netsuite] arrival_date_format is config text, never a printf format:
# '%' in it is refused when the configuration is read (exit 78, a clear
# message), so "%p" prints no address and twenty "%s" crash nothing, in
# any program.  (Before: po-export-parse printed stack addresses for %p and
# died of SIGSEGV with twenty %s on a row with a bad date.)
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

printf '%s\n' "$HDR" '100,SKU-1,1,116,1,12/24/2026' '101,SKU-2,2,116,1,not a date' \
	>"$SCRATCH/pos.csv"
twenty=$(printf '%%s%.0s' 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20)
t_is "twenty %s, built here" "$(printf '%s' "$twenty" | grep -o '%s' | wc -l | tr -d ' ')" 20

# with_format FORMAT DESC STATUS -- po-export-parse on pos.csv with that
# arrival_date_format exits STATUS (a check); $SCRATCH/p.conf holds it,
# and a fresh spool, spool$n: the file is parsed anew each time
n=0
with_format() {
	n=$((n + 1))
	posync_conf -f "$SCRATCH/p.conf" spool.dir="$SCRATCH/spool$n" \
		netsuite.arrival_date_format="$1"
	t_exit "$2" "$3" po-export-parse -c "$SCRATCH/p.conf" "$SCRATCH/pos.csv"
}

for fmt in "MM/DD/YYYY %p" "MM/DD/YYYY $twenty" "%Y-%m-%d MM/DD/YYYY"; do
	with_format "$fmt" "po-export-parse, arrival_date_format \"$fmt\": exit 78" 78
	err=$(t_err)
	t_like "... the message names the key and the '%'" "$err" \
		"p\.conf:[0-9]+: \[netsuite\] arrival_date_format .*must not be empty nor hold '%'"
	t_true "... no address printed" -z "$(printf '%s' "$err" | grep -E '0x[0-9a-f]{6,}|\(nil\)')"
	t_is "... no batch written" "$(ls "$SCRATCH/spool$n/po/new" 2>/dev/null)" ""
	for p in po-import receipt-export receipt-push; do
		t_exit "$p refuses it too (exit 78)" 78 $p -c "$SCRATCH/p.conf" -n </dev/null
	done
done

# A format without '%' still works, and a bad date is reported with the
# format quoted as it is.
with_format "MM/DD/YYYY" "MM/DD/YYYY: the bad-date row is rejected alone (exit 65)" 65
t_like "... its reason quotes the format" "$(t_err)" \
	'line 3: .*arrival-date "not a date" is not a real date in the format MM/DD/YYYY'

# A format without a year is config text named in a message: quoted by
# msg_quote, so a '"' in it cannot end the quotes early.
with_format 'MM/DD "x' "a format without a year: exit 78" 78
t_like "... the message quotes it, its quote escaped" "$(t_err)" \
	'p\.conf: \[netsuite\] arrival_date_format "MM/DD \\"x" needs one year'
t_done
