#!/bin/sh
# bench/same-output.sh -- two builds of po-export-parse give the same bytes.
#
#   sh bench/same-output.sh OLD NEW [ROWS] [SEED]   (defaults 20000, 1)
#
# OLD and NEW are po-export-parse binaries (e.g. a worktree of the
# previous commit's, and this one's).  Runs both on bench/gen-po-csv.py's
# file of ROWS rows at batch sizes 1, 7 and 1000, and on 20 copies of it
# damaged at random (quotes, commas, CR, NUL, bad UTF-8, bad dates and
# quantities, extra fields, long lines; SEED picks them), each in a fresh
# spool, and compares everything a run leaves: every file of the spool
# (batches, rejects, recovered rows, the ledger, the marker, the metrics)
# by name and bytes, the batches' mtimes (new/'s order; the metrics less
# their clock readings), and stdout, stderr and the exit status.  The
# CSV's mtime is set in the future, so the ledger's "seen" time is the
# same in both runs.  The content hash in names is compared as HASH (and
# the marker's "hash xxh3" line and state/po-hash left out), so builds on
# either side of its change (pohash.h) compare.  For a change meant to leave the output alone (a
# speed-up); not a test: tests cannot build an older commit.  Exit 0 when
# all are the same, 1 at the first difference (shown).
set -eu
OLD=$1 NEW=$2 ROWS=${3:-20000} SEED=${4:-1}
TOP=$(cd "$(dirname "$0")/.." && pwd)
W=$(mktemp -d "${TMPDIR:-/tmp}/same-output.XXXXXX")
trap 'rm -rf "$W"' EXIT INT TERM
# the same program name in both runs' messages
mkdir "$W/bin-old" "$W/bin-new"
cp "$OLD" "$W/bin-old/po-export-parse"
cp "$NEW" "$W/bin-new/po-export-parse"
OLD=$W/bin-old/po-export-parse NEW=$W/bin-new/po-export-parse

# run BIN CSV BATCH OUT -- BIN's whole result for CSV into the folder OUT
run() {
	mkdir -p "$4"
	printf '[spool]\ndir = %s/spool\n[hotwax]\nbatch_size = %s\n' "$4" "$3" >"$4/conf"
	chmod 600 "$4/conf"
	rc=0
	"$1" -v -c "$4/conf" "$2" >"$4/stdout" 2>"$4/stderr" || rc=$?
	echo "$rc" >"$4/status"
	sed -i "s|$4|SPOOL|g" "$4/stdout" "$4/stderr"
	# the content hash in names (pohash.h) is compared as HASH: builds
	# on either side of its change (FNV-1a, XXH3) give the same bytes
	rm -f "$4/spool/state/po-hash"
	find "$4/spool" -type f | perl -nle 'my ($d, $b) = m{^(.*/)([^/]*)$};
	    (my $n = $b) =~ s/(^|\.)[0-9a-f]{16}(\.|$)/$1HASH$2/;
	    $n eq $b or rename("$d$b", "$d$n") or die "$d$b: $!\n"'
	sed -i '/^hash xxh3$/d' "$4"/spool/state/parsed/* 2>/dev/null || :
	sed -i -E 's/(^|[./])[0-9a-f]{16}(\.|$)/\1HASH\2/g' "$4/stdout" "$4/stderr"
	# the metrics' clock readings differ from run to run, and its mtime
	sed -i -E '/^(start|end|success|duration_ms) /d' "$4"/spool/state/*.metrics
	(cd "$4" && find spool -type f ! -name '*.lock' ! -name '*.metrics' | sort | while read -r f; do
		# a batch's mtime is new/'s order; the others' the clock's
		case $f in spool/po/new/*) printf '%s %s\n' "$f" "$(stat -c %y "$f")";;
		*) echo "$f";; esac
	done) >"$4/files"
	rm "$4/conf"
}

# same CSV BATCH -- OLD and NEW on CSV agree
same() {
	rm -rf "$W/old" "$W/new"
	run "$OLD" "$1" "$2" "$W/old"
	run "$NEW" "$1" "$2" "$W/new"
	if ! diff -r "$W/old" "$W/new" >"$W/diff"; then
		echo "same-output: $(basename "$1") at batch_size $2 differs:" >&2
		head -n 40 "$W/diff" >&2
		exit 1
	fi
	echo "same: $(basename "$1") batch_size $2, exit $(cat "$W/old/status")," \
	    "$(ls "$W/old/spool/po/new" 2>/dev/null | wc -l) batches"
}

python3 "$TOP/bench/gen-po-csv.py" "$ROWS" >"$W/bench.csv"
touch -d '2031-01-01 00:00:00' "$W/bench.csv"
for b in 1 7 1000; do
	same "$W/bench.csv" "$b"
done

# damage SRC DST SEED -- SRC with a few hundred random lines damaged
damage() {
	python3 - "$1" "$2" "$3" <<'EOF'
import random, sys
src, dst, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
rnd = random.Random(seed)
lines = open(src, 'rb').read().split(b'\n')
bits = [b'"', b',', b'\r', b'\0', b'\xff', b'\xc3', b'\xe2\x82', b'\t',
    b'\\', b'""', b',,', b'13/45/2027', b'02/29/2027', b'02/29/2028',
    b'1.123456789', b'007', b'0', b'-1', b'1e3', b'\x7f', b'\x1b', b'.5',
    b'1.', b'x' * 300, b'9' * 70, b'\xf0\x9f\x98\x80', b'\xed\xa0\x80']
for _ in range(max(1, len(lines) // 40)):
    i = rnd.randrange(1, len(lines))
    ln = lines[i]
    for _ in range(rnd.randint(1, 3)):
        p = rnd.randint(0, len(ln))
        if rnd.random() < 0.3 and ln:
            q = min(len(ln), p + rnd.randint(1, 5))
            ln = ln[:p] + ln[q:]
        else:
            ln = ln[:p] + rnd.choice(bits) + ln[p:]
    lines[i] = ln
if rnd.random() < 0.5:
    lines.insert(rnd.randrange(1, len(lines)), b'9,' + b'y' * 70000 + b',1,1,1,')
open(dst, 'wb').write(b'\n'.join(lines))
EOF
	touch -d '2031-01-01 00:00:00' "$2"
}

head -n 2001 "$W/bench.csv" >"$W/small.csv"
i=0
while [ $i -lt 20 ]; do
	damage "$W/small.csv" "$W/damaged$i.csv" $((SEED * 100 + i))
	same "$W/damaged$i.csv" 7
	i=$((i + 1))
done
echo "same-output: all the same"
