#!/bin/sh
# receipt-push lists NetSuite's error folder only when it may hold
# something new (issue 12, round trips): the folder lies in receipt_dir
# (the default), whose listing shows its mtime; an mtime unchanged since a
# walk that proved it (SPOOL/state/receipt-push.errors-dir) is not listed
# again.  The edges: a directory's mtime has a one-second grain, so a file
# added in the same second as a listing, right after it, leaves the mtime
# as that listing saw it -- the next run still sees the file; a file left
# for later (younger than po_min_age) does not move the mtime when it
# comes of age -- it is still seen; a new file under a time proven
# unchanged (a server whose folder times stand still) has the folder
# listed on every run from then on, said once; a damaged record, or a
# folder elsewhere, is listed; a folder in the record's place is said
# once a run and changes no exit status.  Counted from internal-sftp's log (SSHD_SFTP_LOG).
. "${0%/*}/lib.sh"
. "$BED/bed.sh"
bed_rp_logged
E=$R/error
REC=$SP/state/receipt-push.errors-dir
listed() { sftp_requests | grep -c "^opendir \"$1\"\$"; }
err() { cat "$SCRATCH/run.err"; }
csv() { printf 'orderId,errorMessage\n%s,Closed\n' "$2" >"$E/$1"; }
# more than ERRDIR_SETTLE (3 s) of this host's clock: what proves an mtime
settle() { sleep 4; }

M0=$(stat -c %Y "$E")
rp_run
t_is "a first run: exit 0" "$?" 0
t_is "... lists the error folder (nothing recorded)" "$(listed "$E")" 1
t_true "... and records its mtime" -s "$REC"

# a file added in the second of that listing, right after it: the
# folder's mtime stays the one the listing saw
csv e1.csv 1001
touch -m -d "@$M0" "$E"
rp_run
t_is "a file added in the same second as the last listing: exit 65" "$?" 65
t_is "... the folder is listed (its mtime not proven yet)" "$(listed "$E")" 1
t_like "... and the file reported" "$(err)" 'NetSuite could not receive PO "1001": "Closed"'

settle
rp_run
t_is "a run seconds later: exit 0" "$?" 0
t_is "... lists the folder once more: the walk that proves its mtime" "$(listed "$E")" 1
rp_run
t_is "the next run: exit 0" "$?" 0
t_is "... does not list the error folder" "$(listed "$E")" 0
t_is "... only receipt_dir" "$(sftp_requests | grep -c '^opendir ')" 1

csv e2.csv 1002
rp_run
t_is "a new error file: exit 65" "$?" 65
t_is "... the folder's new mtime has it listed" "$(listed "$E")" 1
t_like "... the file reported" "$(err)" 'NetSuite could not receive PO "1002"'
t_is "... and only that one" "$(err | grep -c 'could not receive')" 1

# ---- a file left for later: young by po_min_age
posync_conf netsuite.po_min_age=3600
csv e3.csv 1003
rp_run
t_is "a young error file: exit 0" "$?" 0
t_is "... listed" "$(listed "$E")" 1
t_is "... and left for later" "$(err | grep -c 'could not receive')" 0
settle
rp_run
t_is "a run seconds later, the file still young: exit 0" "$?" 0
t_is "... listed (a walk that left a file proves nothing)" "$(listed "$E")" 1
# it comes of age: the folder's mtime does not move
touch -m -d '2 hours ago' "$E/e3.csv"
rp_run
t_is "the file of age now, the folder's mtime unchanged: exit 65" "$?" 65
t_is "... listed" "$(listed "$E")" 1
t_like "... the file reported" "$(err)" 'NetSuite could not receive PO "1003"'

settle
rp_run
rp_run
t_is "once proven again, a run does not list it" "$(listed "$E")" 0

# a server whose folder times stood still would hide a new file: the
# folder is walked again once its last walk is 6 hours old, whatever
awk '/^#/ { print; next } { $5 -= 7 * 3600; print }' "$REC" >"$REC.new" &&
	mv "$REC.new" "$REC"
rp_run
t_is "the last walk 7 hours ago: the folder listed" "$(listed "$E")" 1
rp_run
t_is "... and not the run after" "$(listed "$E")" 0

# ---- a server whose folder time stands still (some object-store ones):
# set back after each new file
M1=$(stat -c %Y "$E")
csv e4.csv 1004; touch -m -d '2 hours ago' "$E/e4.csv"; touch -m -d "@$M1" "$E"
rp_run
t_is "a new file, the folder's time as before: not listed yet" "$(listed "$E")" 0
awk '/^#/ { print; next } { $5 -= 7 * 3600; print }' "$REC" >"$REC.new" &&
	mv "$REC.new" "$REC"
rp_run
t_is "... 6 hours on, listed: exit 65" "$?" 65
t_like "... the file reported" "$(err)" 'NetSuite could not receive PO "1004"'
t_like "... and said: the folder's time does not follow its files" "$(err)" \
	"folder times do not follow their files; the folder is listed on every run"
csv e5.csv 1005; touch -m -d '2 hours ago' "$E/e5.csv"; touch -m -d "@$M1" "$E"
rp_run
t_is "the next file, the time set back again: exit 65" "$?" 65
t_like "... reported by the next run" "$(err)" 'NetSuite could not receive PO "1005"'
t_is "... not said again" "$(err | grep -c 'do not follow')" 0
settle
rp_run
rp_run
t_is "... and the folder listed on every run from then on" "$(listed "$E")" 1

# ---- a damaged record: listed
printf 'garbage\n' >"$REC"
rp_run
t_is "a damaged record: exit 0" "$?" 0
t_is "... the folder listed" "$(listed "$E")" 1
t_is "... nothing said twice" "$(err | grep -c 'could not receive')" 0

# ---- a folder in place of the record (a later posync's?): said once a
# run, never written, and a report's exit stays 65
rm -f "$REC"; mkdir "$REC"
csv e6.csv 1006; touch -m -d '2 hours ago' "$E/e6.csv"
rp_run
t_is "a folder in place of the record, a new error file: exit 65" "$?" 65
t_is "... said once" "$(err | grep -c 'receipt-push.errors-dir')" 1
t_like "... the file reported" "$(err)" 'NetSuite could not receive PO "1006"'
rp_run
t_is "... the next run: exit 0" "$?" 0
t_is "... the folder listed" "$(listed "$E")" 1
rmdir "$REC"

# ---- a folder elsewhere: listed every run
mkdir -p "$P/errors-elsewhere"
posync_conf netsuite.po_min_age=3600 "netsuite.receipt_error_dir=$P/errors-elsewhere"
rp_run
rp_run
t_is "an error folder outside receipt_dir is listed every run" \
	"$(listed "$P/errors-elsewhere")" 1
t_done
