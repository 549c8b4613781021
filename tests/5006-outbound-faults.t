#!/bin/sh
# The outbound half against both simulators, when things go wrong: two
# receipt files waiting (the second goes only after NetSuite read the
# first), the SFTP server down (exit status, files kept, then one
# publication), and a PO that NetSuite fails on import because someone
# received it by hand in NetSuite (its error CSV is reported by the next
# receipt-push run and copied into the spool).
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

flow_pos "$SCRATCH/pos.json" \
	"700001 116 1:F-1:10 2:F-2:5" \
	"700002 116 1:F-3:4" \
	"700003 116 1:F-4:3"
flow_up "$SCRATCH/pos.json"
t_ok "inbound" flow_inbound

SP=$SCRATCH/spool/receipt
paths() { R=$SFTP_BASE/purchaseorder/receipt; }
paths
in_r() { (cd "$R" 2>/dev/null && ls -1 | grep '\.json$' | tr '\n' ' '); }
n_ir() { ns show | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["item_receipts"]))'; }

# --- two files waiting
flow_receive 700001 1:3
t_ok "receipt-export alone makes file one" receipt-export
F1=$(t_out); F1=${F1##*/}
flow_receive 700001 1:2 2:5
t_ok "... and file two" receipt-export
F2=$(t_out); F2=${F2##*/}
t_true "two distinct files, one sorting before the other" "$F1" '<' "$F2"
t_ok "receipt-push" receipt-push
t_is "... publishes file one only" "$(in_r)" "$F1 "
t_true "... file two waits in the spool" -f "$SP/new/$F2"
t_ok "the pipeline again while NetSuite has not read" flow_outbound
t_is "... holds quietly" "$(t_out)$(t_err)" ""
t_is "... still file one only" "$(in_r)" "$F1 "
t_ok "NetSuite reads file one" ns import
t_is "... line 1 has 3" "$(ns received 700001 1)" 3
t_ok "the pipeline" flow_outbound
t_is "... publishes file two" "$(in_r)" "$F2 "
t_ok "NetSuite reads file two" ns import
t_is "700001 line 1: 3 + 2" "$(ns received 700001 1)" 5
t_is "700001 line 2 in full" "$(ns received 700001 2)" 5
t_is "700001 stays open (line 1 has 5 of 10)" "$(ns status 700001)" "Partially Received"
t_is "two Item Receipts" "$(n_ir)" 2

# --- the SFTP server down
flow_receive 700002 1:1
sshd_stop
t_exit "sshd down: the pipeline exits 69" 69 flow_outbound
t_like "... saying the file is kept" "$(t_err)" "1 receipt file\(s\) kept in .*receipt/new"
t_is "... the file waits in the spool" "$(ls "$SP/new" | wc -l)" 1
F3=$(ls "$SP/new")
t_exit "a plain receipt-push while down: 69 too" 69 receipt-push
t_is "... still kept" "$(ls "$SP/new")" "$F3"
sshd_start || { echo "Bail out! sshd_start failed"; exit 1; }
paths
posync_conf
t_ok "sshd back (new port): the pipeline" flow_outbound
t_is "... publishes the kept file" "$(in_r)" "$F3 "
t_true "... and moves it to cur/" -f "$SP/cur/$F3" -a ! -e "$SP/new/$F3"
t_ok "another run" flow_outbound
t_is "... publishes nothing more" "$(in_r)" "$F3 "
t_ok "NetSuite reads it" ns import
t_is "700002 line 1 received once" "$(ns received 700002 1)" 1
t_is "three Item Receipts" "$(n_ir)" 3

# --- a NetSuite error CSV: PO 700003 was received by hand in NetSuite, so
# posync's element lists a line that is no longer open and NetSuite fails
# the PO.
python3 - "$NS_STATE" <<'PY'
import json, sys
st = json.load(open(sys.argv[1]))
for po in st["pos"]:
    if po["id"] == "700003":
        for ln in po["lines"]:
            ln["received"] = ln["ordered"]
        po["status"] = "Received"
json.dump(st, open(sys.argv[1], "w"))
PY
flow_receive 700003 1:1
t_ok "the pipeline publishes 700003's receipt" flow_outbound
t_ok "NetSuite imports" ns import
errs=$(ls "$R/error")
t_is "NetSuite wrote one error CSV" "$(echo "$errs" | wc -w)" 1
msg=$(python3 -c 'import csv,sys; r=list(csv.reader(open(sys.argv[1]))); q=chr(34); print(q + r[1][0] + q + ": " + q + r[1][1] + q)' "$R/error/$errs")
t_like "... for 700003" "$msg" "^\"700003\": \"line 1 is not open\""
t_exit "the next receipt-push reports it: 65" 65 receipt-push
t_like "... naming the PO and NetSuite's message" "$(t_err)" "PO $msg"
t_like "... and the error file" "$(t_err)" "receipt/error/$errs"
t_ok "... copied into the spool" cmp "$R/error/$errs" "$SP/errors/$errs"
t_ok "the pipeline after that" flow_outbound
t_is "... does not report it again" "$(t_out)$(t_err)" ""
t_is "no more Item Receipts than before" "$(n_ir)" 3

t_done
