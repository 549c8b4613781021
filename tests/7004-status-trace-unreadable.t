#!/bin/sh
# 7004-status-trace-unreadable -- posync-status PO... when a batch or a
# receipt file of the spool cannot be read: said, the facts it holds
# missing, so the exit is 3 (UNKNOWN, as for an unreadable po/raw CSV),
# never 0 ("every PO traced") and never "posync never saw it" for a PO
# found nowhere else.  As root, whom chmod does not stop, strace(1) makes
# the open fail.
. "${0%/*}/lib.sh"
. "$BED/posync.sh"

bed_need po-export-parse posync-status
[ "$(id -u)" = 0 ] && t_need_strace
posync_conf
SP=$SCRATCH/spool
A=9701 R=9799

# unreadable FILE CMD... -- CMD with FILE unreadable
unreadable() {
	_f=$1; shift
	if [ "$(id -u)" = 0 ]; then
		strace -f -o /dev/null -P "$_f" -e trace=open,openat \
			-e inject=open,openat:error=EACCES "$@"
	else
		chmod 000 "$_f"; "$@"; _s=$?; chmod 644 "$_f"; return $_s
	fi
}
facts() { t_out | awk -F '\t' 'NR > 1 { print $2 }' | sort -u | tr '\n' ' '; }

printf '%s\n' "$HDR" "$A,SKU-A,5,116,1," >"$SCRATCH/a.csv"
t_ok "po-export-parse makes a batch" po-export-parse "$SCRATCH/a.csv"
batch=$(ls "$SP"/po/new/*.json)
mkdir -p "$SP/receipt/new"
rf=$SP/receipt/new/posync_PurchaseOrderReceiptFeed_2026-11-27-10_00_01_000.json
printf '[{"order_id": "%s", "items": [{"line_id": "1", "quantity": 2}]}, {"order_id": "%s", "items": [{"line_id": "1", "quantity": 1}]}]\n' \
	"$A" "$R" >"$rf"

t_exit "every file readable: 0" 0 posync-status -t "$A" "$R"
t_is "... A's batch, ledger and receipt; R's receipt" "$(facts)" "batch ordered receipt "

t_exit "A's batch unreadable: 3" 3 unreadable "$batch" posync-status -t "$A"
t_like "... said, naming it" "$(t_err)" "cannot read $batch"
t_is "... the facts that could be read" "$(facts)" "ordered receipt "

t_exit "the receipt file unreadable, R only in it: 3" 3 unreadable "$rf" posync-status -t "$R"
t_like "... said, naming it" "$(t_err)" "cannot read $rf"
t_like "... R not found in what could be read" "$(t_err)" "PO \"?$R\"?: not found in what could be read of "
t_is "... never \"never saw it\"" "$(t_err | grep -c 'never saw')" 0
t_exit "a PO no readable file names, all readable: 1, never saw" 1 posync-status -t 1234
t_like "... said" "$(t_err)" 'PO "?1234"?: posync never saw it'
t_done
