#!/bin/sh
# A parsed marker that cannot be written (spool/state/parsed read-only)
# is said with what it means: the CSV stays in the inbox and is read
# again by the next run, which writes no batch twice (issue 9, second
# review).  Skipped where no folder can be made read-only (t_readonly).
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

t_need_readonly
bed_pep

t_ok "a first run makes the spool" po-export-parse
t_readonly "$SP/state/parsed" || t_bail "t_readonly failed after t_need_readonly"
t_at_exit "t_writable '$SP/state/parsed'"
printf '%s\n' "$HDR" '7001,SKU-A,1,116,1,' >"$IN/m.csv"
touch -d '10 minutes ago' "$IN/m.csv"
t_exit "state/parsed not writable: exit 74" 74 po-export-parse
t_like "... the marker's path is named" "$(t_err)" "$SP/state/parsed/"
t_like "... and what it means: read again by the next run" "$(t_err)" \
	'^po-export-parse: "m\.csv": its batches are written, but not its marker [^ ]*/state/parsed/[0-9a-f]*: the file stays where it is and is read again by the next run'
t_true "... the CSV stays in the inbox" -f "$IN/m.csv"
ls "$SP/po/new" >"$SCRATCH/new.before"
t_is "... one batch" "$(wc -l <"$SCRATCH/new.before")" 1
t_writable "$SP/state/parsed"
t_ok "writable again: exit 0" po-export-parse
t_is "... no batch written twice" "$(ls "$SP/po/new")" "$(cat "$SCRATCH/new.before")"
t_true "... the CSV is archived" ! -e "$IN/m.csv"
t_done
