#!/bin/sh
# A read that fails because the file moved under it is left for a later
# run, quietly but for what sftp said; the rule looks at the file once
# more (future.c, moved): one that is no file now, or grew, is "later"
# (exit 0), whether it was downloaded alone or read ahead with others.
# (A read failing on a file still as listed keeps the read's status, 75:
# no real OpenSSH server can be made to fail so, hence no case here.)
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_pep
one() { printf '%s\n' "$HDR" "$1,SKU-A,1,116,1," >"$IN/$2"; touch -d '30 minutes ago' "$IN/$2"; }

# --- alone: replaced by a folder between the listing and the read
one 9101 f.csv
pep_stopped download 'rm -f "$IN/f.csv"; mkdir "$IN/f.csv"'
t_is "a file made a folder before its read: exit 0" "$?" 0
t_is "... the program stopped at the step and the file was replaced" "$(cat "$SCRATCH/.acted")" 1
t_is "... nothing parsed" "$(new_pos)" ""
t_is "... nothing archived" "$(ls -A "$AR")" ""
t_ok "the next run" po-export-parse
t_is "... says nothing (a folder is no CSV)" "$(t_err)" ""
rmdir "$IN/f.csv"

# --- read ahead with two others: one made a folder
one 9201 a.csv; one 9202 b.csv; one 9203 c.csv
touch -d '40 minutes ago' "$IN/a.csv"
pep_stopped download 'rm -f "$IN/b.csv"; mkdir "$IN/b.csv"'
t_is "one of three made a folder before the read-ahead: exit 0" "$?" 0
t_is "... the others parsed" "$(new_pos | tr '\n' ' ')" "9201 9203 "
t_is "... and archived" "$(ls "$AR" | tr '\n' ' ')" "a.csv c.csv "
rmdir "$IN/b.csv"

# --- a file that grows while it is read, alone (a big one, read slowly)
{ echo "$HDR"; python3 -c 'import sys; sys.stdout.write("".join("9301,SKU-A,1,116,%d,\n" % i for i in range(1, 20001)))'; } >"$IN/g.csv"
touch -d '30 minutes ago' "$IN/g.csv"
pep_stopped download 'head -c 1000 "$IN/g.csv" >>"$IN/g.csv"'
t_is "a file that grew after the listing: exit 0" "$?" 0
t_true "... it stays in the inbox" -f "$IN/g.csv"
t_is "... nothing of it parsed" "$(new_pos | grep -c '^9301$')" 0
t_done
