#!/bin/sh
# Offset paging over a result set that changes between pages.  Receipts
# are asked for in (datetimeReceived, receiptId) order, so a receipt that
# becomes visible mid-walk either sorts after the pages read (a new one:
# read on a later page) or before them (a late one with an earlier time:
# every later row shifts one place on, a row is read twice, none is
# skipped).  Here both happen while receipt-export waits for page 2; every
# receipt must still go out exactly once, over this run and the next.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

re_setup
ns_po 1901 1:SKU1:1000 2:SKU2:100 3:SKU3:100
set --
i=0
while [ $i -lt 300 ]; do set -- "$@" 1=0.5; i=$((i + 1)); done
recv 1901 "$@" || t_bail "receiving failed"
t_is "HotWax holds 300 receipts" "$(hw_ctl GET /_sim/state | hw_json 'len(d["receipts"])')" 300

# page 2 of the receipts waits 2 s; meanwhile a late receipt (a minute
# earlier than all the others) and a new one appear
hw_ctl POST /_sim/fault '{"kind":"delay","path":"performFind","skip":1,"count":1,"seconds":2}' >/dev/null
receipt-export >"$SCRATCH/out1" 2>"$SCRATCH/err1" &
pid=$!
sleep 1
hw_ctl POST /_sim/fault '{"kind":"late_receipts","path":".*/receive","backdate_seconds":60}' >/dev/null
recv 1901 2=0.25 || t_bail "receiving failed"
recv 1901 3=0.125 || t_bail "receiving failed"
wait $pid
echo $? >"$SCRATCH/rc1"
t_is "the run during the changes: exit 0" "$(cat "$SCRATCH/rc1")" 0
t_is "... silent on stderr" "$(cat "$SCRATCH/err1")" ""
t_is "... the delayed page was asked for" \
	"$(hw_ctl GET /_sim/requests | hw_json 'sum(1 for r in d if r.get("fault") == "delay")')" 1
t_true "... and the late receipt has the earliest time" \
	"$(hw_ctl GET /_sim/state | hw_json 'min(d["receipts"], key=lambda r: r["datetimeReceived"])["orderItemSeqId"] == [i for o in d["orders"] for i in o["items"] if i["externalId"] == "2"][0]["orderItemSeqId"]')" = true
t_exit "the next run" 0 receipt-export
t_exit "and the one after" 0 receipt-export
t_is "... has nothing" "$(t_out)$(t_err)" ""
t_is "every receipt went out exactly once" "$(re_totals)" \
	"1901 1 150
1901 2 0.25
1901 3 0.125"
t_is "... in the ledger, once each" \
	"$(grep -c '^r	' "$SPOOL/state/receipt-export.state")" 302
t_done
