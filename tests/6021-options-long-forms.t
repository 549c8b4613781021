#!/bin/sh
# Every program takes the long forms --config FILE (and --config=FILE),
# --dry-run and --verbose (receipt-push took none of them), and -n means
# the same everywhere: nothing is made, not even the spool or the lock,
# while a real run makes the spool and takes its own lock, named after
# the program whatever it was called.  No server is needed: a program
# that would go on to SFTP or HotWax stops at the config (78) after the
# spool step; what is looked at is what that step did.
. "${0%/*}/lib.sh"
. "$BED/posync.sh"

PROGS="po-export-parse po-import receipt-export receipt-push"
bed_built $PROGS
CONF=$SCRATCH/conf
SP=$SCRATCH/spool
printf '[spool]\ndir = %s\n' "$SP" >"$CONF"
chmod 600 "$CONF"
T="timeout 30"

for p in $PROGS; do
	rm -rf "$SP"
	$T "$p" --dry-run --config "$CONF" </dev/null >/dev/null 2>&1
	t_true "$p --dry-run --config FILE: the spool of FILE is not made" ! -e "$SP"
	$T "$p" -n -c "$CONF" </dev/null >/dev/null 2>&1
	t_true "... nor with -n -c FILE" ! -e "$SP"
	$T "$p" --config="$CONF" </dev/null >/dev/null 2>&1
	t_true "$p --config=FILE, a real run: the spool of FILE is made" -d "$SP/state"
	t_true "... and $p's lock taken" -f "$SP/state/$p.lock"
	rm -rf "$SP"
	ln -sf "$(command -v "$p")" "$SCRATCH/linked"
	$T "$SCRATCH/linked" --config "$CONF" </dev/null >/dev/null 2>&1
	t_true "... through a link of another name, the lock is still $p's" \
		-f "$SP/state/$p.lock"
	t_exit "$p --config with no such file: 78" 78 $T "$p" --config "$SCRATCH/nothing.conf"
	t_like "... naming it" "$(t_err)" "^$p: cannot read the configuration $SCRATCH/nothing.conf"
done

# --verbose and --dry-run do their work: po-export-parse with a local CSV
# and po-import on its spool need no server
rm -rf "$SP"
HDR=external-id,product-sku,quantity,external-facility-id,item-external-id,arrival-date
printf '%s\n' "$HDR" '9501,SKU1,2,116,1,' >"$SCRATCH/in.csv"
t_exit "po-export-parse --dry-run --verbose: exit 0" 0 \
	po-export-parse --dry-run --verbose --config "$CONF" "$SCRATCH/in.csv"
t_like "... says what it would do on stdout" "$(t_out)" "in\.csv"
t_true "... and nothing is made" ! -e "$SP"
t_exit "po-export-parse --config FILE, quiet" 0 po-export-parse --config "$CONF" "$SCRATCH/in.csv"
t_is "... says nothing on stderr" "$(t_err)" ""
t_like "... prints the batch" "$(t_out)" "^$SP/po/new/.*\.json$"
t_exit "po-import --dry-run --verbose --config FILE: exit 0" 0 \
	po-import --dry-run --verbose --config "$CONF" </dev/null
t_like "... lists the batch it would upload" "$(t_out)" "^$SP/po/new/.*\.json$"
t_like "... --verbose: progress on stderr" "$(t_err)" "^po-import: "
t_true "... the batch stays in new/" "$(ls "$SP/po/new" | wc -l)" -eq 1
t_done
