#!/bin/sh
# A CSV that cannot be archived stays in the inbox; the record that it was
# parsed (SPOOL/state/parsed/<hash16>) must outlive it there, or once the
# marker aged past keep_days the next run parsed it again and sent HotWax
# its old quantities, reverting POs amended since (issue 9, finding 6).
#  - the marker names the remote file, and is pruned (past keep_days)
#    only by a run whose listing of po_dir no longer holds that name;
#  - the file that cannot be archived is said every run, without -v;
#  - an older posync's marker (empty) still counts as parsed, and gets
#    the file's name; a nameless aged marker is kept while any CSV waits;
#  - local-file runs and runs that could not list prune no marker.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_pep spool.keep_days=1
PARSED=$SP/state/parsed
t_readonly "$AR" || t_skip_all "cannot make a folder read-only here (as root: chattr +i)"
t_at_exit "t_writable '$AR'"

# pep ARGS -- run po-export-parse; its status in $rc, outputs for t_out/t_err
pep() { po-export-parse "$@" >"$SCRATCH/.out" 2>"$SCRATCH/.err"; rc=$?; }
age() { touch -d '3 days ago' "$@"; }

printf '%s\n' "$HDR" '9220,SKU-A,5,116,1,' >"$IN/stuck.csv"
touch -d '10 minutes ago' "$IN/stuck.csv"
pep
t_true "first run, the archive folder not writable: a failure status" "$rc" -ne 0
t_like "... the batch is written" "$(t_out)" "/new/stuck\\.csv\\.[0-9a-f]{16}\\.00001\\.json$"
t_like "... the archive failure is said, naming the file and why" "$(t_err)" 'stuck\.csv.*permission denied'
t_true "... the file stays in the inbox" -f "$IN/stuck.csv"
t_is "... one marker" "$(ls "$PARSED" | wc -l)" 1
M=$PARSED/$(ls "$PARSED")
t_like "... it names the remote file" "$(cat "$M")" '^file stuck\.csv$'

# po-import sent the batch and pruned it from cur/ long ago; the marker and
# the raw copy are older than keep_days.
rm -f "$SP"/po/new/*
age "$M" "$SP"/po/raw/*
pep
t_is "a run past keep_days: no batch written again" "$(t_out)" ""
t_like "... the file is said again, without -v" "$(t_err)" 'stuck\.csv.*permission denied'
t_true "... the marker is kept: its file is still on the server" -f "$M"
pep
t_is "the run after: still no batch" "$(t_out)" ""
t_is "... none in the spool" "$(ls -A "$SP/po/new")" ""
t_like "... said again" "$(t_err)" 'stuck\.csv.*permission denied'
t_true "... the marker is still kept" -f "$M"

t_writable "$AR"
pep
t_is "the archive folder writable again: exit 0" "$rc" 0
t_true "... the file is archived" -f "$AR/stuck.csv" -a ! -e "$IN/stuck.csv"
t_is "... not parsed again" "$(t_out)" ""
t_true "... the marker stays this run (the listing held the file)" -f "$M"
pep
t_is "the next run: exit 0" "$rc" 0
t_true "... the file gone from the inbox, its aged marker is pruned" ! -e "$M"

# ---- an older posync's marker: empty, or without the file line
printf '%s\n' "$HDR" '9221,SKU-A,5,116,1,' >"$IN/old.csv"
touch -d '10 minutes ago' "$IN/old.csv"
OM=$PARSED/$(t_oldhash old.csv "$IN/old.csv")
: >"$OM"
rm -f "$SP/state/po-hash"	# the spool as the older posync left it (pohash.h)
age "$OM"
pep -v
t_is "an empty marker of an older posync: exit 0" "$rc" 0
t_is "... counts as parsed: no batch" "$(t_out)" ""
t_like "... said under -v" "$(t_err)" 'old\.csv": parsed before'
t_true "... the file is archived" -f "$AR/old.csv"
t_like "... the marker now names its file" "$(cat "$OM")" '^file old\.csv$'

printf 'rows 1 rejected 0 batches 1 recovered 0\n' >"$PARSED/00000000000000aa"
age "$PARSED/00000000000000aa"
printf '%s\n' "$HDR" '9222,SKU-A,5,116,1,' >"$IN/young.csv"
posync_conf spool.keep_days=1 netsuite.po_min_age=3600
pep
t_is "a nameless aged marker, a CSV waiting in the inbox: exit 0" "$rc" 0
t_true "... the marker is kept (it may be that CSV's)" -f "$PARSED/00000000000000aa"
rm -f "$IN/young.csv"
pep
t_true "no CSV in the inbox: the nameless aged marker is pruned" ! -e "$PARSED/00000000000000aa"

# ---- runs that prune no marker
printf 'rows 1 rejected 0 batches 1 recovered 0\nfile gone.csv\n' >"$PARSED/00000000000000bb"
age "$PARSED/00000000000000bb"
printf '%s\n' "$HDR" '9223,SKU-A,5,116,1,' >"$SCRATCH/local.csv"
pep "$SCRATCH/local.csv"
t_is "a local file: exit 0" "$rc" 0
t_true "... no marker pruned" -f "$PARSED/00000000000000bb"
posync_conf spool.keep_days=1 netsuite.po_dir="$SFTP_BASE/no/such/folder"
pep
t_true "po_dir cannot be listed: a failure status" "$rc" -ne 0
t_true "... no marker pruned" -f "$PARSED/00000000000000bb"
posync_conf spool.keep_days=1
pep
t_true "a run that lists po_dir prunes it" ! -e "$PARSED/00000000000000bb"
t_true "... but not the local file's marker, younger than keep_days" \
	-f "$PARSED/$(t_pohash local.csv "$SCRATCH/local.csv")"
t_done
