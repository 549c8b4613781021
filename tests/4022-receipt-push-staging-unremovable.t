#!/bin/sh
# A regular file in receipt-push's staging folder that cannot be removed
# (immutable here: chattr +i, standing for another owner's file in a
# sticky folder): receipt-push stopped with 77 on every run and published
# nothing, whatever the file's name.  Now it says so once a run, without
# -v, and goes on; a file of the next receipt file's name is staged
# around, as a folder is, and the file is published whole under its own.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"
bed_rp_folders
rp_two_waiting
echo junk >"$S/other.txt"
echo junk >"$S/$F"
chattr +i "$S/other.txt" "$S/$F" 2>/dev/null || t_skip_all "chattr +i does not work here (needs root and a file system that has it)"
t_at_exit "chattr -i '$S/other.txt' '$S/$F'"

t_exit "receipt-push with two files it cannot remove in staging: exit 0, not 77" 0 receipt-push </dev/null
t_like "... each removal that failed is said" "$(t_err)" "receipt-staging/other.txt\": cannot remove"
t_is "... the files left once a run, without -v" \
	"$(t_err | grep -c 'a file in the staging folder that cannot be removed')" 1
t_like "... the one of the file's name is staged around" "$(t_err)" \
	"receipt-staging/$F\": a folder in the staging folder .*staged as \"$F.1\" instead"
t_ok "... the file published whole under its own name" cmp "$SP/receipt/cur/$F" "$P/receipt/$F"
t_is "... staging holds only what was there" "$(ls "$S" | LC_ALL=C sort)" "other.txt
$F"

mv "$P/receipt/$F" "$P/receipt/archive/"
t_exit "the next run" 0 receipt-push </dev/null
t_like "... says again what is left" "$(t_err)" 'a file in the staging folder that cannot be removed'
t_ok "... publishes the next file" cmp "$SP/receipt/cur/$G" "$P/receipt/$G"
t_is "... nothing waits" "$(ls "$SP/receipt/new")" ""
t_done
