#!/bin/sh
# A receipt-export state that does not parse stops the run before anything
# is exported or overwritten: exit 78, one message naming the file and the
# line, the state left byte for byte, no file in spool/receipt/new -- while
# HotWax holds receipts that an empty state would export all over again
# (it did: the run went on with what it had read, re-sent every receipt and
# overwrote the state).  An empty state is damage too: the state is only
# ever replaced by a rename, so no crash leaves it empty.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_re
ns_po 8700 1:SKU1:100 2:SKU2:100
recv 8700 1=1 2=5
t_exit "a first export" 0 receipt-export
t_is "... one file" "$(re_files | wc -l)" 1
# the first file goes to NetSuite: new/ is empty, so any file is a new one
mv "$SPOOL/receipt/new/"*.json "$SCRATCH/"
cp "$ST" "$SCRATCH/good"
recv 8700 1=2

# damage NAME LINE WHY -- the state ($SCRATCH/bad) refused, naming LINE
damage() {
	cp "$SCRATCH/bad" "$ST"
	t_exit "$1: exit 78" 78 receipt-export
	t_like "... the message names the state and line $2" "$(t_err)" \
		"receipt-export.state:$2: $3.*nothing exported, the file is left as it is"
	t_is "... one message" "$(t_err | wc -l)" 1
	t_ok "... the state left byte for byte" cmp "$ST" "$SCRATCH/bad"
	t_is "... no file in spool/receipt/new" "$(re_files)" ""
	t_true "... no journal" ! -e "$SPOOL/state/receipt-export.pending"
}

sed 's/^cursor\t/cursor /' "$SCRATCH/good" >"$SCRATCH/bad"
damage "a space for the tab after cursor" 2 "malformed record"
sed 's/$/\r/' "$SCRATCH/good" >"$SCRATCH/bad"
damage "CRLF line ends" 1 "not a receipt-export state file"
head -c -3 "$SCRATCH/good" >"$SCRATCH/bad"
damage "a torn last line" "$(wc -l <"$SCRATCH/good")" "the last line has no newline"
python3 -c 'import sys; d = open(sys.argv[1], "rb").read().split(b"\n"); d[2] = d[2][:3] + b"\0" + d[2][3:]; open(sys.argv[2], "wb").write(b"\n".join(d))' "$SCRATCH/good" "$SCRATCH/bad"
damage "a NUL byte on line 3" 3 "a NUL byte"
: >"$SCRATCH/bad"
damage "an empty state" 0 "empty"
awk 'NR == 3 { print "garbage" } { print }' "$SCRATCH/good" >"$SCRATCH/bad"
damage "a malformed record mid-file" 3 "malformed record"

cp "$SCRATCH/good" "$ST"
t_exit "the good state back: the run goes on" 0 receipt-export
# each PO's element lists all its lines, 0 for one not received since
t_is "... and exports only the new receipt" "$(re_totals)" "8700 1 2
8700 2 0"
t_done
