#!/bin/sh
# SPOOL/state/receipt-push.held -- the names receipt-push holds back,
# which receipt-export alone may fold -- is a notes file (common/notes.h):
# written and read by notes.c, not by a writer and a reader of its own
# (review S), so it starts with the version line.  The previous release's
# held list (one name a line, no version line) is read as it is; one with
# an editor's CRLF version line too; a later posync's is not read, so
# nothing is folded on its word.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_need receipt-export receipt-push
bed_outbound
H=$SPOOL/state/receipt-push.held

ns_po 8240 1:SKU1:100
recv 8240 1=1
t_exit "a first file" 0 receipt-export
A=$(re_files)
printf '%s\n' "$A" >"$H"
recv 8240 1=2
t_exit "the previous release's held list names it: an export" 0 receipt-export
re_folded "$A" \
	'[{"order_id":"8240","items":[{"line_id":"1","quantity":3}]}]'

F=$(re_files)
printf '# posync notes v1\r\n%s\n' "$F" >"$H"
recv 8240 1=4
t_exit "a held list whose version line ends in a CR: an export" 0 receipt-export
t_is "... quietly" "$(t_err)" ""
re_folded "$F"

G=$(re_files)
printf '# posync notes v2\n%s\n' "$G" >"$H"
recv 8240 1=8
t_exit "a later posync's held list: an export" 0 receipt-export
t_like "... says it is not read" "$(t_err)" \
	"receipt-push.held: written by a later posync .*ignored"
t_is "... folds nothing on its word: two files wait" "$(re_files | wc -l)" 2
t_is "... the one named still there" "$(re_files | grep -c "^$G\$")" 1
rm -f "$H"

# receipt-push's own list: the version line, then the names
t_ok "receipt-push publishes the oldest" receipt-push
t_is "... and holds the other (NetSuite has not read)" "$(re_files | wc -l)" 1
K=$(re_files)
t_is "its held list: the version line, then the name" "$(cat "$H")" \
	"# posync notes v1
$K"
mv "$R"/posync_* "$R/archive/"	# NetSuite reads
t_ok "receipt-push publishes the held file" receipt-push
t_is "... nothing is held now" "$(rp_held 2>/dev/null)" ""
t_done
