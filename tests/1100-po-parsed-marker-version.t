#!/bin/sh
# Parsed markers (SPOOL/state/parsed/<hash16>) carry a version line
# (common/parsedmark.h) so that a later change can tell their forms apart.
# A marker the previous release left (no version line) still counts: the
# file is not parsed again, nothing reaches the ledger or new/ twice, its
# rejected rows are said as then, and the marker is brought to the current
# form once, said under -v.
. "${0%/*}/lib.sh"
. "$BED/posync.sh"

posync_conf
SP=$SCRATCH/spool
HDR=external-id,product-sku,quantity,external-facility-id,item-external-id,arrival-date
printf '%s\n' "$HDR" '9301,SKU-A,5,116,1,' '9301,SKU-B,x,116,2,' '9302,SKU-C,1,116,1,' \
	>"$SCRATCH/m.csv"

t_exit "a file with a rejected row: exit 65" 65 po-export-parse "$SCRATCH/m.csv"
t_is "... one batch" "$(t_out | wc -l | tr -d ' ')" 1
t_is "... one marker" "$(ls "$SP/state/parsed" | wc -l | tr -d ' ')" 1
M=$SP/state/parsed/$(ls "$SP/state/parsed")
t_is "... its first line is the version line" "$(head -n 1 "$M")" "posync-parsed 2"
t_is "... then the counts, the hash line and the file" "$(tail -n +2 "$M")" \
	"$(printf 'rows 3 rejected 1 batches 1 recovered 0\nhash xxh3\nfile m.csv')"

# The spool as the previous release left it: the marker without its
# version line; po-import has taken the batch.
sed 1d "$M" >"$SCRATCH/old" && cp "$SCRATCH/old" "$M"
mkdir -p "$SP/po/cur" && mv "$SP"/po/new/*.json "$SP/po/cur/"
cp "$SP/state/polines" "$SCRATCH/ledger.before"
t_exit "the old-form marker: the file is not parsed again (exit 65 as then)" 65 \
	po-export-parse -v "$SCRATCH/m.csv"
t_is "... no batch named" "$(t_out)" ""
t_is "... none written" "$(ls "$SP/po/new" | wc -l | tr -d ' ')" 0
t_like "... its rejected row said as then" "$(t_err)" \
	'"m\.csv": parsed before: 1 of 3 rows were rejected, listed in '
t_like "... the marker converted, said under -v" "$(t_err)" \
	"\"m\\.csv\": its marker $M now has its version line\$"
t_ok "... the ledger as it was" cmp "$SCRATCH/ledger.before" "$SP/state/polines"
t_is "... the version line first" "$(head -n 1 "$M")" "posync-parsed 2"
t_is "... what it said kept" "$(tail -n +2 "$M")" "$(cat "$SCRATCH/old")"
cp "$M" "$SCRATCH/new"

t_exit "once more: exit 65" 65 po-export-parse -v "$SCRATCH/m.csv"
t_is "... nothing parsed" "$(t_out)" ""
t_is "... and not said again" "$(t_err | grep -c 'version line')" 0
t_ok "... the marker converted once only" cmp "$SCRATCH/new" "$M"
t_done
