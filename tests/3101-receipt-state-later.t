#!/bin/sh
# A receipt-export state or journal a later posync wrote ("posync
# receipt-export state 2", after a downgrade) is said as a later
# posync's, exit 78, the file left byte for byte and nothing exported --
# as every other state file says it (common/version.c).  Before review D
# an exact compare of the first line took it for damage: "not a
# receipt-export state file", "malformed journal".  A CR after the
# number of our own version is still damage (the file is posync's own,
# read byte for byte: 3017).
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_re
re_then_more 8720 "$SCRATCH/good"

# later WHAT FILE NAME -- FILE, a later posync's, refused as such
later() {
	cp "$2" "$SCRATCH/later.orig"
	t_exit "$1: exit 78" 78 receipt-export
	t_like "... said as a later posync's" "$(t_err)" \
		"$3: written by a later posync \(its first line is \"posync receipt-export $4 2\", not \"posync receipt-export $4 1\"\): nothing exported"
	t_is "... not said as damaged" \
		"$(t_err | grep -c 'not a receipt-export state file\|malformed journal')" 0
	t_is "... one message" "$(t_err | wc -l)" 1
	t_ok "... the file left byte for byte" cmp "$2" "$SCRATCH/later.orig"
	t_is "... no file in spool/receipt/new" "$(re_files)" ""
}

sed '1s/ 1$/ 2/' "$SCRATCH/good" >"$ST"
later "a later posync's state" "$ST" "receipt-export.state" state
sed '1s/ 1$/ 2\r/' "$SCRATCH/good" >"$ST"
later "... with a CR after its number" "$ST" "receipt-export.state" state
cp "$SCRATCH/good" "$ST"

printf 'posync receipt-export journal 2\nname\tx.json\nsomething new\nend\n' >"$J"
later "a later posync's journal" "$J" "receipt-export.pending" journal
t_ok "... the state left as it was" cmp "$ST" "$SCRATCH/good"
rm -f "$J"

t_exit "the later posync's files gone: the run goes on" 0 receipt-export
t_is "... and exports the new receipt" "$(re_files | wc -l | tr -d ' ')" 1
t_done
