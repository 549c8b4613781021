#!/bin/sh
# excess.csv cannot be forged (issue 8, finding 6): a receiptId holding
# commas, quotes, CR and LF is written by libcsv, and any RFC 4180 reader
# gets back one row holding the exact id; stderr shows it quoted, never a
# forged line.  A rerun after a kill adds nothing, and an excess.csv and a
# journal left by the version before (receipt_ids unquoted, an id with a
# comma in it) are read as they were: nothing recorded twice.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_re
X=$SPOOL/receipt/excess.csv
HEAD='["order_id", "line_id", "quantity", "receipt_ids"]'

# the rows of a CSV file as JSON, as Python's csv module reads them
csv_rows() {
	python3 -c 'import csv, json, sys
print(json.dumps(list(csv.reader(open(sys.argv[1], newline="")))))' "$1"
}
# the receiptId of PO $1's only receipt
rid_of() {
	hw_ctl GET /_sim/state | hw_json '[r["receiptId"] for r in d["receipts"] if r["orderId"] == [o for o in d["orders"] if o["externalId"] == "'"$1"'"][0]["orderId"]][0]'
}
# give PO $1's receipt the id $2 (a JSON string)
rename() {
	hw_ctl POST /_sim/receipt-ids "{\"$(rid_of "$1")\": $2}" | grep -Eq '"renamed": ?1[^0-9]'
}
# a JSON string, as Python reads it
jstr() { python3 -c 'import json, sys; print(json.dumps(json.loads(sys.argv[1])))' "$1"; }

EVIL='"R1,\"x\"\n2401,9,99,forged\r\n\"\",end"'
ns_po 2401 1:SKU1:2
recv 2401 1=5 || t_bail "receiving failed"
rename 2401 "$EVIL" || t_bail "renaming the receipt failed"
t_exit "excess with a hostile receiptId: 65" 65 receipt-export
t_is "excess.csv reads back as the header and one row with the exact id" \
	"$(csv_rows "$X")" "[$HEAD, [\"2401\", \"1\", \"3\", $(jstr "$EVIL")]]"
t_like "stderr names the id quoted" "$(t_err)" \
	'receipts "R1,\\"x\\"\\n2401,9,99,forged\\r\\n\\"\\",end"\)'
t_is "... and holds no forged line" "$(t_err | grep -c '^2401,9,99')" 0

# excess.csv is replaced atomically: a writer killed mid-write leaves
# excess.csv.tmp.PID, which the next run removes (its writer is gone)
printf 'half' >"$X.tmp.999999999"

# a second hostile id (a comma, a lone CR), killed once the row is recorded
EVIL2='"R2, \rtwo"'
ns_po 2402 1:SKU2:1
recv 2402 1=4 || t_bail "receiving failed"
rename 2402 "$EVIL2" || t_bail "renaming the receipt failed"
# a subshell, so the shell's "Killed" notice goes nowhere
( POSYNC_TEST_CRASH=state receipt-export >/dev/null 2>&1
  echo $? >"$SCRATCH/crash.rc" ) 2>/dev/null
t_is "killed after recording" "$(cat "$SCRATCH/crash.rc")" 137
t_true "... the journal is left" -e "$SPOOL/state/receipt-export.pending"
t_exit "the rerun finishes it" 0 receipt-export
ROWS2="[$HEAD, [\"2401\", \"1\", \"3\", $(jstr "$EVIL")], [\"2402\", \"1\", \"3\", $(jstr "$EVIL2")]]"
t_is "... and records nothing twice" "$(csv_rows "$X")" "$ROWS2"
t_true "a dead writer's excess.csv.tmp.PID is cleaned away" ! -e "$X.tmp.999999999"

# The version before wrote receipt_ids unquoted: an id with a comma made
# a row of 5 fields.  Its excess.csv and its journal, left by a kill
# after the row was recorded, must be read without recording it again.
ns_po 2403 1:SKU3:1
recv 2403 1=3 || t_bail "receiving failed"
rename 2403 '"R9,old"' || t_bail "renaming the receipt failed"
# a subshell, so the shell's "Killed" notice goes nowhere
( POSYNC_TEST_CRASH=state receipt-export >/dev/null 2>&1
  echo $? >"$SCRATCH/crash.rc" ) 2>/dev/null
[ -e "$J" ] || t_bail "no journal after the kill"
python3 - "$X" "$J" <<'PY' || t_bail "could not write the old forms"
import csv, sys
x, j = sys.argv[1], sys.argv[2]

def old(rows):
    # what 0.1.0 wrote: ids quoted only when needed, receipt_ids raw
    out = []
    for r in rows:
        f = ['"%s"' % v.replace('"', '""') if any(c in v for c in ',"\r\n') else v
             for v in r[:2]]
        out.append(",".join(f + [r[2], r[3]]) + "\n")
    return "".join(out).encode()

rows = list(csv.reader(open(x, newline="")))
open(x, "wb").write(b"order_id,line_id,quantity,receipt_ids\n" + old(rows[1:]))
d = open(j, "rb").read()
head, rest = d.split(b"\nexcess\t", 1)
n, rest = rest.split(b"\n", 1)
part, rest = rest[:int(n)], rest[int(n):]
new = old(list(csv.reader(part.decode().splitlines(True))))
open(j, "wb").write(head + b"\nexcess\t%d\n" % len(new) + new + rest)
PY
cp "$X" "$SCRATCH/old-excess.csv"
t_like "the old journal holds the unquoted row" "$(cat "$J")" "2403,1,2,R9,old"
t_exit "the rerun after the upgrade finishes it" 0 receipt-export
t_true "... the journal is gone" ! -e "$J"
t_ok "... excess.csv is left as it was: nothing recorded twice" \
	cmp "$X" "$SCRATCH/old-excess.csv"

# the next excess is added below the old rows, which stay readable
ns_po 2404 1:SKU1:1
recv 2404 1=2 || t_bail "receiving failed"
t_exit "a new excess after the upgrade: 65" 65 receipt-export
RID4=$(rid_of 2404)
OLDLEN=$(wc -c <"$SCRATCH/old-excess.csv")
t_ok "... the old rows are kept byte for byte" \
	cmp -n "$OLDLEN" "$X" "$SCRATCH/old-excess.csv"
t_is "... and the new row follows them, quoted" \
	"$(tail -c +$((OLDLEN + 1)) "$X")" "\"2404\",\"1\",\"1\",\"$RID4\""
t_done
