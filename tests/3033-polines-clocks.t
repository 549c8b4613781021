#!/bin/sh
# A wrong host clock drops no PO from the polines ledger (issue 9,
# findings 4 and 9: never trust one clock alone).  The seen time of a PO
# is when posync took its CSV, by the server's clock: the later of the
# remote file's mtime and the server's now (a local file: the later of
# its own mtime and this host's now); and a PO's age is measured
# against the ledger's newest seen time when this host's clock is ahead
# of it.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

[ -x "$TOP/receipt-export/receipt-export" ] || t_skip_all "receipt-export not built"
t_need_faketime
bed_sshd || t_bail "sshd did not start"
re_setup spool.polines_keep_days=1
seen_of() { awk -F'\t' -v po="$1" '$1 == po && $2 == "" { print $3 }' "$L" | sort -n | tail -n 1; }

# (a) po-export-parse with this host's clock 400 days behind
# (the server's clock is learnt to the second: 2 s of slack)
IN=$SFTP_BASE/purchaseorder/fulfillment
printf '%s\n' "$HDR" '7201,SKU1,5,116,1,' '7201,NOSUCH,3,116,2,' >"$IN/export.csv"
touch -d '10 minutes ago' "$IN/export.csv"
mtime=$(stat -c %Y "$IN/export.csv")
t0=$(date +%s)
t_exit "po-export-parse, this host 400 days behind, takes the CSV over SFTP" 0 \
	t_clock -400d po-export-parse
t1=$(date +%s)
s1=$(seen_of 7201)
t_true "... the PO's seen time is the server's now, not this host's ($s1)" \
	"${s1:-0}" -ge $((t0 - 2)) -a "${s1:-0}" -le $((t1 + 2))

printf '%s\n' "$HDR" '7202,SKU1,5,116,1,' >"$SCRATCH/local.csv"
touch -d '20 minutes ago' "$SCRATCH/local.csv"
lmtime=$(stat -c %Y "$SCRATCH/local.csv")
t_exit "po-export-parse of a local file, this host 400 days behind" 0 \
	t_clock -400d po-export-parse "$SCRATCH/local.csv"
t_is "... the PO's seen time is the file's mtime" "$(seen_of 7202)" "$lmtime"

t_exit "receipt-export with the clock right compacts the ledger" 0 receipt-export
t_like "... a compaction happened (its header)" "$(head -n 1 "$L")" '^		[0-9]'
t_is "... and keeps both POs" \
	"$(awk -F'\t' '$1 != "" && $2 != "" { print $1 }' "$L" | sort -u | tr '\n' ' ')" "7201 7202 "

# (b) receipt-export with this host's clock ahead: polines_keep_days is
# 1, the clock 2 days ahead (within the test certificate's life)
printf '\t\t1\n' >"$SCRATCH/head" && cat "$SCRATCH/head" "$L" >"$SCRATCH/l" &&
	cp "$SCRATCH/l" "$L"		# a compaction is due
t_exit "receipt-export with this host's clock 2 days ahead" 0 t_clock +2d receipt-export
t_like "... compacts the ledger" "$(head -n 1 "$L")" '^		[0-9]'
t_is "... drops nothing" \
	"$(awk -F'\t' '$1 != "" && $2 != "" { print $1 }' "$L" | sort -u | tr '\n' ' ')" "7201 7202 "
t_is "... and says nothing" "$(t_err)" ""

# (c) a PO older than the rule by the ledger's own newest is dropped
printf '7203\t1\t1\n7203\t\t%s\n' $(( mtime - 3 * 86400 )) >>"$L"
cat "$SCRATCH/head" "$L" >"$SCRATCH/l" && cp "$SCRATCH/l" "$L"	# due
t_exit "a PO not exported for 3 days" 0 receipt-export
t_like "... is dropped" "$(t_err)" "PO 7203 dropped"
t_is "... alone" \
	"$(awk -F'\t' '$1 != "" && $2 != "" { print $1 }' "$L" | sort -u | tr '\n' ' ')" "7201 7202 "
# an old export fed again by hand is a new export: now, not its mtime
printf '%s\n' "$HDR" '7299,SKU1,5,116,1,' >"$SCRATCH/old.csv"
touch -d '40 days ago' "$SCRATCH/old.csv"
before=$(date +%s)
t_exit "po-export-parse of a local file written 40 days ago" 0 \
	po-export-parse "$SCRATCH/old.csv"
s3=$(seen_of 7299)
t_true "... the PO's seen time is when it was given, not its mtime" \
	"${s3:-0}" -ge "$before"

t_done
