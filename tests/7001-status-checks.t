#!/bin/sh
# 7001-status-checks -- every check of posync-status, OK and not OK, on a
# spool the real po-export-parse made (a local CSV: no server), with
# hand-made files for what only time or a server makes (a success hours
# ago, a published file NetSuite has not read, an old cursor, NetSuite's
# error CSV).  The exit status is Nagios': the worst check's.
. "${0%/*}/lib.sh"
. "$BED/posync.sh"

bed_need po-export-parse posync-status
posync_conf
SP=$SCRATCH/spool
ST=$SP/state
now=$(date +%s)

# line CHECK -- the line of CHECK in the last output
line() { t_out | grep "^$1 " ; }
# ago SECONDS -- the epoch that long ago
ago() { echo $((now - $1)); }
# metrics PROG SUCCESS -- PROG's state file, as prog_finish writes it,
# its last run and success SUCCESS (a run hours ago cannot be waited for)
metrics() {
	printf '# posync notes v1\nstart %s\nend %s\nsuccess %s\nduration_ms 5\nexit 0\n' \
		"$2" "$2" "$2" >"$ST/$1.metrics"
}

# --- nothing to read ------------------------------------------------------

t_exit "a spool not made yet: 3 UNKNOWN" 3 posync-status
t_like "... said on the Nagios first line" "$(t_out)" '^POSYNC UNKNOWN - '
t_like "... and why on stderr" "$(t_err)" 'spool.s state folder'
t_exit "a configuration that does not load: 3" 3 posync-status -c "$SCRATCH/none.conf"
t_like "... POSYNC UNKNOWN" "$(t_out)" '^POSYNC UNKNOWN - '
posync_conf -f "$SCRATCH/bad.conf" status.inbound_warn=20000
POSYNC_CONFIG=$SCRATCH/posync.conf	# posync_conf -f set it to the new file
t_exit "a warning after its critical: 3" 3 posync-status -c "$SCRATCH/bad.conf"
t_like "... named" "$(t_err)" 'inbound_warn \(20000 s\) is longer than \[status\] inbound_crit'
t_exit "a bad command line: 3, Nagios' UNKNOWN" 3 posync-status --no-such
t_exit "--help" 0 posync-status --help
t_like "... -t is the trace tab-separated rather than aligned" "$(t_out)" '\-\-tab +the trace tab-separated rather than aligned$'

# --- a spool the real po-export-parse made ---------------------------------

printf '%s\n' "$HDR" '9701,SKU-A,5,116,1,' '9701,SKU-B,x,116,2,' '9702,SKU-C,1,116,1,' >"$SCRATCH/a.csv"
t_exit "po-export-parse takes a local CSV, one row rejected: 65" 65 po-export-parse "$SCRATCH/a.csv"
# a batch's time is NetSuite's export, by the SFTP server's clock: ~2 h ago
touch -d @"$(ago 7000)" "$SP"/po/new/*.json
ls -lR --time-style=full-iso "$SP" >"$SCRATCH/before"
t_exit "three programs never ran, a batch waits 2 h, a reject: WARNING" 1 posync-status
t_like "the first line names the warnings" "$(t_out | head -n 1)" \
	'^POSYNC WARNING - po-import, receipt-export, receipt-push, po/new, rejects \|'
t_like "po-export-parse succeeded just now" "$(line po-export-parse)" '^po-export-parse OK: last success [0-9]+s ago$'
t_is "po-import never ran: a warning, not a crash" "$(line po-import)" "po-import WARNING: never run on this spool"
t_like "po/new: the batch waited since NetSuite's export" "$(line po/new)" '^po/new WARNING: 1 waiting, the oldest for 1h5[0-9]m$'
t_like "rejects: the one row" "$(line rejects)" '^rejects WARNING: 1 rejected row\(s\) in 1 file\(s\) of po/rejects not yet seen'
t_is "po/failed is empty" "$(line po/failed)" "po/failed OK: empty"
t_is "excess: nothing" "$(line excess)" "excess OK: nothing new"
t_is "netsuite-errors: nothing" "$(line netsuite-errors)" "netsuite-errors OK: nothing new"
t_is "receipt/new is empty" "$(line receipt/new)" "receipt/new OK: empty"
t_is "receipt/failed is empty" "$(line receipt/failed)" "receipt/failed OK: empty"
t_is "unread: nothing published" "$(line unread)" "unread OK: NetSuite had read every receipt file"
t_is "cursor: nothing exported" "$(line cursor)" "cursor OK: no receipt exported yet"
t_is "thirteen checks, a line each after the first" "$(t_out | wc -l)" 14
t_like "perfdata: the batch's age with its thresholds" "$(t_out | head -n 1)" ' po_new_oldest=[0-9]+s;3600;14400;0( |$)'
t_like "perfdata: po/failed critical above 0 (Nagios' range 0)" "$(t_out | head -n 1)" ' po_failed=0;;0;0( |$)'
t_like "perfdata: unseen rejects warn above 0" "$(t_out | head -n 1)" ' rejects_unseen=1;0;;0( |$)'
t_like "perfdata: unseen NetSuite errors critical above 0" "$(t_out | head -n 1)" ' netsuite_errors_unseen=0;;0;0( |$)'
t_is "nothing on stderr" "$(t_err)" ""
ls -lR --time-style=full-iso "$SP" >"$SCRATCH/after"
t_ok "posync-status changed nothing in the spool (no lock, no file)" cmp "$SCRATCH/before" "$SCRATCH/after"

touch -d @"$(ago 20000)" "$SP"/po/new/*.json
t_exit "a batch waiting 5.5 h: CRITICAL" 2 posync-status
t_like "... po/new CRITICAL" "$(line po/new)" '^po/new CRITICAL: 1 waiting'
t_like "... first on the first line" "$(t_out | head -n 1)" '^POSYNC CRITICAL - po/new \|'
rm -f "$SP"/po/new/*

# --- the last success of each program ------------------------------------

metrics po-import "$(ago 60)"
metrics receipt-export "$(ago 4000)"
metrics receipt-push "$(ago 15000)"
posync-status >"$SCRATCH/out" 2>&1; s=$?
t_is "receipt-push 4 h ago: CRITICAL" "$s" 2
t_like "po-import a minute ago: OK" "$(grep '^po-import ' "$SCRATCH/out")" '^po-import OK: last success 1m ago$'
t_like "receipt-export 1 h 6 m ago: WARNING" "$(grep '^receipt-export ' "$SCRATCH/out")" '^receipt-export WARNING: last success 1h6m ago$'
t_like "receipt-push 4 h 10 m ago: CRITICAL" "$(grep '^receipt-push ' "$SCRATCH/out")" '^receipt-push CRITICAL: last success 4h10m ago$'
printf '# posync notes v1\nstart %s\nend %s\nsuccess 0\nexit 69\n' "$now" "$now" >"$ST/receipt-push.metrics"
t_exit "a program that never succeeded: WARNING" 1 posync-status
t_is "... with its last exit" "$(line receipt-push)" "receipt-push WARNING: never succeeded; last run exit 69"
posync_conf -f "$SCRATCH/wide.conf" status.outbound_warn=5000
POSYNC_CONFIG=$SCRATCH/posync.conf
metrics receipt-push "$(ago 60)"
t_exit "outbound_warn at 5000 s: receipt-export's 4000 s is OK" 1 posync-status -c "$SCRATCH/wide.conf"
t_like "... receipt-export OK" "$(line receipt-export)" '^receipt-export OK: '
metrics receipt-export "$(ago 60)"

# --- rows a person must see: --seen ---------------------------------------

t_exit "the reject is still reported" 1 posync-status
t_exit "-n --seen: WARNING no more, marked only in words" 0 posync-status -n --seen
t_like "... says it would mark the row" "$(line rejects)" '^rejects OK: 1 rejected row\(s\) .* would be marked seen$'
t_true "... and writes nothing" ! -e "$ST/posync-status.seen"
t_exit "--seen with a PO: 3, a bad command line" 3 posync-status --seen 9701
t_like "... said" "$(t_err)" '^posync-status: --seen takes no PO'
t_true "... nothing marked" ! -e "$ST/posync-status.seen"
t_exit "--seen: 0" 0 posync-status --seen
t_like "... says it marked the row" "$(line rejects)" '^rejects OK: 1 rejected row\(s\) .* marked seen$'
t_true "... in state/posync-status.seen" -s "$ST/posync-status.seen"
t_exit "then all is OK" 0 posync-status
t_like "... POSYNC OK" "$(t_out | head -n 1)" '^POSYNC OK - 13 checks OK \|'
t_is "... the reject seen" "$(line rejects)" "rejects OK: nothing new"

printf '%s\n' "$HDR" '9703,SKU-D,-2,116,1,' '9703,SKU-E,y,116,2,' >"$SCRATCH/b.csv"
t_exit "a second CSV with two rejected rows" 65 po-export-parse "$SCRATCH/b.csv"
t_exit "only its two rows are new: WARNING" 1 posync-status
t_like "... two rows, one file" "$(line rejects)" '^rejects WARNING: 2 rejected row\(s\) in 1 file\(s\) '
posync-status --seen >/dev/null

R=$SP/receipt
printf 'order_id,line_id,quantity,receipt_ids\n9701,1,2,R1\n' >"$R/excess.csv"
t_exit "an excess row: WARNING" 1 posync-status
t_like "... named" "$(line excess)" '^excess WARNING: 1 excess row\(s\) in 1 file\(s\) of receipt/excess.csv '
posync-status --seen >/dev/null
t_exit "seen: OK" 0 posync-status
printf '9702,1,1,"R2,R3"\n' >>"$R/excess.csv"
t_exit "a row added later: WARNING again" 1 posync-status
t_like "... the one new row" "$(line excess)" '^excess WARNING: 1 excess row'
posync-status --seen >/dev/null

printf 'orderId,errorMessage\n9701,"line 1: quantity 3 is more than the 2 left, ""really"""\n' >"$R/errors/e1.csv"
t_exit "a NetSuite error CSV: CRITICAL" 2 posync-status
t_like "... named" "$(line netsuite-errors)" '^netsuite-errors CRITICAL: 1 NetSuite error row\(s\) in 1 file\(s\) of receipt/errors'
posync-status --seen >/dev/null
t_exit "seen: OK" 0 posync-status

# --- po/failed -------------------------------------------------------------

esc=$(printf '\033')
printf '[]\n' >"$SP/po/failed/x${esc}[31m.json"
printf 'HotWax refused it\n' >"$SP/po/failed/x${esc}[31m.json.err"
t_exit "a batch in po/failed: CRITICAL" 2 posync-status
t_like "... named, its .err pointed at" "$(line po/failed)" '^po/failed CRITICAL: 1 file\(s\) HotWax could not take, first x\\x1b\[31m.json: read its .err'
t_true "no escape byte reaches the terminal" "$(t_out | tr -d '\n' | grep -c "$esc")" -eq 0
rm -f "$SP"/po/failed/*
printf '[]\n' >"$SP/po/failed/b.rows.json"
t_exit "rows HotWax failed (a .rows.json) in po/failed: CRITICAL" 2 posync-status
t_like "... counted, as the metrics count po/failed" "$(t_out | head -n 1)" ' po_failed=1;;0;0( |$)'
rm -f "$SP"/po/failed/*

# --- receipt/failed ----------------------------------------------------------

RF=posync_PurchaseOrderReceiptFeed_2026-11-30-10_00_00_000.json
printf '[]\n' >"$SP/receipt/failed/$RF"
printf 'cannot be published\n' >"$SP/receipt/failed/$RF.err"
t_exit "a receipt file in receipt/failed: CRITICAL, as po/failed" 2 posync-status
t_like "... named, its .err pointed at" "$(line receipt/failed)" "^receipt/failed CRITICAL: 1 file\\(s\\) that can never be published, first $RF: read its .err"
t_like "... perfdata critical above 0" "$(t_out | head -n 1)" ' receipt_failed=1;;0;0( |$)'
rm -f "$SP"/receipt/failed/*

# --- a queue folder that cannot be read is no empty queue --------------------

mv "$SP/po/new" "$SCRATCH/new.away"; printf 'x' >"$SP/po/new"
t_exit "po/new cannot be read: its check UNKNOWN, the rest OK: 3" 3 posync-status
t_is "... not \"empty\"" "$(line po/new)" "po/new UNKNOWN: cannot be read (said on stderr)"
t_like "... said" "$(t_err)" "cannot read the queue folder $SP/po/new"
t_true "... and no perfdata for it" "$(t_out | head -n 1 | grep -c po_new_oldest)" -eq 0
rm "$SP/po/new"; mv "$SCRATCH/new.away" "$SP/po/new"

# --- a published file NetSuite has not read --------------------------------

F=posync_PurchaseOrderReceiptFeed_2026-12-01-10_00_00_000.json
printf '# posync notes v1\n%s %s\n' "$F" "$(ago 600)" >"$ST/receipt-push.unread"
t_exit "unread 10 minutes: OK" 0 posync-status
t_like "... named, with its age" "$(line unread)" "^unread OK: 1 receipt file\\(s\\) not read by NetSuite, $F for 10m\$"
printf '# posync notes v1\n%s %s\nlater.json %s\n' "$F" "$(ago 5400)" "$(ago 100)" >"$ST/receipt-push.unread"
t_exit "unread 1.5 h: WARNING" 1 posync-status
t_like "... the oldest of two" "$(line unread)" "^unread WARNING: 2 receipt file\\(s\\) not read by NetSuite, $F for 1h30m\$"
printf '# posync notes v1\n%s %s\n' "$F" "$(ago 7300)" >"$ST/receipt-push.unread"
t_exit "unread past receipt_stale_after: CRITICAL" 2 posync-status
t_like "... unread CRITICAL" "$(line unread)" '^unread CRITICAL: '
rm "$ST/receipt-push.unread"; mkdir "$ST/receipt-push.unread"
t_exit "receipt-push's notes unreadable: UNKNOWN, the worst of the rest OK" 3 posync-status
t_like "... said" "$(line unread)" '^unread UNKNOWN: '
rmdir "$ST/receipt-push.unread"
# receipt_stale_after shorter than unread_warn (receipt-push takes it):
# monitoring goes on, warning from receipt_stale_after, said under -v
posync_conf -f "$SCRATCH/stale.conf" netsuite.receipt_stale_after=1800
POSYNC_CONFIG=$SCRATCH/posync.conf
printf '# posync notes v1\n%s %s\n' "$F" "$(ago 1900)" >"$ST/receipt-push.unread"
t_exit "receipt_stale_after 1800 < unread_warn 3600: not refused, unread 32 m CRITICAL" 2 posync-status -v -c "$SCRATCH/stale.conf"
t_like "... unread CRITICAL" "$(line unread)" '^unread CRITICAL: '
t_like "... its perfdata's warning is the critical" "$(t_out | head -n 1)" ' unread_age=[0-9]+s;1800;1800;0( |$)'
t_like "... said under -v" "$(t_err)" 'unread_warn \(3600 s\) is longer than \[netsuite\] receipt_stale_after \(1800 s\): unread warns from 1800 s'
posync_conf -f "$SCRATCH/stale0.conf" netsuite.receipt_stale_after=0
POSYNC_CONFIG=$SCRATCH/posync.conf
t_exit "receipt_stale_after 0: not refused either" 2 posync-status -c "$SCRATCH/stale0.conf"
t_is "... nothing said without -v" "$(t_err)" ""
rm "$ST/receipt-push.unread"

# --- the receipt cursor ------------------------------------------------------

rx() { printf 'posync receipt-export state 1\ncursor\t%s000\nlast\t%s000\n' "$1" "$1" >"$ST/receipt-export.state"; }
rx "$(ago 3600)"
t_exit "a cursor an hour old: OK" 0 posync-status
t_like "... its age" "$(line cursor)" '^cursor OK: newest receipt exported was made 1h0m ago$'
rx "$(ago 200000)"
t_exit "2.3 days: WARNING" 1 posync-status
t_like "... cursor WARNING" "$(line cursor)" '^cursor WARNING: newest receipt exported was made 2d7h ago$'
rx "$(ago 700000)"
t_exit "8 days: CRITICAL" 2 posync-status
printf 'not a state\n' >"$ST/receipt-export.state"
t_exit "a state that does not parse: its check UNKNOWN" 3 posync-status
t_like "... cursor UNKNOWN" "$(line cursor)" '^cursor UNKNOWN: '
rx "$(ago 60)"

# --- --seen that cannot record ----------------------------------------------

# Root writes through modes: it runs without that power (setpriv).
nodac() {
	if [ "$(id -u)" = 0 ]; then
		setpriv --bounding-set=-dac_override,-dac_read_search "$@"
	else "$@"; fi
}
printf '9703,1,1,R4\n' >>"$R/excess.csv"
chmod 0555 "$ST"
t_exit "--seen whose state cannot be written: the worst check, WARNING" 1 nodac posync-status --seen
chmod 0755 "$ST"
t_like "... the first line says so, never OK" "$(t_out | head -n 1)" '^POSYNC WARNING - excess \|'
t_like "... the row kept at its unseen status" "$(line excess)" '^excess WARNING: 1 excess row\(s\) .* not yet seen'
t_is "... and a check says the record failed" "$(line seen)" "seen UNKNOWN: could not record (said on stderr)"
t_like "... why on stderr" "$(t_err)" "$ST/posync-status.seen"
posync-status --seen >/dev/null
t_exit "recorded once it can be: OK" 0 posync-status

# --- the worst wins, and the skeleton's own failures ------------------------

t_exit "all well again: 0" 0 posync-status
t_exit "stdout that cannot be written: 3" 3 sh -c "posync-status >/dev/full"
printf '[]\n' >"$SP/po/failed/y.json"
printf '# posync notes v1\n%s %s\n' "$F" "$(ago 5400)" >"$ST/receipt-push.unread"
t_exit "a CRITICAL and a WARNING: 2" 2 posync-status
t_like "... the first line names the critical only" "$(t_out | head -n 1)" '^POSYNC CRITICAL - po/failed \|'
t_done
