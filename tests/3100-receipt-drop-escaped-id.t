#!/bin/sh
# A completed PO whose id holds a backslash or a TAB leaves the polines ledger
# like any other (issue 10, F3): the journal's drop part is tsv-escaped,
# and was once matched against the ledger's ids as written, so such a PO
# stayed until polines_keep_days.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

re_setup
# The ledger and the upload's JSON both write a backslash doubled, a
# TAB as \t.
ns_po 'A\\B' 1:SKU1:2
ns_po 3101 1:SKU1:1
ns_po 'C\tD' 1:SKU1:3
t_is "the PO with a backslash is in the polines ledger" \
	"$(grep -c '^A\\\\B	' "$L")" 1
recv 'A\B' 1=2 || t_bail "receiving failed"
recv 3101 1=1 || t_bail "receiving failed"
recv "$(printf 'C\tD')" 1=3 || t_bail "receiving failed"
t_exit "the three POs completed" 0 receipt-export
t_like "... the element names the PO id with its backslash" "$(cat "$(t_out)")" \
	'"order_id":"A\\\\B"'
t_is "the PO with a plain id leaves the polines ledger" \
	"$(grep -c '^3101	' "$L")" 0
t_is "the PO with a backslash leaves it too" \
	"$(grep -c '^A\\\\B	' "$L")" 0
t_is "the PO with a TAB leaves it too" \
	"$(grep -c '^C\\tD	' "$L")" 0
t_done
