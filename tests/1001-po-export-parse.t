#!/bin/sh
# po-export-parse against a real sshd and the NetSuite simulator's export:
# batches hold exactly the expected PO lines, the remote file is archived,
# stdout is the batch paths, a second run does nothing, -n changes
# nothing, and the same file given locally makes the same batches.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_sshd
posync_conf
PO=$SFTP_BASE/purchaseorder
SP=$SCRATCH/spool
ns() { "$BED/netsuite-sim.py" --state "$SCRATCH/ns.json" "$@"; }

lsnew() { ls "$SP/po/new" 2>/dev/null; }

cat >"$SCRATCH/pos.json" <<'EOF'
[{"id": "12009298", "facility": "116", "arrival": "12/24/2026",
  "lines": [{"line_id": "1", "sku": "26897", "quantity": "11"},
            {"line_id": "2", "sku": "Box, small, red", "quantity": "2.5"},
            {"line_id": "3", "sku": "12\" Pan", "quantity": 3}]},
 {"id": "12009300", "facility": "117", "arrival": "",
  "lines": [{"line_id": "1", "sku": "Café ☕", "quantity": "4"},
            {"line_id": "7", "sku": "X2", "quantity": "0.3"}]},
 {"id": "12009301", "facility": "116", "arrival": "01/05/2027",
  "lines": [{"line_id": "1", "sku": "\"Quoted\" start", "quantity": "1"}]}]
EOF
WANT=$(json_expect '[
 {"externalId": "12009298", "productSku": "26897", "quantity": 11, "externalFacilityId": "116", "itemExternalId": "1", "arrivalDate": "12/24/2026"},
 {"externalId": "12009298", "productSku": "Box, small, red", "quantity": 2.5, "externalFacilityId": "116", "itemExternalId": "2", "arrivalDate": "12/24/2026"},
 {"externalId": "12009298", "productSku": "12\" Pan", "quantity": 3, "externalFacilityId": "116", "itemExternalId": "3", "arrivalDate": "12/24/2026"},
 {"externalId": "12009300", "productSku": "Café ☕", "quantity": 4, "externalFacilityId": "117", "itemExternalId": "1"},
 {"externalId": "12009300", "productSku": "X2", "quantity": 0.3, "externalFacilityId": "117", "itemExternalId": "7"},
 {"externalId": "12009301", "productSku": "\"Quoted\" start", "quantity": 1, "externalFacilityId": "116", "itemExternalId": "1", "arrivalDate": "01/05/2027"}]')

t_ok "NetSuite has three POs" ns load "$SCRATCH/pos.json"
t_ok "NetSuite exports them" ns export --age 300
remote=$(t_out)
name=${remote##*/}
t_like "the export is named as NetSuite names it" "$name" \
	'^[A-Z][a-z]{2} [A-Z][a-z]{2} [0-9]{2} [0-9]{4} [0-9:]{8} GMT-0[78]00 \(Pacific (Standard|Daylight) Time\)-PurchaseOrder\.csv$'
cp "$PO/fulfillment/$name" "$SCRATCH/$name"

# -n first: it shows, and changes nothing anywhere.
t_ok "-n runs" po-export-parse -n
t_like "-n says it would take the file" "$(t_out)" "would take .*PurchaseOrder\.csv"
t_like "-n says what parsing finds" "$(t_out)" "6 rows: 6 good in 1 batches, 0 rejected"
t_true "-n leaves the remote file" -f "$PO/fulfillment/$name"
t_is "-n writes no batch" "$(lsnew)" ""
t_true "-n leaves the ledger alone" ! -e "$SP/state/polines"

t_ok "po-export-parse takes the export" po-export-parse
out=$(t_out)
t_is "stdout is one path" "$(printf '%s\n' "$out" | wc -l)" 1
t_like "... of a batch in spool/po/new" "$out" "^$SP/po/new/[^/]+\.json\$"
t_true "... that exists" -f "$out"
t_is "the batch holds exactly the expected PO lines" "$(json_elements "$out")" "$WANT"
t_like "quantities are written as NetSuite wrote them" "$(cat "$out")" '"quantity": 0\.3,'
t_is "stderr is quiet" "$(t_err)" ""
t_true "the remote file left fulfillment/" ! -e "$PO/fulfillment/$name"
t_ok "... into archive/ under its name, unchanged" cmp "$SCRATCH/$name" "$PO/fulfillment/archive/$name"
t_ok "the raw copy is in spool/po/raw" sh -c 'cmp "$1" "$2"/po/raw/*' - "$SCRATCH/$name" "$SP"
t_is "the ledger has every PO line with its quantity" \
	"$(awk -F'\t' '$2 != ""' "$SP/state/polines" | sort | tr '\t\n' ' |')" \
	"12009298 1 11|12009298 2 2.5|12009298 3 3|12009300 1 4|12009300 7 0.3|12009301 1 1|"

t_ok "a second run" po-export-parse
t_is "... prints nothing" "$(t_out)$(t_err)" ""
t_is "... writes no batch" "$(lsnew)" "${out##*/}"

# The same file given locally: the same batch, same name; in its own spool.
posync_conf -f "$SCRATCH/local.conf" spool.dir="$SCRATCH/spool2"
POSYNC_CONFIG=$SCRATCH/posync.conf	# posync_conf pointed it at local.conf
t_ok "the local file" po-export-parse -c "$SCRATCH/local.conf" "$SCRATCH/$name"
lout=$(t_out)
t_is "... gives a batch of the same name" "${lout##*/}" "${out##*/}"
t_ok "... with the same bytes" cmp "$out" "$lout"
t_true "... under spool2" "${lout%/new/*}" = "$SCRATCH/spool2/po"
t_ok "the local file again" po-export-parse -c "$SCRATCH/local.conf" "$SCRATCH/$name"
t_is "... only names its batch waiting in new/ again" "$(t_out)" "$lout"
t_is "... and writes nothing more" "$(ls "$SCRATCH/spool2/po/new")" "${out##*/}"

# A batch still waiting in new/ after a crash before the archive: a rerun
# only archives, and names the waiting batch again for the pipe.
ns load /dev/stdin <<'EOF' >/dev/null
[{"id": "555", "facility": "116", "arrival": "", "lines": [{"line_id": "1", "sku": "S", "quantity": "9"}]}]
EOF
t_ok "another export" ns export --age 300
name2=$(t_out); name2=${name2##*/}
cp "$PO/fulfillment/$name2" "$SCRATCH/keep.csv"
t_ok "parse it" po-export-parse
b2=$(t_out)
t_true "... archived" -f "$PO/fulfillment/archive/$name2"
# Put it back as if the archive had not happened (crash after the marker).
mv "$PO/fulfillment/archive/$name2" "$PO/fulfillment/$name2"
t_ok "rerun on a file already parsed" po-export-parse
t_is "... names its waiting batch again" "$(t_out)" "$b2"
t_is "... writes nothing new" "$(lsnew)" "$(printf "%s\n" "${out##*/}" "${b2##*/}" | sort)"
t_true "... archives it" -f "$PO/fulfillment/archive/$name2" -a ! -e "$PO/fulfillment/$name2"

t_ok "-h" po-export-parse -h
t_like "-h shows usage" "$(t_out)" "^usage: po-export-parse "
t_like "... and the exit table" "$(t_out)" "^ +65 +bad input data"
t_exit "a bad option is a usage error" 64 po-export-parse --bogus
t_ok "-V" po-export-parse -V
t_like "-V" "$(t_out)" "^po-export-parse posync [0-9.]+\$"

t_done
