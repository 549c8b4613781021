#!/bin/sh
# Something that is not a regular file in NetSuite's receipt folder (or
# its archive) named like the next receipt file: receipt-push took it for
# the file published before and moved the file to SPOOL/receipt/cur
# unsent, exit 0; its receipts never reached NetSuite.  Now only a
# regular file counts as published: anything else is said without -v,
# naming the remote path and what it is, the run exits 78, and the file
# and every one after it wait in SPOOL/receipt/new, in order; once it is
# removed, the next run publishes the file, once.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"
bed_rp_folders
A=$R/archive
RR=$SFTP_BASE/purchaseorder/receipt		# as the server names them
RA=$RR/archive
name() { echo "posync_PurchaseOrderReceiptFeed_2026-01-01-00_$1_00_000.json"; }
F=$(name 00) G=$(name 15) H=$(name 30) I=$(name 45)
for f in $F $G $H $I; do
	printf '[{"order_id":"%s","items":[{"line_id":"1","quantity":1}]}]\n' "$f" >"$N/$f"
done
mkdir "$R/$F"					# an empty folder, F's name
# what is in the receipt and archive folders: regular files and the rest
files() { (cd "$R" && find . -type f | LC_ALL=C sort | tr '\n' ' '); }

t_exit "receipt-push -n: a folder in the way is 78" 78 receipt-push -n </dev/null
t_like "... says it would hold the file" "$(t_out)" "^would hold \"$N/$F\" and every file after it: \"$RR/$F\" is in the way"
t_true "... moves nothing" -f "$N/$F" -a ! -e "$C/$F"

t_exit "a folder named like the first file: exit 78" 78 receipt-push </dev/null
t_like "... said without -v, naming the remote path and what is there" "$(t_err)" \
	"^receipt-push: \"$RR/$F\": a folder has the name of the receipt file \"$N/$F\".*the 3 file\\(s\\) after it wait in $N"
t_is "... in one line" "$(t_err | wc -l)" 1
t_true "... the file stays in new/, not moved to cur/" -f "$N/$F" -a ! -e "$C/$F"
t_is "... nothing published past it" "$(files)" ""
t_is "... all four still wait" "$(ls "$N" | wc -l)" 4
t_true "... the folder left alone" -d "$R/$F"
t_is "... the held list names them (receipt-export may fold them)" \
	"$(rp_held "$SP/state/receipt-push.held")" "$F
$G
$H
$I"

t_exit "the next run says it again" 78 receipt-push </dev/null
t_like "... (every run, until a person acts)" "$(t_err)" "\"$RR/$F\": a folder"

rmdir "$R/$F"
t_exit "the folder removed: the next run" 0 receipt-push </dev/null
t_ok "... publishes the file" cmp "$N/../cur/$F" "$R/$F"
t_is "... and only it (the next waits for NetSuite)" "$(files)" "./$F "
t_is "... quietly" "$(t_err)" ""

# NetSuite reads it; a symbolic link to a regular file has G's name
mv "$R/$F" "$A/"
ln -s "archive/$F" "$R/$G"
t_exit "a symbolic link named like the next file: exit 78" 78 receipt-push </dev/null
t_like "... named as a link" "$(t_err)" "^receipt-push: \"$RR/$G\": a symbolic link has the name of the receipt file \"$N/$G\""
t_true "... the file stays in new/" -f "$N/$G" -a ! -e "$C/$G"
t_is "... nothing published past it" "$(files)" "./archive/$F "
rm "$R/$G"
t_exit "the link removed: the next run" 0 receipt-push </dev/null
t_ok "... publishes G" cmp "$C/$G" "$R/$G"

# the archive folder: a folder there named like H
mv "$R/$G" "$A/"
mkdir -p "$A/$H/sub"
t_exit "a folder in the archive named like the next file: exit 78" 78 receipt-push </dev/null
t_like "... named" "$(t_err)" "^receipt-push: \"$RA/$H\": a folder has the name of the receipt file \"$N/$H\".*the 1 file\\(s\\) after it"
t_true "... the file stays in new/" -f "$N/$H" -a ! -e "$C/$H"
t_is "... nothing published past it" "$(files)" "./archive/$F ./archive/$G "
rm -r "$A/$H"
t_exit "removed: the next run" 0 receipt-push </dev/null
t_ok "... publishes H" cmp "$C/$H" "$R/$H"
mv "$R/$H" "$A/"
t_exit "and the run after" 0 receipt-push </dev/null
t_ok "... I" cmp "$C/$I" "$R/$I"
mv "$R/$I" "$A/"

# a regular file of the name still means published before (a killed run)
J=$(name 59)
printf '[]\n' >"$N/$J"
cp "$N/$J" "$R/$J"
t_exit "a regular file of its name in the receipt folder" 0 receipt-push </dev/null
t_true "... published before: moved to cur/, not sent again" -f "$C/$J" -a ! -e "$N/$J"

t_is "each file reached NetSuite exactly once" "$(files)" \
	"./archive/$F ./archive/$G ./archive/$H ./archive/$I ./$J "
t_is "... and none is left waiting" "$(ls "$N")" ""
t_done
