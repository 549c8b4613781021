#!/bin/sh
# Content that lands in a CSV after po-export-parse last looked at it and
# goes with it into po_archive_dir, when it cannot go back to the inbox
# (a new file of the name is there already), is parsed from the archive in
# the same run: nothing depends on a person reading one cron mail (issue
# 9, second review).  The program is stopped after the rename
# (POSYNC_TEST_STOP=renamed, po-export-parse(1)) while the test rewrites
# the moved file and puts a new one in the inbox, on the real sshd:
# - the moved content's POs are in batches made by that run, before those
#   of the new inbox file (made by the next run): NetSuite's order holds;
# - said without -v, naming both paths; nothing to do by hand: exit 0;
# - a moved content that cannot be used at all goes to po_error_dir.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_pep
ER=$IN/error

printf '%s\n' "$HDR" '9005,SKU-A,1,116,1,' >"$IN/third.csv"
touch -d '10 minutes ago' "$IN/third.csv"
pep_stopped renamed 'printf "%s\n" "$HDR" "9006,SKU-A,1,116,1," "9006,SKU-A,1,116,2," >"$AR/third.csv"
	touch -d "5 minutes ago" "$AR/third.csv"
	printf "%s\n" "$HDR" "9007,SKU-A,1,116,1," >"$IN/third.csv"
	touch -d "4 minutes ago" "$IN/third.csv"'
t_is "rewritten after the rename, the name taken again: exit 0" "$?" 0
t_is "... the program stopped at the step and the file was rewritten" "$(cat "$SCRATCH/.acted")" 1
t_like "... said, naming both paths" "$(t_err)" \
	'^po-export-parse: "[^"]*/fulfillment/third\.csv" changed on the server as it was moved to "[^"]*/fulfillment/archive/third\.csv", and cannot go back \(a new file of that name is in the inbox\): the content moved is read from there now'
t_is "... nothing asks a person to parse it by hand" "$(t_err | grep -c 'by hand')" 0
t_is "... the content read and the content moved are both batched by this run" \
	"$(new_po_counts)" "9005:1 9006:2 "
t_is "... the batches written are on stdout" "$(t_out | wc -l)" 2
t_like "... the moved content stays in the archive" "$(cat "$AR/third.csv" 2>&1)" "9006,SKU-A,1,116,2,"
t_true "... beside its raw copy in the spool" -f "$SP/po/raw/third.csv.archived"
t_ok "the next run" po-export-parse
t_is "... says nothing" "$(t_err)" ""
t_is "... parses the new file of the name: PO 9007, after the others" "$(new_po_counts)" "9005:1 9006:2 9007:1 "
t_like "... and archives it beside the other" "$(cat "$AR/third.csv.1" 2>&1)" "9007,"
t_ok "a run more" po-export-parse
t_is "... parses nothing twice" "$(new_po_counts)" "9005:1 9006:2 9007:1 "

# --- the moved content cannot be used at all: to the error folder
printf '%s\n' "$HDR" '9008,SKU-A,1,116,1,' >"$IN/fourth.csv"
touch -d '10 minutes ago' "$IN/fourth.csv"
pep_stopped renamed 'printf "%s\n" "no,header,here" "1,2,3" >"$AR/fourth.csv"
	touch -d "5 minutes ago" "$AR/fourth.csv"
	printf "%s\n" "$HDR" "9009,SKU-A,1,116,1," >"$IN/fourth.csv"
	touch -d "4 minutes ago" "$IN/fourth.csv"'
t_is "moved content unusable: exit 65" "$?" 65
t_is "... the program stopped at the step" "$(cat "$SCRATCH/.acted")" 1
t_like "... said" "$(t_err)" 'archive/fourth\.csv" cannot be used: .*moving it to'
t_like "... moved to po_error_dir" "$(cat "$ER/fourth.csv" 2>&1)" "no,header,here"
t_true "... not left in the archive" ! -e "$AR/fourth.csv"
t_is "... the content read is batched" "$(new_po_counts)" "9005:1 9006:2 9007:1 9008:1 "
t_ok "the next run" po-export-parse
t_is "... parses the new file" "$(new_po_counts)" "9005:1 9006:2 9007:1 9008:1 9009:1 "
t_done
