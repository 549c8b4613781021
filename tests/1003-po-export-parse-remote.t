#!/bin/sh
# po-export-parse and the SFTP inbox: a fresh file waits for po_min_age; a
# changed host key is refused and nothing is taken; remote names with a
# newline, a leading '-', spaces, colons and parentheses work, and stdout
# stays one path per line; only files matching po_pattern are taken,
# oldest first.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_sshd
PO=$SFTP_BASE/purchaseorder
IN=$PO/fulfillment
SP=$SCRATCH/spool
nl='
'
count() { printf '%s' "$1" | grep -c '^' ; }

# --- a fresh file waits
posync_conf netsuite.po_min_age=3600
printf '%s\n' "$HDR" '1,a,1,116,1,' >"$IN/fresh.csv"
t_ok "a fresh file with po_min_age 3600" po-export-parse
t_is "... prints nothing" "$(t_out)$(t_err)" ""
t_true "... leaves it in the inbox" -f "$IN/fresh.csv"
t_is "... downloads nothing" "$(ls -A "$SP/po/raw")$(ls -A "$SP/po/new")" ""
touch -d '2 hours ago' "$IN/fresh.csv"
t_ok "once it is two hours old" po-export-parse
t_like "... it is taken" "$(t_out)" "^$SP/po/new/fresh\.csv\.[0-9a-f]{16}\.00001\.json\$"
t_true "... and archived" -f "$IN/archive/fresh.csv" -a ! -e "$IN/fresh.csv"

# --- a file still growing (NetSuite uploading it), even with po_min_age 0:
# its size moves between the listing and the download, so it waits.
posync_conf netsuite.po_min_age=0
printf '%s\n' "$HDR" >"$IN/growing.csv"
python3 -c 'import sys; sys.stdout.write("3,b,1,116,1,\n" * 200000)' >>"$IN/growing.csv"
# (the writer runs at a higher priority where it may, so a loaded
# machine cannot starve it for the whole of the read)
nice -n -10 sh -c 'while :; do echo "3,b,1,116,1," >>"$1"; done' sh "$IN/growing.csv" 2>/dev/null &
grower=$!
t_at_exit "kill $grower"
sleep 0.2
t_ok "a file growing while it is read" po-export-parse
kill $grower; wait $grower 2>/dev/null
t_is "... prints no path" "$(t_out)" ""
t_like "... says at most that it changed while it was read" "$(t_err)" \
	'^(po-export-parse: .*growing\.csv": .*changed while it was read)?$'
t_true "... leaves it in the inbox" -f "$IN/growing.csv"
t_is "... keeps no copy and writes no batch" "$(ls -A "$SP/po/raw" "$SP/po/new" "$SP/po/tmp" | grep -c growing)" 0
t_is "... and puts none of its lines in the ledger" "$(grep -c '^3	' "$SP/state/polines")" 0
rm -f "$IN/growing.csv"

# --- a changed host key
posync_conf
printf '%s\n' "$HDR" '2,b,1,116,1,' >"$IN/hostkey.csv"
touch -d '1 hour ago' "$IN/hostkey.csv"
sshd_wrong_known_hosts "$SCRATCH/wrong_kh"
posync_conf sftp.known_hosts="$SCRATCH/wrong_kh"
t_exit "a changed host key is refused: exit 77" 77 po-export-parse
t_like "... the message names the host key" "$(t_err)" "HOST KEY CHANGED: .*ssh-ed25519 SHA256:"
t_is "... nothing on stdout" "$(t_out)" ""
t_true "... the file is still in the inbox" -f "$IN/hostkey.csv"
t_true "... and nothing was written" ! -e "$SP/po/raw/hostkey.csv"
posync_conf
t_ok "with the right key" po-export-parse
t_true "... it is taken" -f "$IN/archive/hostkey.csv"

# --- awkward names, the pattern, the order
n1="two${nl}lines.csv"
n2="-rf.csv"
n3="Fri Nov 27 2026 08:15:00 GMT-0800 (Pacific Standard Time)-PurchaseOrder.csv"
printf '%s\n' "$HDR" '10,a,1,116,1,' '10,b,zero,116,2,' >"$IN/$n1"
printf '%s\n' "$HDR" '20,a,1,116,1,' >"$IN/$n2"
printf '%s\n' "$HDR" '30,a,1,116,1,' >"$IN/$n3"
printf '%s\n' "$HDR" '40,a,1,116,1,' >"$IN/notes.txt"
printf '%s\n' "$HDR" '50,a,1,116,1,' >"$IN/.upload.csv"
touch -d '30 minutes ago' "$IN/$n3"
touch -d '20 minutes ago' "$IN/$n2"
touch -d '10 minutes ago' "$IN/$n1" "$IN/notes.txt" "$IN/.upload.csv"
t_exit "awkward names (one file has a bad row): exit 65" 65 po-export-parse
out=$(t_out)
t_is "three paths on stdout" "$(count "$out")" 3
t_true "each line is a batch that exists" "$(printf '%s\n' "$out" | while IFS= read -r p; do [ -f "$p" ] || echo "missing: $p"; done)" = ""
t_like "oldest first: NetSuite's name, then -rf, then the newline" \
	"$(printf '%s\n' "$out" | sed 's|.*/||' | cut -c1-4 | tr '\n' ' ')" "^Fri= =2Dr two= \$"
t_like "local names are safe: no leading '-', no newline, no space" "$(ls "$SP/po/new" | tr '\n' '|')" "^[^ -][^ ]*\|[^ -][^ ]*\|[^ -][^ ]*\|[^ -][^ ]*\|[^ -][^ ]*\|\$"
t_like "the bad row is said on one line, the name escaped" "$(t_err)" \
	'^po-export-parse: "two\\nlines\.csv": line 3: quantity "zero"'
t_is "every stderr line is a message" "$(t_err | grep -vc '^po-export-parse: ')" 0
t_true "the newline name is archived as is" -f "$IN/archive/$n1"
t_true "the '-' name is archived as is" -f "$IN/archive/$n2"
t_true "NetSuite's name is archived as is" -f "$IN/archive/$n3"
t_true "notes.txt does not match *.csv: left alone" -f "$IN/notes.txt"
t_true ".upload.csv is someone's upload: left alone" -f "$IN/.upload.csv"
t_is "the newline file's batch holds PO 10 line 1" "$(cat "$SP"/po/new/two=0Alines.csv.*.json | tr -d '\n')" \
	'[{"externalId": "10", "productSku": "a", "quantity": 1, "externalFacilityId": "116", "itemExternalId": "1"}]'

# A file of the same name again, with other content, and archive/ already
# holding that name: a new batch, archived under a free name.
printf '%s\n' "$HDR" '21,a,1,116,1,' >"$IN/$n2"
touch -d '10 minutes ago' "$IN/$n2"
t_ok "the same name with new content" po-export-parse
t_is "one new batch" "$(count "$(t_out)")" 1
t_true "archived as -rf.csv.1" -f "$IN/archive/$n2.1"
t_is "the first one is untouched" "$(sed -n 2p "$IN/archive/$n2")" "20,a,1,116,1,"

t_done
