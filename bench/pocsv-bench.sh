#!/bin/sh
# bench/pocsv-bench.sh -- how fast po-export-parse turns a large NetSuite
# PO CSV into batches, and how much memory it needs doing so.
#
#   sh bench/pocsv-bench.sh [ROWS] [BATCH_SIZE]     (defaults 2000000, 1000)
#
# Generates ROWS rows as NetSuite writes them (one row in 50 has a SKU with
# a comma to recover, one in 40 a quote, one in 1000 a bad quantity), runs
# `po-export-parse FILE` (local file: no SFTP) into a scratch spool, and
# prints wall time, rows per second and peak RSS (/usr/bin/time, or
# getrusage of the child).  Rejected rows make po-export-parse exit 65
# (EX_DATAERR), as it should.  For scale it runs two peers on the
# same file: `wc -l` (reading the bytes, the floor) and Python's csv
# module turning the rows into JSON batches without validation or fsync.
# Peak RSS must stay flat as ROWS grows: run it with 200000 and 2000000.
# No timing is asserted anywhere; this is for people.
set -eu
ROWS=${1:-2000000}
BATCH=${2:-1000}
TOP=$(cd "$(dirname "$0")/.." && pwd)
PEP=$TOP/po-export-parse/po-export-parse
[ -x "$PEP" ] || { echo "build first: make" >&2; exit 1; }
W=$(mktemp -d "${TMPDIR:-/tmp}/pocsv-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT INT TERM

python3 "$TOP/bench/gen-po-csv.py" "$ROWS" >"$W/bench.csv"
size=$(wc -c <"$W/bench.csv")
printf '[spool]\ndir = %s/spool\n[hotwax]\nbatch_size = %s\n' "$W" "$BATCH" >"$W/posync.conf"
chmod 600 "$W/posync.conf"

# measure NAME CMD... -- wall time and peak RSS of CMD (stdout dropped),
# by /usr/bin/time when there is one, else by Python's getrusage.
measure() {
	_name=$1; shift
	if [ -x /usr/bin/time ]; then
		_rc=0
		/usr/bin/time -f '%e %M %U %S' -o "$W/time" "$@" >/dev/null 2>"$W/stderr" || _rc=$?
		set -- $(tail -n 1 "$W/time")
		# time(1) counts in hundredths: below that, no rate is honest
		awk -v n="$_name" -v s="$1" -v k="$2" -v u="$3" -v sy="$4" -v r="$ROWS" -v rc="$_rc" 'BEGIN {
		    rate = s >= 0.01 ? sprintf("%10.0f", r / s) : sprintf("%10s", "-")
		    printf "%-22s %8.2f s (cpu %6.2f s) %s rows/s %8d KiB peak RSS  (exit %d)\n",
		    n, s, u + sy, rate, k, rc }'
		return
	fi
	python3 - "$_name" "$ROWS" "$@" <<'PY'
import os, resource, sys, time
name, rows, cmd = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
t = time.monotonic()
pid = os.fork()
if pid == 0:
    fd = os.open(os.devnull, os.O_WRONLY)
    os.dup2(fd, 1); os.dup2(fd, 2)
    os.execvp(cmd[0], cmd)
_, status, ru = os.wait4(pid, 0)
dt = time.monotonic() - t
print("%-22s %8.2f s (cpu %6.2f s) %10.0f rows/s %8d KiB peak RSS  (exit %d)" % (
    name, dt, ru.ru_utime + ru.ru_stime, rows / dt if dt else 0, ru.ru_maxrss,
    os.waitstatus_to_exitcode(status)))
PY
}

echo "$ROWS rows, $size bytes, batch_size $BATCH, on $(uname -sm)"
measure "wc -l" wc -l "$W/bench.csv"
measure "po-export-parse" "$PEP" -c "$W/posync.conf" "$W/bench.csv"
echo "  batches: $(ls "$W/spool/po/new" | wc -l), rejected rows: $(($(cat "$W"/spool/po/rejects/* | wc -l) - 1))"
mkdir "$W/peer"
measure "python3 csv (peer)" python3 "$TOP/bench/peer-csv.py" "$W/bench.csv" "$W/peer" "$BATCH"
