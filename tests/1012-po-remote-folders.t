#!/bin/sh
# A missing remote path is not "server unavailable" (issue 9, finding 5),
# against the real sshd:
# - po_archive_dir missing: made, and every file is taken and archived;
#   po_error_dir missing two levels deep: made too;
# - po_archive_dir through a regular file: 78 naming it; a folder the server
#   refuses to make: 77 naming it; every file is still parsed (once) and
#   stays in the inbox, said each run, until the folder can be made;
# - a file gone between the listing and the download, or between the
#   download and the archive: skipped (said with -v), the others taken;
# - po_dir missing: 78 naming it; only the server out of reach is 69.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_pep
PO=$SFTP_BASE/purchaseorder

# csv NAME PO MINUTES-AGO -- a one-line CSV in the inbox
csv() {
	printf '%s\n' "$HDR" "$2,SKU-A,1,116,1," >"$IN/$1"
	touch -d "$3 minutes ago" "$IN/$1"
}
inbox() { find "$IN" -maxdepth 1 -type f -name '*.csv' | sed 's#.*/##' | sort | tr '\n' ' '; }

# --- the archive folder missing
rm -rf "$AR"
csv a.csv 8001 30
csv b.csv 8002 20
csv c.csv 8003 10
t_ok "po_archive_dir missing: exit 0" po-export-parse
t_is "... says nothing" "$(t_err)" ""
t_is "... every file is parsed" "$(new_pos | tr '\n' ' ')" "8001 8002 8003 "
t_true "... the folder is made" -d "$AR"
t_is "... and every file archived" "$(ls "$AR" | tr '\n' ' ')" "a.csv b.csv c.csv "
t_is "... the inbox is empty" "$(inbox)" ""

# --- the error folder missing, two levels deep
posync_conf netsuite.po_error_dir="$PO/fulfillment/bad/$(date +%Y)"
printf '%s\n' "no,header,here" "1,2,3" >"$IN/junk.csv"
touch -d '5 minutes ago' "$IN/junk.csv"
t_exit "an unusable file, po_error_dir missing two levels deep: exit 65" 65 po-export-parse
t_like "... said" "$(t_err)" 'junk\.csv" cannot be used: .*moving it to'
t_true "... moved into the folder made" -f "$IN/bad/$(date +%Y)/junk.csv"

# --- the archive folder cannot be a folder: a file is in the way
echo "not a folder" >"$IN/notes.txt"
posync_conf netsuite.po_archive_dir="$PO/fulfillment/notes.txt/archive"
csv d.csv 8004 30
csv e.csv 8005 20
t_exit "po_archive_dir through a regular file: exit 78" 78 po-export-parse
t_like "... naming the file in the way" "$(t_err)" \
	'^po-export-parse: "sftp://[^"]*/fulfillment/notes\.txt": not a folder'
t_is "... said once" "$(t_err | grep -c 'not a folder')" 1
t_like "... each file is said to stay in the inbox" "$(t_err | grep -c 'stays in the inbox until "[^"]*/notes\.txt/archive" can be made')" '^2$'
t_is "... both are parsed all the same" "$(new_pos | tr '\n' ' ')" "8001 8002 8003 8004 8005 "
t_is "... and stay in the inbox" "$(inbox)" "d.csv e.csv "
ls "$SP/po/new" >"$SCRATCH/new.before"
t_exit "the next run: 78 again" 78 po-export-parse
t_is "... says again that both stay" "$(t_err | grep -c 'stays in the inbox')" 2
t_is "... and parses nothing twice" "$(ls "$SP/po/new")" "$(cat "$SCRATCH/new.before")"

# --- a folder the server refuses to make (permission)
LOCK=$SFTP_BASE/locked
mkdir -p "$LOCK"
if t_readonly "$LOCK"; then
	t_at_exit "t_writable '$LOCK'"
	posync_conf netsuite.po_archive_dir="$SFTP_BASE/locked/archive"
	t_exit "po_archive_dir the server will not make: exit 77" 77 po-export-parse
	t_like "... naming it, with the server's reason" "$(t_err)" \
		'^po-export-parse: "sftp://[^"]*/netsuite/locked/archive": cannot create the folder: permission denied'
	t_is "... the files stay in the inbox" "$(inbox)" "d.csv e.csv "
	t_writable "$LOCK"
else
	t_diag "cannot make a folder read-only here: the permission case is not run"
fi

posync_conf
t_ok "with po_archive_dir back: exit 0" po-export-parse
t_is "... the two are archived" "$(ls "$AR" | tr '\n' ' ')" "a.csv b.csv c.csv d.csv e.csv "
t_is "... nothing parsed twice" "$(ls "$SP/po/new")" "$(cat "$SCRATCH/new.before")"

# --- a file gone between the listing and the download
csv f.csv 8006 30
csv g.csv 8007 20
csv h.csv 8008 10
pep_stopped download 'rm -f "$IN/f.csv"'
t_is "f.csv removed before its download: exit 0" "$?" 0
t_is "... the program stopped at the step and the file was removed" "$(cat "$SCRATCH/.acted")" 1
t_is "... says nothing" "$(t_err)" ""
t_is "... the others are parsed" "$(new_pos | tr '\n' ' ')" "8001 8002 8003 8004 8005 8007 8008 "
t_is "... and archived" "$(ls "$AR" | tr '\n' ' ')" "a.csv b.csv c.csv d.csv e.csv g.csv h.csv "
csv i.csv 8009 30
csv j.csv 8010 20
pep_stopped download 'rm -f "$IN/i.csv"' -v
t_is "with -v: exit 0" "$?" 0
t_like "... says it is gone" "$(t_err)" 'i\.csv": gone from the inbox since it was listed; skipped'
t_true "... and takes the next" -f "$AR/j.csv"

# --- a file gone between the download and the archive
csv k.csv 8011 30
csv l.csv 8012 20
pep_stopped recheck 'rm -f "$IN/k.csv"' -v
t_is "k.csv removed after its download: exit 0" "$?" 0
t_is "... the program stopped at the step and the file was removed" "$(cat "$SCRATCH/.acted")" 1
t_like "... -v says it is gone" "$(t_err)" 'k\.csv" ?: gone from the inbox before it was moved; skipped'
t_true "... the next is archived" -f "$AR/l.csv"
t_like "... both were parsed (k.csv before it went)" "$(new_pos | tr '\n' ' ')" " 8011 8012 $"
csv m.csv 8013 30
csv n.csv 8014 20
pep_stopped rename 'rm -f "$IN/m.csv"'
t_is "m.csv removed just before the rename: exit 0" "$?" 0
t_is "... says nothing" "$(t_err)" ""
t_true "... the next is archived" -f "$AR/n.csv"

# --- po_dir missing; the server out of reach
posync_conf netsuite.po_dir="$PO/no-such-inbox"
t_exit "po_dir missing: exit 78, not 69" 78 po-export-parse
t_like "... naming it" "$(t_err)" '"sftp://[^"]*/purchaseorder/no-such-inbox": cannot list the folder: no such file'
posync_conf
sshd_stop
t_exit "the server out of reach: 69" 69 po-export-parse
t_done
