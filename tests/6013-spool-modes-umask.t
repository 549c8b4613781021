#!/bin/sh
# Every file posync makes in the spool gets the spool's modes: 0750 for
# folders and 0640 for files, less what the umask removes (an operator's
# stricter umask is honoured; a laxer one adds nothing) -- excess.csv was
# once made with fopen("a"), world-writable under umask 000.  The inbound
# and outbound flows run here under umask 000 (the excess row included),
# and every file and folder they made is checked with stat(1); then
# po-export-parse under umask 077, into a new spool.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_need receipt-export
bed_outbound
rmdir "$SPOOL/state"	# made by re_setup with the test's umask: let posync make it

u0() { (umask 000 && exec "$@"); }

printf '%s\n' "$HDR" '9630,SKU1,2,116,1,' >"$SCRATCH/in.csv"
t_exit "po-export-parse under umask 000" 0 u0 po-export-parse "$SCRATCH/in.csv"
t_exit "po-import under umask 000" 0 u0 po-import
t_is "... the batch in po/cur" "$(ls "$SPOOL/po/cur" | grep -c '\.json$')" 1
ns_po 9630 1:SKU1:2	# the same PO, as ns_po does (again into polines)
recv 9630 1=5
t_exit "receipt-export under umask 000: an excess" 65 u0 receipt-export
t_true "... excess.csv made" -f "$SPOOL/receipt/excess.csv"
t_exit "receipt-push under umask 000" 0 u0 receipt-push </dev/null
t_is "... published" "$(ls "$SPOOL/receipt/cur" | wc -l)" 1

t_is "excess.csv is 640" "$(stat -c %a "$SPOOL/receipt/excess.csv")" 640
t_is "the state is 640" "$(stat -c %a "$SPOOL/state/receipt-export.state")" 640
t_is "polines is 640" "$(stat -c %a "$SPOOL/state/polines")" 640
t_is "every file in the spool is 640" \
	"$(find "$SPOOL" -type f ! -perm 640 -printf '%m %P\n')" ""
t_is "every folder in it is 750" \
	"$(find "$SPOOL" -mindepth 1 -type d ! -perm 750 -printf '%m %P\n')" ""
t_true "... and there are files to check" "$(find "$SPOOL" -type f | wc -l)" -ge 10

# a stricter umask is the operator's: honoured
posync_conf spool.dir="$SCRATCH/spool077"
t_exit "po-export-parse under umask 077, a new spool" 0 \
	sh -c 'umask 077 && exec po-export-parse "$1"' - "$SCRATCH/in.csv"
t_is "... every file it made is 600" \
	"$(find "$SCRATCH/spool077" -type f ! -perm 600 -printf '%m %P\n')" ""
t_is "... every folder 700" \
	"$(find "$SCRATCH/spool077" -type d ! -perm 700 -printf '%m %P\n')" ""
t_true "... and there are files to check" "$(find "$SCRATCH/spool077" -type f | wc -l)" -ge 2
t_done
