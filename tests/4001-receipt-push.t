#!/bin/sh
# receipt-push against a real sshd and the NetSuite simulator: publishing
# in order, one file at a time while NetSuite is behind, never twice,
# staging leftovers, a stale receipt folder, an unreachable server, and
# NetSuite's error CSVs.  Receipt files are written by hand in the spool,
# named as receipt-export names them.
. "${0%/*}/lib.sh"
. "$BED/sshd.sh"
. "$BED/posync.sh"

bed_receipt_push
conf() { posync_conf "$@"; }
SP=$SCRATCH/spool/receipt
mkdir -p "$SP/new" "$SP/cur"
paths() { PO=$SFTP_BASE/purchaseorder; R=$PO/receipt; STG=$PO/receipt-staging; }
paths
NS() { python3 "$BED/netsuite-sim.py" --state "$SCRATCH/ns.json" "$@"; }
cat >"$SCRATCH/pos.json" <<'J'
[{"id": "1001", "facility": "116", "arrival": "", "lines": [
  {"line_id": "1", "sku": "A", "quantity": 100},
  {"line_id": "2", "sku": "B", "quantity": 100}]}]
J
NS load "$SCRATCH/pos.json" || { echo "Bail out! netsuite-sim load failed"; exit 1; }

# mk N -- a receipt file in the spool, made at second N of the day
mk() {
	_n=posync_PurchaseOrderReceiptFeed_2026-11-27-10_00_$(printf %02d "$1")_000.json
	printf '[{"order_id": "1001", "items": [{"line_id": "1", "quantity": 1}, {"line_id": "2", "quantity": 0}]}]\n' \
		>"$SP/new/$_n"
	echo "$_n"
}
# posync files now in the receipt folder, one line
in_r() { (cd "$R" && ls -1 | grep '^posync_.*\.json$' | tr '\n' ' '); }
quiet() { # DESC -- the last t_ok printed nothing at all
	t_is "$1" "$(t_out; t_err)" ""
}

t_ok "-V" receipt-push -V
t_is "... names the program and version" "$(t_out)" "receipt-push posync $(sed -n 's/^VERSION *= *//p' "$TOP/Makefile")"
t_ok "-h" receipt-push -h
t_like "... usage and the exit table on stdout" "$(t_out)" "^usage: receipt-push "
t_like "... with the exit table" "$(t_out)" "75 +busy"
t_exit "a bad option: 64" 64 receipt-push --bogus
t_like "... usage on stderr" "$(t_err)" "usage: receipt-push"

A=$(mk 1)
mkdir -p "$SCRATCH/spool/state"
t_exit "another copy running: 75" 75 flock "$SCRATCH/spool/state/receipt-push.lock" receipt-push
t_true "... nothing published" -f "$SP/new/$A"
t_ok "publish one file" receipt-push
quiet "... silently"
t_is "it is in receipt/" "$(in_r)" "$A "
t_ok "... whole" cmp "$R/$A" "$SP/cur/$A"
t_true "the spool file moved to cur/" ! -e "$SP/new/$A" -a -f "$SP/cur/$A"
t_is "staging is empty" "$(ls -A "$STG")" ""
t_ok "a second run with nothing new" receipt-push
quiet "... publishes nothing and prints nothing"
t_is "receipt/ unchanged" "$(in_r)" "$A "

# Two files wait while A is unread: nothing goes out; then one at a time.
B=$(mk 2) C=$(mk 3)
t_ok "B and C wait while A is unread" receipt-push
quiet "... quietly"
t_is "... only A in receipt/" "$(in_r)" "$A "
t_true "... B and C still in new/" -f "$SP/new/$B" -a -f "$SP/new/$C"
t_ok "NetSuite reads A" NS import
t_is "... receipt/ is empty" "$(in_r)" ""
t_ok "the next run publishes B" receipt-push
t_is "... only B" "$(in_r)" "$B "
t_ok "and holds C" receipt-push
t_is "... still only B" "$(in_r)" "$B "
t_true "... C in new/" -f "$SP/new/$C"
NS import >/dev/null
t_ok "after NetSuite reads B, C goes" receipt-push
t_is "... only C" "$(in_r)" "$C "
t_ok "... whole" cmp "$R/$C" "$SP/cur/$C"
NS import >/dev/null
t_is "NetSuite received line 1 three times, once per file" "$(NS received 1001 1)" 3

# A file already in the archive was published before a crash: not again.
D=$(mk 4)
cp "$SP/new/$D" "$R/archive/$D"
t_ok "a file already in receipt/archive" receipt-push
t_is "... is not sent again" "$(in_r)" ""
t_true "... and moves to cur/" ! -e "$SP/new/$D" -a -f "$SP/cur/$D"
# ... or still in receipt/ (crash between the rename and the spool move)
E=$(mk 5)
cp "$SP/new/$E" "$R/$E"
t_ok "a file already in receipt/" receipt-push
t_is "... is there once" "$(in_r)" "$E "
t_true "... and moves to cur/" ! -e "$SP/new/$E" -a -f "$SP/cur/$E"
NS import >/dev/null

# Leftovers of a crash in staging are removed.
F=$(mk 6)
mkdir -p "$STG"
head -c 100 "$SP/new/$F" >"$STG/$F"
head -c 10 "$SP/new/$F" >"$STG/posync_PurchaseOrderReceiptFeed_2026-01-01-00_00_00_000.json"
t_ok "with leftovers in staging" receipt-push
t_is "... staging is emptied" "$(ls -A "$STG")" ""
t_ok "... and the file is published whole" cmp "$R/$F" "$SP/cur/$F"

# A file NetSuite has not read for longer than receipt_stale_after.
G=$(mk 7)
touch -d '2 hours ago' "$R/$F" "$SP/cur/$F"	# published 2 h ago: cur/ keeps when
conf netsuite.receipt_stale_after=60
t_exit "a stale receipt folder: exit 75" 75 receipt-push
t_like "... saying NetSuite stopped reading, naming the file" "$(t_err)" \
	"receipt/$F.*stopped reading"
t_true "... G stays in new/" -f "$SP/new/$G"
t_is "... receipt/ unchanged" "$(in_r)" "$F "
NS import >/dev/null
t_ok "once NetSuite reads again" receipt-push
t_is "... G goes" "$(in_r)" "$G "
NS import >/dev/null
conf

# Files named on the command line: older spool files first; a file from
# elsewhere is copied into the spool to be tracked.
H=$(mk 8)
J=posync_PurchaseOrderReceiptFeed_2026-11-27-10_00_09_000.json
mkdir -p "$SCRATCH/elsewhere"
cp "$SP/new/$H" "$SCRATCH/elsewhere/$J"
t_ok "a file named on the command line" receipt-push "$SCRATCH/elsewhere/$J"
t_is "... the older spool file goes first" "$(in_r)" "$H "
t_ok "... the named file was copied into new/" cmp "$SCRATCH/elsewhere/$J" "$SP/new/$J"
NS import >/dev/null
t_ok "the next run" receipt-push
t_is "... publishes it" "$(in_r)" "$J "
NS import >/dev/null
cp "$SP/cur/$J" "$SCRATCH/elsewhere/-x.json"
t_exit "a name that is not a plain file name is refused" 65 \
	receipt-push -- "$SCRATCH/elsewhere/-x.json"
t_like "... saying why" "$(t_err)" "-x\.json\": not published"
t_true "... not copied" ! -e "$SP/new/-x.json"
t_ok "a named file already published" receipt-push "$SP/new/$J"
quiet "... is quietly skipped"
t_is "... receipt/ stays empty" "$(in_r)" ""

# -n says what it would do and does nothing.
K=$(mk 10)
t_ok "-n" receipt-push -n
t_like "... says it would publish K" "$(t_out)" "would publish .*$K"
t_is "... publishes nothing" "$(in_r)" ""
t_true "... K stays in new/" -f "$SP/new/$K"

# The server down: files are kept; after a restart one publication.
sshd_stop
t_exit "sshd stopped: exit 69" 69 receipt-push
t_like "... saying the files are kept" "$(t_err)" "kept in .*new"
t_true "... K still in new/" -f "$SP/new/$K"
sshd_start || { echo "Bail out! sshd_start failed"; exit 1; }
paths
conf
t_ok "sshd back (new port, config rewritten)" receipt-push
t_is "... K published once" "$(in_r)" "$K "
t_ok "... whole" cmp "$R/$K" "$SP/cur/$K"

# NetSuite's error CSVs: reported once, with PO id and message, copied.
EC="$K-error.csv"
printf 'orderId,errorMessage\n1001,"line 9 is not open, see the PO"\n2002,closed\n' >"$R/error/$EC"
t_exit "an error CSV from NetSuite is reported" 65 receipt-push
t_like "... with PO 1001 and its message" "$(t_err)" "PO \"1001\": \"line 9 is not open, see the PO\""
t_like "... and PO 2002" "$(t_err)" "PO \"2002\": \"closed\""
t_ok "... copied into the spool" cmp "$R/error/$EC" "$SP/errors/$EC"
t_ok "the next run" receipt-push
quiet "... does not report it again"
printf 'orderId,errorMessage\n3003,unknown line\n' >"$R/error/second-error.csv"
t_exit "a second error CSV" 65 receipt-push
t_like "... is reported" "$(t_err)" "PO \"3003\": \"unknown line\""
t_true "... alone" "$(t_err | grep -c 'PO ')" = 1

t_done
