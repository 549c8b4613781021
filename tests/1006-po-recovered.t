#!/bin/sh
# Comma recovery is never silent.  A row whose SKU holds commas (NetSuite
# writes it unquoted) is still imported, but -v names it with its file,
# "line N" and the SKU read; each is recorded in
# SPOOL/po/rejects/NAME.HASH.recovered.csv (file, line, raw row, SKU,
# written with libcsv and read back here with Python's csv module, hostile
# quotes and commas included); the -v summary and the state marker count
# them; past 20, -v says the rest as a count.  Without -v a clean run stays
# quiet (cron mails whatever is printed).
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

posync_conf
SP=$SCRATCH/spool
mkdir -p "$SCRATCH/in"
f="$SCRATCH/in/Fri Nov 27 (PST), x.csv"
{
	echo "$HDR"
	echo '100,plain,1,116,1,12/24/2026'
	echo '100,Box, small, red,2,116,2,12/24/2026'
	echo '100,12" Pan, "big",3,116,3,'
	echo '101,a,,b,4,116,1,'
} >"$f"

t_ok "po-export-parse -v on a file with two recovered rows" po-export-parse -v "$f"
t_like "-v names line 3 and the SKU it read" "$(t_err)" \
	'^po-export-parse: "Fri Nov 27 \(PST\), x\.csv": line 3: recovered: .*product-sku "Box, small, red"$'
t_like "-v names line 4 and its SKU, quotes and all" "$(t_err)" \
	'^po-export-parse: "Fri Nov 27 \(PST\), x\.csv": line 4: recovered: .*product-sku "12\\" Pan, \\"big\\""$'
t_like "-v names line 5 and its SKU" "$(t_err)" 'line 5: recovered: .*product-sku "a,,b"$'
t_is "... and no other line as recovered" "$(t_err | grep -c ': recovered: ')" 3
t_like "the -v summary counts them" "$(t_err)" '4 rows, 4 in 1 batches, 0 rejected, 3 recovered$'
rec=$(ls "$SP"/po/rejects/*.recovered.csv 2>/dev/null)
t_true "a recovered-rows file beside the rejects" -f "$rec"
t_like "... named like the rejects file" "${rec##*/}" '^Fri=20Nov=2027=20=28PST=29,=20x\.csv\.[0-9a-f]{16}\.recovered\.csv$'
# What the file must hold, computed from the input rows: file, line, raw,
# SKU (the middle of the raw row once the other five columns are taken).
want=$(python3 - "$f" <<'PY'
import sys
path = sys.argv[1]
name = path.rsplit("/", 1)[1]
for n, line in enumerate(open(path, encoding="utf-8").read().split("\n")[1:], 2):
    f = line.split(",")
    if len(f) > 6:
        print(repr([name, str(n), line, ",".join(f[1:len(f) - 4])]))
PY
)
got=$(python3 -c '
import csv, sys
r = list(csv.reader(open(sys.argv[1], encoding="utf-8", newline="")))
assert r[0] == ["file", "line", "raw", "sku"], r[0]
for row in r[1:]:
    print(repr(row))' "$rec")
t_is "it holds file, line, raw row and SKU of each, read back equal" "$got" "$want"
t_is "three rows in it" "$(printf '%s\n' "$got" | grep -c .)" 3
t_like "the marker counts them" "$(cat "$SP"/state/parsed/*)" ' recovered 3$'
t_is "the batch has the SKUs as recovered" \
	"$(python3 -c 'import json,sys; print("|".join(e["productSku"] for e in json.load(open(sys.argv[1]))))' "$SP"/po/new/*.json)" \
	'plain|Box, small, red|12" Pan, "big"|a,,b'

# Without -v: quiet, but the file is still written.
cp "$f" "$SCRATCH/in/quiet.csv"
t_ok "without -v" po-export-parse "$SCRATCH/in/quiet.csv"
t_is "... says nothing" "$(t_err)" ""
t_true "... and records the recovered rows" -f "$(ls "$SP"/po/rejects/quiet.csv.*.recovered.csv)"

# A dry run names them too, and writes nothing.
cp "$f" "$SCRATCH/in/dry.csv"
t_ok "-n -v" po-export-parse -n -v "$SCRATCH/in/dry.csv"
t_is "... names the three" "$(t_err | grep -c 'dry\.csv": line [345]: recovered: ')" 3
t_like "... its summary counts them" "$(t_out)" '3 recovered$'
t_is "... and writes no file" "$(ls "$SP"/po/rejects | grep -c '^dry')" 0

# Many: the first 20 by line, then a count.
{
	echo "$HDR"
	i=1; while [ $i -le 25 ]; do echo "200,s,k$i,1,116,$i,"; i=$((i + 1)); done
} >"$SCRATCH/in/many.csv"
t_ok "25 recovered rows" po-export-parse -v "$SCRATCH/in/many.csv"
t_is "... 20 named" "$(t_err | grep -c ': recovered: ')" 20
t_like "... then a count" "$(t_err)" '"many\.csv": 5 more rows recovered$'
t_is "... all 25 in the file" \
	"$(python3 -c 'import csv,sys; print(len(list(csv.reader(open(sys.argv[1], newline=""))))-1)' "$(ls "$SP"/po/rejects/many.csv.*.recovered.csv)")" 25
t_done
