#!/bin/sh
# A clock probe the server lets posync write but not remove (a folder
# that takes new files and lets none go: chattr +a here) leaves one file
# behind on every run: that is said without -v, naming it, every run
# (issue 9, second review: it was said under -v only, and the files
# piled up unseen).  The run itself goes on: the probe told the time.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_pep netsuite.po_min_age=60
mkdir -p "$AR"
chattr +a "$AR" 2>/dev/null || t_skip_all "chattr +a is not possible here"
t_at_exit "chattr -a '$AR'"

printf '%s\n' "$HDR" '9301,SKU-A,1,116,1,' >"$IN/young.csv"
t_exit "a young file, the probe cannot be removed: exit 0" 0 po-export-parse
t_like "... said without -v, naming the probe" "$(t_err)" \
	'^po-export-parse: .*/archive/\.posync-clock\.[0-9]+\.[0-9]+"?: cannot remove the clock probe: permission denied'
t_is "... once" "$(t_err | grep -c 'cannot remove the clock probe')" 1
t_is "... one probe left" "$(ls -A "$AR" | grep -c '^\.posync-clock\.')" 1
t_exit "the next run: exit 0" 0 po-export-parse
t_like "... says it again" "$(t_err)" 'cannot remove the clock probe'
t_is "... two left now" "$(ls -A "$AR" | grep -c '^\.posync-clock\.')" 2
chattr -a "$AR"
t_done
