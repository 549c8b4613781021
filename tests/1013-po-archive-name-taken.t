#!/bin/sh
# A name taken in po_archive_dir never makes po-export-parse exit 73
# (EX_CANTCREAT is not in the suite's exit table) nor leaves a file stuck
# (issue 9, second review), against the real sshd:
# - all 1,000 archive names of a file taken (NAME, NAME.1 .. NAME.999):
#   exit 78, "something in the way" naming the path, the file stays in
#   the inbox and is said on every run; the other files are archived;
# - a name taken between the choice of a free name and the rename
#   (POSYNC_TEST_STOP=rename-to): the next free name is used, exit 0;
# - a link to nowhere in the archive under the file's name: it takes
#   the name (a rename cannot go onto it), the file goes to NAME.1;
# - po_dir a regular file: 78, said to be no folder.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_pep
PO=$SFTP_BASE/purchaseorder
mkdir -p "$AR"

csv() {
	printf '%s\n' "$HDR" "$2,SKU-A,1,116,1," >"$IN/$1"
	touch -d "$3 minutes ago" "$IN/$1"
}
inbox() { find "$IN" -maxdepth 1 -name '*.csv' | sed 's#.*/##' | sort | tr '\n' ' '; }

# --- every archive name of x.csv taken
: >"$AR/x.csv"
i=1
while [ $i -lt 1000 ]; do : >"$AR/x.csv.$i"; i=$((i + 1)); done
csv x.csv 700 10
csv y.csv 701 5
t_exit "all 1,000 archive names taken: exit 78" 78 po-export-parse
t_like "... something in the way, naming the path" "$(t_err)" \
	'^po-export-parse: "[^"]*/fulfillment/archive/x\.csv" and the 999 names after it .* are all taken: something in the way; the file stays in the inbox'
t_is "... both files are parsed" "$(new_pos | tr '\n' ' ')" "700 701 "
t_is "... x.csv stays in the inbox, y.csv is archived" "$(inbox)" "x.csv "
t_true "... y.csv in the archive" -f "$AR/y.csv"
t_exit "the next run: 78 again" 78 po-export-parse
t_is "... said again" "$(t_err | grep -c 'all taken: something in the way')" 1
t_is "... and nothing parsed twice" "$(new_pos | tr '\n' ' ')" "700 701 "
rm -f "$AR"/x.csv.*
t_ok "names freed: exit 0" po-export-parse
t_true "... x.csv archived as x.csv.1" -f "$AR/x.csv.1"
t_is "... the inbox is empty" "$(inbox)" ""

# --- a name taken between free_name and the rename
csv r.csv 710 10
csv s.csv 711 5
pep_stopped rename-to 'printf "other\n" >"$AR/r.csv"'
t_is "a name taken as the file is moved: exit 0" "$?" 0
t_is "... the program stopped at the step" "$(cat "$SCRATCH/.acted")" 1
t_is "... the other file is not overwritten" "$(cat "$AR/r.csv")" "other"
t_like "... the file went to the next free name" "$(cat "$AR/r.csv.1" 2>&1)" "^$HDR
710,"
t_true "... s.csv archived too" -f "$AR/s.csv"
t_is "... the inbox is empty" "$(inbox)" ""
t_is "... each parsed once" "$(new_pos | tr '\n' ' ')" "700 701 710 711 "

# --- a link to nowhere under the file's name in the archive
ln -s /nowhere "$AR/d.csv"
csv d.csv 7101 10
csv e.csv 7102 5
t_ok "a dangling link in the archive under the name: exit 0" po-export-parse
t_is "... says nothing" "$(t_err)" ""
t_like "... d.csv archived as d.csv.1" "$(cat "$AR/d.csv.1" 2>&1)" "7101,"
t_true "... the link left as it was" -L "$AR/d.csv"
t_is "... the inbox is empty" "$(inbox)" ""
t_is "... each parsed once" "$(new_pos | tr '\n' ' ')" "700 701 710 711 7101 7102 "

# --- po_dir a regular file
echo "a file" >"$IN/plain.txt"
posync_conf netsuite.po_dir="$PO/fulfillment/plain.txt"
t_exit "po_dir a regular file: exit 78" 78 po-export-parse
t_like "... said to be no folder, naming it" "$(t_err)" \
	'^po-export-parse: "sftp://[^"]*/fulfillment/plain\.txt": cannot list the folder: it is not a folder$'
posync_conf netsuite.po_dir="$PO/fulfillment/nothere"
t_exit "po_dir missing: exit 78" 78 po-export-parse
t_like "... said missing" "$(t_err)" \
	'^po-export-parse: "sftp://[^"]*/fulfillment/nothere": cannot list the folder: no such file'
t_done
