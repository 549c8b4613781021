#!/bin/sh
# bench/polines-bench.sh -- how fast receipt-export compacts the polines
# ledger (spool/state/polines), and how much memory it needs doing so.
#
#   sh bench/polines-bench.sh [LINES] [BEFORE]     (defaults 2000000, none)
#
# Generates a ledger of LINES line records as po-export-parse appends them
# (POs of 10 lines, in no order, each PO written twice with new quantities,
# a "seen" record after each) and compacts it with polines_compact(),
# linked from this tree's common/ into a small driver: first the ledger as
# appended, then the compacted one again (the sorted ledger a daily
# compaction finds, plus nothing new).  BEFORE, a git revision (e.g. 6c86e2d,
# the in-memory compaction), builds the same driver from that revision's
# common/ and times it on the same ledger (without the seen records it
# did not know), for comparison.  Prints wall
# time, CPU time and peak RSS (/usr/bin/time).  Peak RSS must stay flat as
# LINES grows.  No timing is asserted anywhere; this is for people.
set -eu
LINES=${1:-2000000}
BEFORE=${2:-}
TOP=$(cd "$(dirname "$0")/.." && pwd)
[ -x /usr/bin/time ] || { echo "polines-bench: needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
W=$(mktemp -d "${TMPDIR:-/tmp}/polines-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT INT TERM

# driver SRCDIR OUT: polines_compact(SPOOL, keep all) built from SRCDIR/common
driver() {
	_args='argv[1], NULL, NULL, time(NULL), 0'
	grep -q 'time_t now' "$1/common/polines.h" || _args='argv[1], NULL, NULL'
	cat >"$W/driver.c" <<EOC
#include <time.h>
#include "msg.h"
#include "polines.h"
int main(int argc, char **argv) { (void)argc; msg_init("polines-bench"); return polines_compact($_args); }
EOC
	cc -O2 -D_GNU_SOURCE -I"$1/common" -o "$2" "$W/driver.c" \
	    "$1/common/polines.c" "$1/common/util.c" "$1/common/msg.c" \
	    "$1/common/decimal.c" "$1/common/spool.c" "$1/common/safename.c"
}

python3 - "$LINES" >"$W/ledger" <<'PY'
import sys, time, random
n = int(sys.argv[1]); now = int(time.time())
random.seed(9)
pos = max(1, n // 20)
order = list(range(pos)) * 2
random.shuffle(order)
w = sys.stdout.write
for k, p in enumerate(order):
    po = "%d" % (12000000 + p * 7919 % 9999991)
    for line in range(1, 11):
        w("%s\t%d\t%d.%d\n" % (po, line, (k + line) % 97 + 1, line % 4))
    w("%s\t\t%d\n" % (po, now - (k % 400) * 86400))
PY
echo "ledger: $LINES line records, $(wc -c <"$W/ledger") bytes"

run() {	# NAME DRIVER LEDGER
	mkdir -p "$W/spool/state"
	cp "$3" "$W/spool/state/polines"
	set -- "$1" "$2"
	for pass in appended compacted; do
		/usr/bin/time -f '%e %M %U %S' -o "$W/time" "$2" "$W/spool" || echo "$1: exit $?"
		set -- "$1" "$2" $(tail -n 1 "$W/time")
		printf '%-28s %8.2f s (cpu %6.2f s) %8d KiB peak RSS  %9d bytes out\n' \
		    "$1 ($pass)" "$3" "$(echo "$5 + $6" | bc)" "$4" "$(wc -c <"$W/spool/state/polines")"
		set -- "$1" "$2"
	done
	rm -rf "$W/spool"
}

driver "$TOP" "$W/after"
run "this tree" "$W/after" "$W/ledger"
if [ -n "$BEFORE" ]; then
	mkdir -p "$W/before"
	git -C "$TOP" archive "$BEFORE" common | tar -x -C "$W/before"
	driver "$W/before" "$W/before/driver"
	# without the seen records, which a ledger of that time never had
	grep -v '		' "$W/ledger" >"$W/ledger.old" || true
	run "$BEFORE" "$W/before/driver" "$W/ledger.old"
fi
