#!/bin/sh
# receipt-export pages through more receipts than one performFind page
# (viewSize 250) and sums them exactly; the next run pages through them
# again (they are inside the overlap) and exports only what is new.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_re

ns_po 3001 1:SKU1:1000 2:SKU2:100
set --
i=0
while [ $i -lt 300 ]; do set -- "$@" 1=0.5; i=$((i + 1)); done
recv 3001 "$@" 2=0.25
t_is "HotWax holds 301 receipts" "$(hw_ctl GET /_sim/state | hw_json 'len(d["receipts"])')" 301

hw_ctl POST /_sim/requests/clear >/dev/null
t_exit "export" 0 receipt-export
t_is "every page summed" "$(cat "$(t_out)")" \
	'[{"order_id":"3001","items":[{"line_id":"1","quantity":150},{"line_id":"2","quantity":0.25}]}]'
t_true "it took more than one page" \
	"$(hw_ctl GET /_sim/requests | hw_json 'sum(1 for r in d if r["path"].endswith("performFind"))')" -ge 4

recv 3001 1=1
t_exit "one more receipt" 0 receipt-export
t_is "only it goes out" "$(cat "$(t_out)")" \
	'[{"order_id":"3001","items":[{"line_id":"1","quantity":1},{"line_id":"2","quantity":0}]}]'
t_is "the ledger holds every receipt of the window" \
	"$(grep -c '^r	' "$SPOOL/state/receipt-export.state")" 302

t_done
