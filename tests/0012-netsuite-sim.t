#!/bin/sh
# The NetSuite simulator: its export writes exactly what NetSuite's
# Map/Reduce script writes, its import does what the scheduled import does
# (contracts.md sections 1 and 4).
. "${0%/*}/lib.sh"
. "$BED/sshd.sh"

NB=$SCRATCH/ns		# the folder holding purchaseorder/ (--base)
STATE=$SCRATCH/ns.json
PO=$NB/purchaseorder
for d in fulfillment fulfillment/archive receipt receipt/archive receipt/error; do
	mkdir -p "$PO/$d"
done
ns() { "$BED/netsuite-sim.py" --state "$STATE" --base "$NB" "$@"; }
# field PO EXPR -- a python expression over the PO's JSON (d) from "show"
field() {
	ns show --po "$1" | python3 -c "import json, sys; d = json.load(sys.stdin); print($2)"
}
TAB=$(printf '\t')

cat >"$SCRATCH/pos.json" <<'EOF'
[{"id": "12009298", "facility": "116", "arrival": "12/24/2026",
  "lines": [{"line_id": "1", "sku": "26897", "quantity": "11"},
            {"line_id": "2", "sku": "A,B", "quantity": "2.50"},
            {"line_id": "3", "sku": "say \"hi\"", "quantity": 3}]},
 {"id": "12009300", "facility": "117", "arrival": "",
  "lines": [{"line_id": "1", "sku": "X1", "quantity": "4"},
            {"line_id": "2", "sku": "X2", "quantity": "0.3"}]}]
EOF
t_ok "load two POs" ns load "$SCRATCH/pos.json"
t_is "a new PO is Pending" "$(ns status 12009298)" Pending
t_is "ordered quantities are kept as decimal strings" \
	"$(field 12009298 '[l["ordered"] for l in d["lines"]]')" "['11', '2.5', '3']"
t_is "nothing received, not exported" \
	"$(field 12009300 '[l["received"] for l in d["lines"]], d["exported"]')" \
	"['0', '0'] False"
t_exit "loading a PO id twice is refused" 1 ns load "$SCRATCH/pos.json"
t_like "... saying why" "$(t_err)" "12009298: already exists"
t_exit "a command without --state is a usage error" 2 \
	"$BED/netsuite-sim.py" show

# Export: Fri Nov 27 2026 08:15:00 PST is 1795796100.
winter='Fri Nov 27 2026 08:15:00 GMT-0800 (Pacific Standard Time)-PurchaseOrder.csv'
t_ok "export" ns export --now 1795796100 --age 300
t_is "export prints the remote path" "$(t_out)" \
	"$PO/fulfillment/$winter"
printf '%s\n' \
	'external-id,product-sku,quantity,external-facility-id,item-external-id,arrival-date' \
	'12009298,26897,11,116,1,12/24/2026' \
	'12009298,A,B,2.5,116,2,12/24/2026' \
	'12009298,say "hi",3,116,3,12/24/2026' \
	'12009300,X1,4,117,1,' \
	'12009300,X2,0.3,117,2,' >"$SCRATCH/want.csv"
t_ok "the CSV is NetSuite's bytes: no quoting, comma and quote raw" \
	cmp "$SCRATCH/want.csv" "$PO/fulfillment/$winter"
t_is "the inbox holds that one file" "$(ls "$PO/fulfillment" | grep -v '^archive$')" "$winter"
age=$(( $(date +%s) - $(stat -c %Y "$PO/fulfillment/$winter") ))
t_true "--age 300 sets the mtime 300 s back ($age)" "$age" -ge 295 -a "$age" -le 330
t_true "no temporary file is left" -z "$(ls -A "$PO/fulfillment" | grep '^\.')"
t_is "the POs are marked exported" \
	"$(field 12009298 'd["exported"]') $(field 12009300 'd["exported"]')" "True True"

t_ok "a second export" ns export --now 1795796200
t_is "... prints nothing" "$(t_out)" ""
t_is "... and writes nothing" "$(ls "$PO/fulfillment" | wc -l)" 2

# Summer time: Sat Jul 04 2026 23:05:09 PDT is 1783231509.
summer='Sat Jul 04 2026 23:05:09 GMT-0700 (Pacific Daylight Time)-PurchaseOrder.csv'
cat >"$SCRATCH/pos2.json" <<'EOF'
[{"id": "500", "facility": "116", "arrival": "01/02/2027",
  "lines": [{"line_id": "1", "sku": "P1", "quantity": "5"},
            {"line_id": "2", "sku": "P2", "quantity": "5"},
            {"line_id": "3", "sku": "P3", "quantity": "5"}]}]
EOF
ns load "$SCRATCH/pos2.json"
t_ok "export in summer" ns export --now 1783231509
t_is "the name says Pacific Daylight Time" "$(t_out)" \
	"$PO/fulfillment/$summer"
printf '%s\n' \
	'external-id,product-sku,quantity,external-facility-id,item-external-id,arrival-date' \
	'500,P1,5,116,1,01/02/2027' '500,P2,5,116,2,01/02/2027' \
	'500,P3,5,116,3,01/02/2027' >"$SCRATCH/want2.csv"
t_ok "... and holds only the new PO" cmp "$SCRATCH/want2.csv" "$PO/fulfillment/$summer"

cat >"$SCRATCH/pos3.json" <<'EOF'
[{"id": "501", "facility": "116", "arrival": "",
  "lines": [{"line_id": "1", "sku": "P1", "quantity": "5"},
            {"line_id": "2", "sku": "P2", "quantity": "5"},
            {"line_id": "3", "sku": "P3", "quantity": "5"}]},
 {"id": "600", "facility": "116", "arrival": "",
  "lines": [{"line_id": "1", "sku": "P1", "quantity": "0.3"}]}]
EOF
ns load "$SCRATCH/pos3.json"
t_ok "an export in the same second" ns export --now 1783231509
t_is "... does not overwrite: the clock moves a second on" "$(t_out)" \
	"$PO/fulfillment/Sat Jul 04 2026 23:05:10 GMT-0700 (Pacific Daylight Time)-PurchaseOrder.csv"
t_ok "... the first file is untouched" cmp "$SCRATCH/want2.csv" "$PO/fulfillment/$summer"

# Import.  A partial receipt; a full one; exact decimals.
R=$PO/receipt
cat >"$R/r1.json" <<'EOF'
[{"order_id": "12009298",
  "items": [{"line_id": "1", "quantity": 5}, {"line_id": "2", "quantity": 0},
            {"line_id": "3", "quantity": 0}]},
 {"order_id": "12009300",
  "items": [{"line_id": "1", "quantity": 4}, {"line_id": "2", "quantity": 0.1}]},
 {"order_id": "600", "items": [{"line_id": "1", "quantity": 0.1}]}]
EOF
t_ok "import r1.json" ns import
t_is "one summary line" "$(t_out)" "r1.json${TAB}received=3${TAB}failed=0"
t_is "a partial receipt: Partially Received" "$(ns status 12009298)" "Partially Received"
t_is "... line 1 got 5, unticked lines nothing" \
	"$(field 12009298 '[l["received"] for l in d["lines"]]')" "['5', '0', '0']"
t_is "the Item Receipt is recorded" \
	"$(field 12009298 '[(r["file"], r["po"], r["lines"]) for r in d["item_receipts"]]')" \
	"[('r1.json', '12009298', {'1': '5'})]"
t_is "12009300: still Partially Received (0.1 of 0.3)" \
	"$(ns status 12009300)" "Partially Received"
t_true "r1.json moved to archive/" -f "$R/archive/r1.json" -a ! -e "$R/r1.json"
t_is "no error CSV" "$(ls "$R/error")" ""

cat >"$R/r2.json" <<'EOF'
[{"order_id": "12009300", "items": [{"line_id": "2", "quantity": 0.2}]},
 {"order_id": "600", "items": [{"line_id": "1", "quantity": 0.2}]}]
EOF
t_ok "import r2.json" ns import
t_is "0.1 + 0.2 is exactly 0.3" "$(ns received 12009300 2)" "0.3"
t_is "every line received: Received" "$(ns status 12009300)" "Received"
t_is "600 too (0.2 is not more than 0.3 - 0.1)" "$(ns status 600)" "Received"

# Unlisted open lines: received in full by default, not with the switch.
printf '[{"order_id": "500", "items": [{"line_id": "1", "quantity": 2}]}]\n' >"$R/r3.json"
t_ok "import: an element listing one of three open lines" ns import
t_is "unlisted open lines are received in full by default" \
	"$(field 500 '[l["received"] for l in d["lines"]]')" "['2', '5', '5']"
t_is "... as one Item Receipt" "$(field 500 '[r["lines"] for r in d["item_receipts"]]')" \
	"[{'1': '2', '2': '5', '3': '5'}]"
printf '[{"order_id": "501", "items": [{"line_id": "1", "quantity": 2}]}]\n' >"$R/r4.json"
t_ok "import --no-default-receive" ns import --no-default-receive
t_is "unlisted open lines are unticked" \
	"$(field 501 '[l["received"] for l in d["lines"]]')" "['2', '0', '0']"

# Failures: each fails its PO alone, changes nothing, and is a row of the
# error CSV; the good element goes through.
cat >"$R/bad.json" <<'EOF'
[{"order_id": "500", "items": [{"line_id": "1", "quantity": 3}, {"line_id": "2", "quantity": 0}]},
 {"order_id": "12009298", "items": [{"line_id": 1, "quantity": 1}]},
 {"order_id": "12009298", "items": [{"line_id": "1", "quantity": 7},
   {"line_id": "2", "quantity": 0}, {"line_id": "3", "quantity": 0}]},
 {"order_id": "12009298", "items": [{"line_id": "1", "quantity": 0},
   {"line_id": "2", "quantity": 0}, {"line_id": "3", "quantity": 0}]},
 {"order_id": "999", "items": [{"line_id": "1", "quantity": 1}]},
 {"order_id": 501, "items": [{"line_id": "2", "quantity": 1}]},
 {"order_id": "501", "items": [{"line_id": "2", "quantity": "1"}]},
 {"order_id": "501", "items": [{"line_id": "2", "quantity": -1}]},
 {"order_id": "501", "items": [{"line_id": "2", "quantity": 1.5}, {"line_id": "3", "quantity": 0}]}]
EOF
t_ok "import a file with failing POs" ns import --no-default-receive
t_is "summary names the error CSV" "$(t_out)" \
	"bad.json${TAB}received=1${TAB}failed=8${TAB}error=$PO/receipt/error/bad-error.csv"
printf '%s\n' 'orderId,errorMessage' \
	'500,line 2 is not open' \
	'12009298,line_id 1 is not a string' \
	'12009298,line 1: quantity 7 is more than the 6 left to receive' \
	'12009298,You must enter at least one line item for this transaction' \
	'999,order_id 999: no such purchase order' \
	'501,order_id 501 is not a string' \
	'501,line 2: quantity 1 is not a number >= 0' \
	'501,line 2: quantity -1 is not a number >= 0' >"$SCRATCH/want-err.csv"
t_ok "the error CSV has one row per failed PO" \
	cmp "$SCRATCH/want-err.csv" "$R/error/bad-error.csv"
t_is "a listed closed line: nothing received on the PO" \
	"$(field 500 '[l["received"] for l in d["lines"]], len(d["item_receipts"])')" \
	"['2', '5', '5'] 1"
t_is "the failed elements of 12009298 changed nothing" \
	"$(field 12009298 '[l["received"] for l in d["lines"]], len(d["item_receipts"])')" \
	"['5', '0', '0'] 1"
t_is "the good element went through" \
	"$(field 501 '[l["received"] for l in d["lines"]]')" "['2', '1.5', '0']"
t_true "bad.json moved to archive/ too" -f "$R/archive/bad.json" -a ! -e "$R/bad.json"

printf '[{"order_id": "12009298", "items": [{"line_id": "1", "quantity": 7}]}]\n' >"$R/over.json"
t_ok "--allow-over-receipt" ns import --allow-over-receipt
t_is "... receives more than ordered" "$(ns received 12009298 1)" 12
t_is "... and the unlisted lines got the default: Received" \
	"$(field 12009298 '[l["received"] for l in d["lines"]], d["status"]')" \
	"['12', '2.5', '3'] Received"

printf '{"order_id": "501", "items": []}\n' >"$R/notarray.json"
printf '[{"order_id": "501", "items": [' >"$R/cut.json"
t_ok "import files that are not JSON arrays" ns import --seed 1
t_like "... each fails as a whole" "$(t_out | sort)" \
	"^cut.json${TAB}received=0${TAB}failed=1${TAB}error=.*/cut-error.csv
notarray.json${TAB}received=0${TAB}failed=1${TAB}error=.*/notarray-error.csv\$"
t_like "... with a row saying so" "$(cat "$R/error/notarray-error.csv")" \
	"^orderId,errorMessage
,file notarray.json is not a JSON array"
t_is "... and are archived" "$(ls "$R")" "archive
error"

# Several files in one run, all processed, in a repeatable shuffled order.
for i in 1 2 3 4 5; do
	printf '[{"order_id": "501", "items": [{"line_id": "3", "quantity": 0.5}]}]\n' \
		>"$R/m$i.json"
done
cp "$STATE" "$SCRATCH/state-copy"
cp -r "$NB" "$SCRATCH/ns-copy"
t_ok "import five files" ns import --no-default-receive --seed 7
order1=$(t_out | cut -f1 | tr '\n' ' ')
t_is "all five received" "$(t_out | grep -c "received=1${TAB}failed=0")" 5
t_is "line 3 got 5 x 0.5" "$(ns received 501 3)" "2.5"
t_is "the receipt folder is empty" "$(ls "$R" | tr '\n' ' ')" "archive error "
t_is "all five archived" "$(ls "$R/archive" | grep -c '^m.\.json$')" 5
t_ok "the same seed on the same files" \
	"$BED/netsuite-sim.py" --state "$SCRATCH/state-copy" \
	--base "$SCRATCH/ns-copy" import --no-default-receive --seed 7
t_is "... gives the same order" "$(t_out | cut -f1 | tr '\n' ' ')" "$order1"
printf '[{"order_id": "x", "items": []}]' >"$R/bad"
t_ok "import a file \"bad\" that fails" ns import
t_is "an error CSV name is never reused" "$(ls "$R/error" | grep '^bad-')" \
	"bad-error-2.csv
bad-error.csv"
printf '[{"order_id": "x", "items": []}]' >"$R/bad.json"
t_exit "an archive name already taken: the file stays, exit 1" 1 ns import
t_like "... saying so" "$(t_err)" "receipt/bad.json: cannot move to archive/"
t_true "... bad.json is still in receipt/" -f "$R/bad.json"
t_ok "... while the archived one is unchanged" \
	cmp "$SCRATCH/ns-copy/purchaseorder/receipt/archive/bad.json" \
	"$R/archive/bad.json"

t_exit "show of an unknown PO fails" 1 ns show --po nope
t_like "... on stderr" "$(t_err)" "no such PO: nope"
t_exit "export without --base or \$SFTP_BASE fails" 1 \
	env -u SFTP_BASE "$BED/netsuite-sim.py" --state "$STATE" export
t_like "... saying why" "$(t_err)" "--base"
t_exit "export with a relative --base fails" 1 \
	"$BED/netsuite-sim.py" --state "$STATE" --base ns export
t_like "... saying why" "$(t_err)" "not an absolute path"

# Against the real sshd: the file NetSuite wrote is what an SFTP client
# sees.  Without --base the simulator takes the sshd's $SFTP_BASE.
sshd_start || { echo "Bail out! sshd_start failed"; exit 1; }
printf '[{"id": "700", "facility": "1", "arrival": "", "lines": [{"line_id": "1", "sku": "S", "quantity": "1"}]}]\n' >"$SCRATCH/pos4.json"
"$BED/netsuite-sim.py" --state "$SCRATCH/s2.json" load "$SCRATCH/pos4.json"
t_ok "export into the sshd's folders" \
	"$BED/netsuite-sim.py" --state "$SCRATCH/s2.json" \
	export --now 1795796100
remote=$(t_out)
t_ok "the sftp client fetches it by the printed path" \
	sftp_batch "get \"$remote\" $SCRATCH/fetched.csv"
t_is "... same CSV" "$(cat "$SCRATCH/fetched.csv")" \
	"external-id,product-sku,quantity,external-facility-id,item-external-id,arrival-date
700,S,1,1,1,"

t_done
