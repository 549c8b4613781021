#!/bin/sh
# The download is sized by the listing's size, without asking the server
# (sftp_get_listed, issue 12): a CSV rewritten shorter, or longer, between
# the listing and the read is never taken for a cut connection, never
# parsed from what was read, and stays in the inbox for the next run,
# which parses the content then.  The run is stopped just before the
# download (POSYNC_TEST_STOP=download) while the test rewrites the file
# on the real sshd, its mtime kept.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_pep

for how in shorter longer; do
	case $how in
	shorter) po=9301 new='"9302,SKU-A,1,116,1,"' ;;
	longer) po=9401 new='"9402,SKU-A,1,116,1," "9402,SKU-A,2,116,2," "9402,SKU-A,3,116,3,"' ;;
	esac
	printf '%s\n' "$HDR" "$po,SKU-A,1,116,1," "$po,SKU-A,2,116,2," >"$IN/$how.csv"
	touch -d '10 minutes ago' "$IN/$how.csv"
	pep_stopped download "printf '%s\n' \"\$HDR\" $new >\"\$IN/$how.csv\"
		touch -d '10 minutes ago' \"\$IN/$how.csv\"" -v
	t_is "rewritten $how before the read: exit 0" "$?" 0
	t_is "... the program stopped at the step and the file was rewritten" "$(cat "$SCRATCH/.acted")" 1
	t_is "... no batch" "$(new_po_counts)" "$(cat "$SCRATCH/counts" 2>/dev/null)"
	t_is "... never called cut short" "$(t_err | grep -c 'cut short')" 0
	t_like "... said under -v: changed while read" "$(t_err)" "$how\\.csv\" changed while it was read: left for the next run"
	t_true "... it stays in the inbox" -f "$IN/$how.csv"
	t_ok "the next run" po-export-parse
	t_like "... parses the new content" "$(new_po_counts)" "$((po + 1)):"
	t_is "... and nothing of the old" "$(new_pos | grep -c "^$po\$")" 0
	t_true "... and archives it" ! -e "$IN/$how.csv"
	new_po_counts >"$SCRATCH/counts"
done
t_done
