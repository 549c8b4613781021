#!/bin/sh
# Clocks disagree (posync(7), CLOCKS).  A receipt HotWax dates 30 days
# ahead is exported once and said once; it never carries the cursor past
# this host's clock, so receipts made after it -- even ones HotWax dates an
# hour back, its clock behind ours by more than receipt_overlap -- are all
# exported.  Receipt times come from the simulator's late_receipts fault
# (ahead_seconds / backdate_seconds, nothing hidden).
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_re hotwax.receipt_overlap=900
# each run's own file is checked: no fold (0872, 0873 test the fold)
re_nofold

dated() { # ahead|backdate SECONDS -- the next receive call's receipts
	hw_ctl POST /_sim/fault "{\"kind\":\"late_receipts\",\"path\":\"oms/purchaseOrders/.*/receive\",\"hide_seconds\":0,\"${1}_seconds\":$2,\"count\":1}" >/dev/null
}
cursor() { sed -n 's/^cursor	//p' "$SPOOL/state/receipt-export.state"; }
now() { python3 -c 'import time; print(int(time.time() * 1000))'; }

ns_po 8330 1:SKU1:100
dated ahead 2592000
recv 8330 1=1
FUT=$(hw_ctl GET /_sim/state | hw_json "d['receipts'][-1]['receiptId']")
t_exit "a receipt dated 30 days ahead" 0 receipt-export
t_is "... is exported" "$(cat "$(t_out)")" '[{"order_id":"8330","items":[{"line_id":"1","quantity":1}]}]'
t_like "... and said, by its id" "$(t_err)" "receipt \"$FUT\" .*ahead of this host's clock"
t_ok "the cursor is not past this host's clock" test "$(cursor)" -le "$(now)"

dated backdate 3600
recv 8330 1=2
t_exit "a receipt HotWax dates an hour back" 0 receipt-export
t_is "... is exported, not skipped" "$(cat "$(t_out)")" '[{"order_id":"8330","items":[{"line_id":"1","quantity":2}]}]'
t_is "... and the future one is not said again" "$(t_err)" ""

recv 8330 1=4
t_exit "a receipt now" 0 receipt-export
t_is "... is exported" "$(cat "$(t_out)")" '[{"order_id":"8330","items":[{"line_id":"1","quantity":4}]}]'
t_is "... quietly" "$(t_err)" ""

dated ahead 60
recv 8330 1=8
t_exit "a receipt a minute ahead (within receipt_overlap)" 0 receipt-export
t_is "... is exported" "$(cat "$(t_out)")" '[{"order_id":"8330","items":[{"line_id":"1","quantity":8}]}]'
t_is "... without a word" "$(t_err)" ""

t_exit "then nothing" 0 receipt-export
t_is "... silently: no receipt twice" "$(t_out)$(t_err)" ""
t_is "every receipt exactly once" "$(re_totals)" "8330 1 15"

# A cursor ahead of the clock (the clock set back, or left by an older
# posync that followed a future receipt) is said on every run.
sed -i "s/^cursor	.*/cursor	$(( $(now) + 86400000 ))/" "$SPOOL/state/receipt-export.state"
t_exit "a cursor a day ahead" 0 receipt-export
t_like "... is said" "$(t_err)" "the cursor is 86[34][0-9][0-9] s ahead of this host's clock"
t_exit "the next run" 0 receipt-export
t_like "... says it again" "$(t_err)" "the cursor is .* ahead of this host's clock"
t_done
