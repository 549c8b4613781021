# tests/bed/po-lib.sh -- helpers for po-import's tests (the 2xxx files).
# Source after lib.sh and hotwax.sh (bed.sh does).  SP is the spool's po
# area ($SCRATCH/spool/po, as bed_po_import_seeded sets it).
#
#   pi [ARG...]         po-import ARGs, stdin closed
#   row PO QTY          one batch row: PO's line 1, SKU-A, at location 116
#   mk NAME AGE PO=QTY...  SP/new/NAME.json of those rows, AGE seconds old
#   qty PO              the quantities of PO's lines in HotWax, comma-separated
#   uploads             how many uploadJsonFile calls HotWax has answered
#   clearreq            HotWax forgets the calls it saw
#   process             HotWax processes every log it holds now
#   hold true|false     HotWax holds the logs of uploads (or lets them go)
#   hw_lines FIELD...   HotWax's PO lines as "F1:F2...", sorted, space-
#                       separated; a FIELD is po, line, product or qty
#   waiting             the batches in SP/new, space-separated
#   nfailed             how many files SP/failed holds
#   uploaded            the batches the last `po-import -v` uploaded (its
#                       stderr, as t_err), in order, space-separated
# A test that needs another form of one defines its own after sourcing.

pi() { po-import "$@" </dev/null; }

row() { printf '{"externalId":"%s","itemExternalId":"1","productSku":"SKU-A","quantity":%s,"externalFacilityId":"116"}' "$1" "$2"; }

mk() {
	_n=$1 _age=$2; shift 2; _s='['; _sep=
	for _pq in "$@"; do _s="$_s$_sep$(row "${_pq%=*}" "${_pq#*=}")"; _sep=,; done
	printf '%s]\n' "$_s" >"$SP/new/$_n.json"
	touch -d "@$(( $(date +%s) - _age ))" "$SP/new/$_n.json"
}

qty() {
	hw_ctl GET /_sim/state | hw_json "','.join(str(i['quantity']) for o in d['orders'] if o['externalId'] == '$1' for i in o['items'])"
}

uploads() {
	hw_ctl GET /_sim/requests | hw_json "sum(1 for r in d if r['method'] == 'POST' and r['path'] == '/api/uploadJsonFile')"
}

clearreq() { hw_ctl POST /_sim/requests/clear >/dev/null; }

process() { hw_ctl POST /_sim/process >/dev/null; }

hold() { hw_ctl POST /_sim/config "{\"hold_processing\":$1}" >/dev/null; }

uploaded() {
	t_err | sed -n 's|^.*uploading .*/\([^/ ]*\) (.*|\1|p' | tr '\n' ' ' | sed 's/ $//'
}

hw_lines() {
	hw_ctl GET /_sim/state | hw_json "' '.join(sorted(':'.join('%s' % {'po': lambda: o['externalId'], 'line': lambda: i['externalId'], 'product': lambda: i['productId'], 'qty': lambda: i['quantity']}[f]() for f in '$*'.split()) for o in d['orders'] for i in o['items']))"
}

waiting() { ls "$SP/new" | tr '\n' ' '; }

nfailed() { ls "$SP/failed" 2>/dev/null | grep -c .; }
