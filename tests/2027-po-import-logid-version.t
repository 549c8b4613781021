#!/bin/sh
# STEM.logid carries a version line (issue 10: state files say their
# format), at byte 160, between the log id's room and the "made" line:
# the id line is still the first, the "made" line still the last and at
# byte 192, the file still 256 bytes.  A .logid left by the previous
# release (no version line: the id's '\n's run to byte 192) is read as
# before: its log is followed, its placeholder uploaded once.
. "${0%/*}/lib.sh"
. "$BED/hotwax.sh"
. "$BED/posync.sh"

bed_po_import_seeded
posync_conf hotwax.log_wait=1

pi() { po-import "$@" </dev/null; }
row() {
	printf '{"externalId":"%s","itemExternalId":"1","productSku":"SKU-A","quantity":%s,"externalFacilityId":"116"}' "$1" "${2:-1}"
}
uploads() {
	hw_ctl GET /_sim/requests | hw_json "sum(1 for r in d if r['method'] == 'POST' and r['path'] == '/api/uploadJsonFile')"
}
clearreq() { hw_ctl POST /_sim/requests/clear >/dev/null; }
# old_logid FILE FIRSTLINE: the previous release's layout, 256 bytes
old_logid() {
	python3 -c "
import sys
first = sys.argv[2].encode()
pad = b' ' if first.startswith(b'(') else b'\n'
b = first + pad * (191 - len(first)) + b'\n'
b += b'made 1700000000.000000001'.ljust(63) + b'\n'
open(sys.argv[1], 'wb').write(b)" "$1" "$2"
}

# ---- a new .logid
printf '[%s]\n' "$(row 9501)" >"$SP/new/v1.json"
t_exit "v1 uploaded" 0 pi
L=$SP/cur/v1.logid
t_is "the .logid is 256 bytes" "$(wc -c <"$L" | tr -d ' ')" 256
t_like "its first line is the log id" "$(head -n 1 "$L")" "^DM-?[0-9]+$"
t_is "its version line starts at byte 160" \
	"$(dd if="$L" bs=1 skip=160 count=17 2>/dev/null)" "# posync logid v1"
t_is "... once" "$(grep -c '^# posync logid v1 *$' "$L")" 1
t_like "its last line is the made line, at byte 192" \
	"$(dd if="$L" bs=1 skip=192 2>/dev/null)" "^made [0-9]+\.[0-9]{9} *$"
id=$(head -n 1 "$L")

# ---- the previous release's .logid of an open log: followed
rm -f "$SP/cur/v1.logdone"
old_logid "$L" "$id"
t_like "an old .logid (no version line)" "$(head -n 1 "$L")" "^DM-?[0-9]+$"
clearreq
t_exit "its log is followed: exit 0" 0 pi
t_is "... quietly" "$(t_err)" ""
t_true "... to the end" -f "$SP/cur/v1.logdone"
t_is "... not uploaded again" "$(uploads)" 0

# ---- the previous release's placeholder beside a batch in new/
printf '[%s]\n' "$(row 9502)" >"$SP/new/v2.json"
old_logid "$SP/cur/v2.logid" "(upload not confirmed by HotWax)"
clearreq
t_exit "an old placeholder beside v2 in new/: uploaded, exit 0" 0 pi
t_is "... once" "$(uploads)" 1
t_true "v2 is in cur/" -f "$SP/cur/v2.json"
t_like "with its log id" "$(head -n 1 "$SP/cur/v2.logid")" "^DM-?[0-9]+$"
t_is "... and the version line now" \
	"$(dd if="$SP/cur/v2.logid" bs=1 skip=160 count=17 2>/dev/null)" "# posync logid v1"
t_done
