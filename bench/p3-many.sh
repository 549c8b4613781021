#!/bin/sh
# bench/p3-many.sh -- issue 12's P3: a backlog of small CSVs taken in one
# run, against OpenSSH's `sftp -b` doing get + rename of the same files.
#
#   sh bench/p3-many.sh [FILES] [ROWS] [RUNS]   (defaults 1000 files of 10 rows; 2 runs)
#   DELAY=0.005 sh bench/p3-many.sh 200           (both through a link of 2 x DELAY s
#                                                  a round trip: tests/bed/faultproxy.py)
#
# Starts the tests' real OpenSSH sshd on 127.0.0.1 (tests/bed/sshd.sh:
# needs root), puts FILES CSVs of ROWS rows in the inbox, and times,
# RUNS times each:
#   posync  one po-export-parse run: listing, clock probe, FILES downloads,
#           parses (batches, ledger, markers) and moves to the archive
#   peer    one `sftp -b` session: `get` each file, then `rename` it into
#           the archive (plain SFTP rename, as posync's: no overwrite)
# and prints posync / peer.  Nothing is asserted.
set -eu
FILES=${1:-1000} ROWS=${2:-10} RUNS=${3:-2}
. "$(dirname "$0")/lib.sh"
bench_built po-export-parse
bed_pep
if [ -n "${DELAY:-}" ]; then
	sftp_proxy "delay:$DELAY"
	posync_conf sftp.port="$PP" sftp.known_hosts="$SCRATCH/known_hosts.proxy"
fi
# the peer through the same link
peer_batch() {
	[ -z "${DELAY:-}" ] || { SSHD_PORT=$PP; SFTP_KNOWN_HOSTS=$SCRATCH/known_hosts.proxy; }
	sftp_batch "$@"
}
IN=$SFTP_BASE/purchaseorder/fulfillment
R=$SFTP_BASE/purchaseorder/fulfillment
mkdir -p "$SCRATCH/src" "$SCRATCH/dl"
python3 "$TOP/bench/gen-po-csv.py" "$ROWS" 20000000 "$FILES" "$SCRATCH/src"
bytes=$(cat "$SCRATCH"/src/*.csv | wc -c)
for f in "$SCRATCH"/src/*.csv; do
	b=${f##*/}
	printf 'get %s/%s %s/dl/%s\nrename -l %s/%s %s/archive/%s\n' "$R" "$b" "$SCRATCH" "$b" "$R" "$b" "$R" "$b"
done >"$SCRATCH/peer.batch"

inbox() {
	rm -rf "$IN"/*.csv "$IN/archive" "$SCRATCH/spool"
	mkdir -p "$IN/archive" "$SCRATCH/spool"
	cp "$SCRATCH"/src/*.csv "$IN/"
	touch -d '1 hour ago' "$IN"/*.csv
}
timed() {
	_n=$1; shift
	_t0=$(ms); _rc=0
	"$@" >/dev/null 2>"$SCRATCH/$_n.err" || _rc=$?
	t=$(($(ms) - _t0))
	case $_rc in 0|65) ;; *) echo "$_n failed ($_rc):" >&2; tail -5 "$SCRATCH/$_n.err" >&2; exit 1 ;; esac
}
archived() { ls "$IN/archive" | grep -c '\.csv$' || true; }

echo "P3: $FILES files of $ROWS rows ($bytes bytes), sshd on 127.0.0.1 ($(ssh -V 2>&1))${DELAY:+, link delay $DELAY s each way}"
printf '%-4s %10s %10s %8s\n' run posync_ms peer_ms ratio
i=0
while [ $i -lt "$RUNS" ]; do
	i=$((i + 1))
	inbox; timed posync po-export-parse; tp=$t
	[ "$(archived)" = "$FILES" ] || { echo "po-export-parse archived $(archived) of $FILES" >&2; exit 1; }
	inbox; rm -f "$SCRATCH"/dl/*
	timed peer peer_batch "$(cat "$SCRATCH/peer.batch")"; tq=$t
	[ "$(archived)" = "$FILES" ] || { echo "sftp -b archived $(archived) of $FILES" >&2; exit 1; }
	awk -v r=$i -v p=$tp -v q=$tq 'BEGIN { printf "%-4s %10d %10d %7.2fx\n", r, p, q, p / (q ? q : 1) }'
done
