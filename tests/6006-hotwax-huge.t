#!/bin/sh
# A reply larger than its call can need is refused while it arrives: each
# call has its own cap (login 64 KiB, upload 256 KiB, a performFind page
# 4 MiB, a data-manager log 4 MiB at the default batch_size), crossing it
# is exit 76 naming the URL and the cap, memory stays small, and nothing
# is lost (the batch stays in new/, the log stays open, the cursor does
# not move).  A 60 MiB performFind page used to take receipt-export to
# 1.7 GB.
. "${0%/*}/lib.sh"
. "$BED/hotwax.sh"
. "$BED/posync.sh"

[ -x /usr/bin/time ] || t_bail "/usr/bin/time is missing (apt-get install time)"
bed_po_import_seeded

huge() { # PATH-REGEX MIB [chunked [EXTRA]]
	hw_ctl POST /_sim/requests/clear >/dev/null
	_x=${4:-'{}'}
	hw_ctl POST /_sim/fault "{\"kind\":\"huge\",\"path\":\"$1\",\"mib\":$2,\"chunked\":${3:-false},\"extra\":$_x}" >/dev/null ||
		echo "# the fault was not set" >&2
}
# bytes the simulator got out before the client hung up, for PATH
sent() { hw_ctl GET /_sim/requests | hw_json "max([r.get('sent', 0) for r in d if r['path'] == '/api/$1'] or [0])"; }
rss() { tail -n 1 "$SCRATCH/rss"; }	# KiB, from /usr/bin/time
timed() { /usr/bin/time -f %M -o "$SCRATCH/rss" "$@"; }
MIB=1048576

# ---- a 60 MiB performFind page, with and without a Content-Length
for mode in false true; do
	huge performFind 60 $mode
	t_exit "receipt-export, 60 MiB page (chunked: $mode): exit 76" 76 \
		timed receipt-export </dev/null
	t_like "  naming the URL and the cap" "$(t_err)" \
		"POST ${HOTWAX_URL}performFind: the answer is larger than 4194304 bytes"
	t_true "  memory stayed small (max RSS $(rss) KiB < 100 MiB)" "$(rss)" -lt 102400
	t_true "  the body was not read to its end ($(sent performFind) bytes sent)" \
		"$(sent performFind)" -lt $((16 * MIB))
done
t_true "  no receipt file was written" -z "$(ls "$SCRATCH/spool/receipt/new" 2>/dev/null)"
t_exit "the next run, with HotWax sane again: exit 0" 0 receipt-export </dev/null

# ---- the upload's answer: the batch stays in new/
printf '[{"externalId":"1","itemExternalId":"1","productSku":"SKU-A","quantity":1,"externalFacilityId":"116"}]\n' \
	>"$SP/new/b1.json"
huge uploadJsonFile 1
t_exit "po-import, a 1 MiB upload answer: exit 76" 76 timed po-import </dev/null
t_like "  naming the URL and the cap" "$(t_err)" \
	"POST ${HOTWAX_URL}uploadJsonFile: the answer is larger than 262144 bytes"
t_true "  the batch stays in new/" -f "$SP/new/b1.json"
t_true "  and is not in cur/" ! -e "$SP/cur/b1.json"

# ---- a data-manager log: it stays open and is followed again
huge 'dataManagerLogs/.*' 8 true
t_exit "po-import, an 8 MiB log: exit 76" 76 po-import </dev/null
t_like "  naming the URL and the cap" "$(t_err)" \
	"GET ${HOTWAX_URL}dataManagerLogs/[A-Za-z0-9]+: the answer is larger than 4194304 bytes"
t_true "  the batch was accepted (in cur/ with its log id)" -f "$SP/cur/b1.logid"
t_true "  its log is not closed" ! -e "$SP/cur/b1.logdone"
t_exit "the next run follows the log to its end" 0 po-import </dev/null
t_true "  and closes it" -f "$SP/cur/b1.logdone"

# ---- a larger batch_size allows a larger log, within bounds
posync_conf -f "$SCRATCH/big.conf" hotwax.batch_size=100000
printf '[{"externalId":"2","itemExternalId":"1","productSku":"SKU-A","quantity":1,"externalFacilityId":"116"}]\n' \
	>"$SP/new/b2.json"
huge 'dataManagerLogs/.*' 7 false '{"statusId":"SERVICE_FINISHED","totalRecordCount":1,"failedRecordCount":0,"errors":[]}'
t_exit "batch_size 100000: a 7 MiB log is read (exit 0)" 0 po-import </dev/null
t_true "  and the log is closed" -f "$SP/cur/b2.logdone"
huge 'dataManagerLogs/.*' 40
printf '[{"externalId":"3","itemExternalId":"1","productSku":"SKU-A","quantity":1,"externalFacilityId":"116"}]\n' \
	>"$SP/new/b3.json"
t_exit "but never more than 32 MiB: a 40 MiB log is exit 76" 76 po-import </dev/null
t_like "  naming the cap" "$(t_err)" "larger than 33554432 bytes"

# ---- login
HW_PW=$SCRATCH/hotwax.password
( umask 077; printf 'pw-%s\n' "$(od -An -tx1 -N6 /dev/urandom | tr -d ' \n')" >"$HW_PW" )
hw_ctl POST /_sim/seed "{\"users\":[{\"username\":\"u1\",\"password\":\"$(cat "$HW_PW")\"}]}" >/dev/null
posync_conf -f "$SCRATCH/login.conf" hotwax.token_file= hotwax.username=u1 \
	"hotwax.password_file = $HW_PW"
printf '[{"externalId":"4","itemExternalId":"1","productSku":"SKU-A","quantity":1,"externalFacilityId":"116"}]\n' \
	>"$SP/new/b4.json"
huge login 1
t_exit "po-import, a 1 MiB login answer: exit 76" 76 po-import </dev/null
t_like "  naming the URL and the cap" "$(t_err)" \
	"POST ${HOTWAX_URL}login: the answer is larger than 65536 bytes"
t_true "  the batch stays in new/" -f "$SP/new/b4.json"

t_done
