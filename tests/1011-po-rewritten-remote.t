#!/bin/sh
# A CSV that NetSuite rewrites under the same name after po-export-parse
# has read it is never archived unread (issue 9, finding 2).  The program
# is stopped at the very step (POSYNC_TEST_STOP, po-export-parse(1)) while
# the test rewrites the file on the real sshd:
# - after the read, before the file is looked at again: the new content
#   is left in the inbox, said without -v, and the next run parses it;
# - between that look and the rename: the file moved is the rewritten
#   one; it is moved back into the inbox, and the next run parses it;
# - after the rename, with a new file of the name already in the inbox:
#   tests/1014-po-moved-unread.t.
# Each time the POs read are in a batch, and those of the new content too.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_pep

# --- without the hook: a writer rewrites the file in place (as an SFTP
# upload of the same name does) as soon as its download is in the spool,
# while the run parses its 100,000 rows into 100 batches
big=$SCRATCH/big.csv
{ echo "$HDR"; python3 -c 'import sys; sys.stdout.write("".join("8999,SKU-A,1,116,%d,\n" % i for i in range(1, 100001)))'; } >"$big"
cp "$big" "$IN/big.csv"
touch -d '10 minutes ago' "$IN/big.csv"
(
	n=0
	while [ -z "$(ls "$SP/po/raw" 2>/dev/null)" ] && [ $n -lt 2000 ]; do
		sleep 0.01; n=$((n + 1))
	done
	printf '%s\n' "$HDR" '8998,SKU-A,7,116,1,' >"$IN/big.csv"
) &
writer=$!
po-export-parse >"$SCRATCH/.out" 2>"$SCRATCH/.err"
t_is "a file rewritten while its first content is parsed: exit 0" "$?" 0
wait $writer
t_like "... says at most that it was rewritten" "$(t_err)" \
	'^(po-export-parse: "[^"]*/fulfillment/big\.csv" changed on the server after this run read it: left in the inbox for the next run to read)?$'
t_ok "the next run" po-export-parse
t_is "... the first content is in 100 batches, the second in one: nothing lost" \
	"$(cat "$SP"/po/new/*.json | grep -o '"externalId": "[0-9]*"' | sort | uniq -c | awk '{ printf "%s:%s ", $NF, $1 }')" \
	'"8998":1 "8999":100000 '
t_like "... the archive holds the second content" "$(cat "$AR/big.csv" 2>&1)" "^$HDR
8998,"
rm -f "$SP"/po/new/big.csv.*

# --- rewritten after the read, before the second look
printf '%s\n' "$HDR" '9001,SKU-A,1,116,1,' >"$IN/export.csv"
touch -d '10 minutes ago' "$IN/export.csv"
pep_stopped recheck 'printf "%s\n" "$HDR" "9002,SKU-A,2,116,1," "9002,SKU-A,3,116,2," >"$IN/export.csv"
	touch -d "5 minutes ago" "$IN/export.csv"'
t_is "rewritten after the read: exit 0" "$?" 0
t_is "... the program stopped at the step and the file was rewritten" "$(cat "$SCRATCH/.acted")" 1
t_is "... the batch written holds the content read: PO 9001" "$(new_po_counts)" "9001:1 "
t_like "... its path is printed" "$(t_out)" "^$SP/po/new/export\.csv\.[0-9a-f]{16}\.00001\.json\$"
t_like "... said without -v, naming the file" "$(t_err)" \
	"^po-export-parse: \"$IN/export\\.csv\" changed on the server after this run read it: left in the inbox"
t_is "... one line" "$(t_err | wc -l | tr -d ' ')" 1
t_like "... the new content is still in the inbox" "$(cat "$IN/export.csv" 2>&1)" "^$HDR
9002,"
t_true "... and nothing of that name is in the archive" ! -e "$AR/export.csv"
t_ok "the next run" po-export-parse
t_is "... says nothing" "$(t_err)" ""
t_is "... parses the new content: both POs have their batches" "$(new_po_counts)" "9001:1 9002:2 "
t_like "... and archives it" "$(cat "$AR/export.csv" 2>&1)" "9002,SKU-A,3,116,2,"
t_true "... the inbox is empty" ! -e "$IN/export.csv"
t_is "the ledger has every line of both" \
	"$(awk -F'\t' '$2 != ""' "$SP/state/polines" | grep '^900[12]	' | cut -f1,2 | tr '\t' / | sort | tr '\n' ' ')" \
	"9001/1 9002/1 9002/2 "

# --- rewritten between the second look and the rename (same size: the
# mtime tells)
printf '%s\n' "$HDR" '9003,SKU-A,1,116,1,' >"$IN/second.csv"
touch -d '10 minutes ago' "$IN/second.csv"
pep_stopped rename 'printf "%s\n" "$HDR" "9004,SKU-A,1,116,1," >"$IN/second.csv"
	touch -d "5 minutes ago" "$IN/second.csv"'
t_is "rewritten just before the rename: exit 0" "$?" 0
t_is "... the program stopped at the step and the file was rewritten" "$(cat "$SCRATCH/.acted")" 1
t_is "... the batch written holds the content read: PO 9003" "$(new_po_counts)" "9001:1 9002:2 9003:1 "
t_like "... said without -v, naming both paths" "$(t_err)" \
	'^po-export-parse: "[^"]*/fulfillment/second\.csv" changed on the server as it was moved to "[^"]*/fulfillment/archive/second\.csv": moved back'
t_is "... the rewritten content is back in the inbox" "$(cat "$IN/second.csv" 2>&1)" "$HDR
9004,SKU-A,1,116,1,"
t_true "... and not in the archive" ! -e "$AR/second.csv"
t_ok "the next run" po-export-parse
t_is "... says nothing" "$(t_err)" ""
t_is "... parses it: PO 9004's batch" "$(new_po_counts)" "9001:1 9002:2 9003:1 9004:1 "
t_like "... and archives it" "$(cat "$AR/second.csv" 2>&1)" "^$HDR
9004,"

# (rewritten after the rename with a new file of the name in the inbox:
# tests/1014-po-moved-unread.t)
t_done
