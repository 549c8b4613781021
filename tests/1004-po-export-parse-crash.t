#!/bin/sh
# po-export-parse killed (-9) at random moments while it turns a larger
# file into batches, then run again: every time, the batches hold exactly
# the file's rows, none twice; the remote file is archived once; every
# batch was named on stdout by some run; the ledger has every line.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_sshd
IN=$SFTP_BASE/purchaseorder/fulfillment
ROWS=12000
ROUNDS=6
NAME="Fri Nov 27 2026 08:15:00 GMT-0800 (Pacific Standard Time)-PurchaseOrder.csv"

python3 - "$ROWS" >"$SCRATCH/big.csv" <<'PY'
import sys
print("external-id,product-sku,quantity,external-facility-id,item-external-id,arrival-date")
for i in range(int(sys.argv[1])):
    print("%d,SKU %d,%d.%d,116,%d,12/24/2026" % (500000 + i // 5, i, i % 9 + 1, i % 7, i % 5 + 1))
PY

# check SPOOL STDOUTS -- "ok" when new/ holds exactly the rows of big.csv,
# each once, and every batch in new/ is named in STDOUTS; else what is wrong
check() {
	python3 - "$1" "$2" "$ROWS" <<'PY'
import json, os, sys
spool, outs, rows = sys.argv[1], sys.argv[2], int(sys.argv[3])
new = os.path.join(spool, "po", "new")
want = {}
for i in range(rows):
    want[(str(500000 + i // 5), str(i % 5 + 1))] = ("SKU %d" % i, "%d.%d" % (i % 9 + 1, i % 7))
seen, errs = {}, []
names = sorted(os.listdir(new))
for n in names:
    for e in json.load(open(os.path.join(new, n)), parse_float=str, parse_int=str):
        k = (e["externalId"], e["itemExternalId"])
        if k in seen:
            errs.append("twice: %s in %s and %s" % (k, seen[k], n))
        seen[k] = n
        if want.get(k) != (e["productSku"], e["quantity"]) or e.get("arrivalDate") != "12/24/2026":
            errs.append("unexpected: %s in %s" % (e, n))
missing = set(want) - set(seen)
if missing:
    errs.append("%d rows missing, e.g. %s" % (len(missing), sorted(missing)[:3]))
printed = set(os.path.basename(l.rstrip("\n")) for l in open(outs) if l.strip())
unnamed = set(names) - printed
if unnamed:
    errs.append("%d batches never printed, e.g. %s" % (len(unnamed), sorted(unnamed)[:2]))
if set(printed) - set(names):
    errs.append("printed but not in new/: %s" % sorted(set(printed) - set(names))[:2])
ledger = set()
for l in open(os.path.join(spool, "state", "polines")):
    po, line, q = l.rstrip("\n").split("\t")
    if line:	# not a PO's "seen" record
        ledger.add((po, line))
if ledger != set(want):
    errs.append("ledger: %d lines, wanted %d" % (len(ledger), len(want)))
print("\n".join(errs[:10]) if errs else "ok")
PY
}

# A whole run's time decides where the kills land.
posync_conf hotwax.batch_size=120 spool.dir="$SCRATCH/spool0"
cp "$SCRATCH/big.csv" "$IN/$NAME" && touch -d '1 hour ago' "$IN/$NAME"
t0=$(date +%s%N)
t_ok "an uninterrupted run" po-export-parse
t1=$(date +%s%N)
t_is "... makes 100 batches" "$(t_out | wc -l | tr -d ' ')" 100
t_out >"$SCRATCH/out0"
t_is "... holding exactly the rows" "$(check "$SCRATCH/spool0" "$SCRATCH/out0")" ok
ms=$(( (t1 - t0) / 1000000 + 50 ))
t_diag "a run takes about $ms ms; kills land in 0..$ms ms"
rm -f "$IN/archive/$NAME"

seed=${POSYNC_TEST_SEED:-$$}
t_diag "random seed $seed (POSYNC_TEST_SEED=$seed to repeat)"
delays=$(python3 -c 'import random, sys; r = random.Random(int(sys.argv[1]))
print(" ".join("%.3f" % (r.random() * int(sys.argv[2]) / 1000) for _ in range(3 * int(sys.argv[3]))))' \
	"$seed" "$ms" "$ROUNDS")

round=0 killed=0
while [ $round -lt $ROUNDS ]; do
	round=$((round + 1))
	sp=$SCRATCH/spool$round
	posync_conf hotwax.batch_size=120 spool.dir="$sp"
	cp "$SCRATCH/big.csv" "$IN/$NAME" && touch -d '1 hour ago' "$IN/$NAME"
	: >"$SCRATCH/out$round"
	# Two runs killed at random moments, then one left to finish.
	for k in 1 2; do
		dk=$(printf '%s\n' $delays | sed -n "$(( (round - 1) * 3 + k ))p")
		po-export-parse >>"$SCRATCH/out$round" 2>/dev/null &
		pid=$!
		sleep "$dk"
		kill -9 $pid 2>/dev/null
		wait $pid 2>/dev/null
		[ $? = 137 ] && killed=$((killed + 1))
	done
	t_ok "round $round: the rerun finishes" po-export-parse
	t_out >>"$SCRATCH/out$round"
	t_is "round $round: exactly the rows, each once, each batch printed" \
		"$(check "$sp" "$SCRATCH/out$round")" ok
	t_true "round $round: archived once, under its name" \
		-f "$IN/archive/$NAME" -a ! -e "$IN/archive/$NAME.1" -a ! -e "$IN/$NAME"
	t_is "round $round: no temporary file left" "$(ls -A "$sp/po/tmp")" ""
	t_ok "round $round: a last run" po-export-parse
	t_is "round $round: ... does nothing" "$(t_out)$(t_err)" ""
	rm -f "$IN/archive/$NAME"
done
t_diag "$killed runs were killed while running"
t_true "many kills hit a running program" $killed -ge $((ROUNDS / 2))

t_done
