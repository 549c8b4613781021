#!/bin/sh
# receipt-export on a full disk (issue 12, P4): the run's receipts wait
# in a nameless temporary file in SPOOL/state, and the file and the
# state reach the journal and their places from temporary files.  Each
# write that finds no room stops the run with exit 74 naming the folder
# or file, and leaves nothing behind in state/ or receipt/tmp:
#   (1) no room at all: the spill; (2) room for the spill, not the
#   journal: nothing committed, no journal; (3) room again: one file
#   with every receipt once, then a run that writes nothing;
#   (4) room for the journal, not the file: the journal is left, no file,
#   the state as it was, and the next run stops there again; (5) room
#   for the file, not the state: the file is in new/, whole; (6) room
#   again: the journal finished, the file not written twice.
# 600 POs of 3 lines, 1,300 receipts by run 1 and 600 more in run 2: the
# spill, the file's text and the state are tens of KiB and more.  Every
# expected value is computed here from what the test seeded.  Runs as
# root (a small tmpfs is the spool).
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

t_need_tmpfs
bed_re
mount -t tmpfs -o size=4m,mode=0750 posync-test "$SPOOL" 2>/dev/null ||
	t_skip_all "cannot mount a tmpfs on $SPOOL"
t_at_exit "umount $SPOOL || umount -l $SPOOL"
mkdir -p "$SPOOL/state"
# each run's own file is checked (no fold), against the model's
re_model disk <<'PY'
# disk.py seed|recv RUN|expect -- the data of 3039 and what it must give.
import json, os, random, sys
from simclient import D, Hotwax, fmt, S, W, SPOOL

NPO = 600
LINES = (("1", "P1", "4"), ("2", "P2", "2.5"), ("3", "P3", "10"))


def pos():
    # 7 digits each: byte order is number order
    return [str(7100000 + 37 * k) for k in range(NPO)]


def seed():
    hw = Hotwax()
    with open(os.path.join(SPOOL, "state", "polines"), "a") as f:
        for po in pos():
            hw.json("POST", "/_sim/orders", {"orderId": "HW" + po, "externalId": po,
                    "facilityId": "F1", "items": [{"orderItemSeqId":
                    "0000" + l, "externalId": l, "productId": p,
                    "quantity": float(q)} for l, p, q in LINES]})
            for l, _, q in LINES:
                f.write("%s\t%s\t%s\n" % (po, l, q))


def part(rng, left):
    """What a line gets: all that is left, a part of it, or nothing."""
    r = rng.random()
    if r < 0.25:
        return D(0)
    return left if r < 0.6 else \
        (left * rng.randint(1, 9) / 10).quantize(D("0.01"))


def plan(run):
    """The receive calls of a run: (po, [(line, accepted, rejected)]).
    Run 0 receives a few POs' line 1 in full; run 1 all POs (a few
    rejected goods only: no element), run 2 two POs in three, at most
    what is left open on each line."""
    rng = random.Random(3039)
    calls = {0: [], 1: [], 2: []}
    for k, po in enumerate(pos()):
        got = {l: D(0) for l, _, _ in LINES}
        if k % 50 == 7:
            calls[0].append((po, [("1", D("4"), D(0))]))
            got["1"] = D(4)
        for r in (1, 2):
            if r == 1 and k % 31 == 3:
                calls[1].append((po, [("2", D(0), D(1))]))
                continue
            items = [(l, part(rng, D(q) - got[l]), D(0))
                     for l, _, q in LINES]
            items = [i for i in items if i[1] > 0]
            if r == 1 and not items:
                items = [("3", D(1), D(0))]
            if r == 2 and k % 3 == 1:
                items = []
            for l, a, _ in items:
                got[l] += a
            if len(items) > 1 and rng.random() < 0.3:	# two calls
                calls[r] += [(po, items[:1]), (po, items[1:])]
            elif items:
                calls[r].append((po, items))
    return calls[run]


def recv(run):
    hw, recs = Hotwax(), []
    path = os.path.join(S, "receipts%d.json" % run)
    for po, items in plan(run):
        ids = hw.json("POST", "/api/oms/purchaseOrders/HW%s/receive" % po,
                      {"facilityId": "F1", "items": [{"orderItemSeqId":
                       "0000" + l, "quantityAccepted": float(a),
                       "quantityRejected": float(j)} for l, a, j in items]}
                      )["receiptIds"]
        recs += [[rid, po, l, str(a)] for rid, (l, a, j) in zip(ids, items)]
    with open(path, "w") as f:
        json.dump(recs, f)


def expect(run):
    """Run RUN's file: per PO with goods accepted, its lines still open
    after the runs before, each with what it accepted (0 if nothing);
    the ledger: every receipt id so far; the totals of every file."""
    before, now, ids = {}, {}, []
    for k in range(run + 1):
        with open(os.path.join(S, "receipts%d.json" % k)) as f:
            for rid, po, l, a in json.load(f):
                got = now if k == run else before
                got[po, l] = got.get((po, l), D(0)) + D(a)
                ids.append(rid)
    els = []
    for po in pos():
        if not sum(now.get((po, l), D(0)) for l, _, _ in LINES):
            continue
        items = ['{"line_id":"%s","quantity":%s}' % (l, fmt(now.get(
                 (po, l), D(0)))) for l, _, q in LINES
                 if D(q) > before.get((po, l), D(0))]
        els.append('{"order_id":"%s","items":[%s]}' % (po, ",".join(items)))
    with open(os.path.join(W, "file%d" % run), "w") as f:
        f.write("[" + ",\n".join(els) + "]\n")
    with open(os.path.join(W, "ids%d" % run), "w") as f:
        f.write("".join(i + "\n" for i in sorted(ids)))
    # what every file lists, summed per line: all goods, once
    tot = {k: before.get(k, D(0)) + now.get(k, D(0)) for k in
           set(before) | set(now)}
    with open(os.path.join(W, "totals%d" % run), "w") as f:
        f.write("".join("%s %s %s\n" % (po, l, fmt(q)) for (po, l), q in
                        sorted(tot.items()) if q > 0))


if __name__ == "__main__":
    {"seed": seed, "recv": lambda: recv(int(sys.argv[2])),
     "expect": lambda: expect(int(sys.argv[2]))}[sys.argv[1]]()
PY
avail() { df -Pk "$SPOOL" | awk 'NR == 2 { print $4 }'; }
# room KIB: the spool left with KIB KiB free (0: none at all)
room() {
	rm -f "$SPOOL/fill"
	if [ "$1" = 0 ]; then
		dd if=/dev/zero of="$SPOOL/fill" bs=4k 2>/dev/null
	else
		dd if=/dev/zero of="$SPOOL/fill" bs=1k count=$(($(avail) - $1)) 2>/dev/null
	fi
}
names() { ls -A "$1" | LC_ALL=C sort; }
# unchanged [NAME]: "" when the spool is as snapshot left it: the files
# in receipt/new, the state, the polines ledger, the names in state/
# (and NAME, the journal, if given); receipt/tmp empty.  Else what is not.
unchanged() {
	names "$SPOOL/state" >"$SCRATCH/ls"
	{ cat "$SCRATCH/ls0"; [ -z "${1:-}" ] || echo "$1"; } | LC_ALL=C sort |
		cmp -s - "$SCRATCH/ls" ||
		echo "state/ holds $(tr '\n' ' ' <"$SCRATCH/ls")"
	[ "$(re_files)" = "$files0" ] || echo "a file in receipt/new"
	cmp -s "$SCRATCH/state0" "$ST" || echo "the state changed"
	cmp -s "$SCRATCH/polines0" "$L" || echo "the polines ledger changed"
	[ -z "$(ls -A "$SPOOL/receipt/tmp" 2>/dev/null)" ] ||
		echo "receipt/tmp is not empty"
}
# a run of receipt-export: its status in rc, its output in out, err
rx() { receipt-export "$@" >"$SCRATCH/out" 2>"$SCRATCH/err"; rc=$?; }

# what the next runs must leave alone when they commit nothing
snapshot() {
	files0=$(re_files)
	cp "$ST" "$SCRATCH/state0"
	cp "$L" "$SCRATCH/polines0"
	names "$SPOOL/state" >"$SCRATCH/ls0"
}
nospace=': No space left on device$'
spillfull="receipt-export: cannot use a temporary file in $SPOOL/state: No space left on device"
# least: the least room (KiB, to a 4 KiB page of the tmpfs) in which a
# dry run (-n) goes through: its spill fits (-n spills into $TMPDIR, not
# the spool: here the spool's state folder, so that it measures the room
# a real run's spill takes)
least() {
	lo=0 hi=2048
	room $hi
	TMPDIR=$SPOOL/state receipt-export -n >/dev/null 2>&1 ||
		t_bail "-n does not go through with $hi KiB free"
	while [ $((hi - lo)) -gt 4 ]; do
		mid=$(((lo + hi) / 8 * 4))
		room $mid
		if TMPDIR=$SPOOL/state receipt-export -n >/dev/null \
		    2>"$SCRATCH/err"; then
			hi=$mid
		else
			grep -qx "$spillfull" "$SCRATCH/err" ||
				t_bail "-n with $mid KiB: $(cat "$SCRATCH/err")"
			lo=$mid
		fi
	done
	t_diag "-n goes through with $hi KiB free, not with $lo"
	t_is "-n left nothing behind" "$(unchanged)" ""
}

disk seed || t_bail "seeding HotWax failed"
disk recv 0 || t_bail "receiving (run 0) failed"
t_exit "run 0, with room: exit 0" 0 receipt-export
t_like "... its file in receipt/new" "$(t_out)" "^$SPOOL/receipt/new/[^/]*\\.json\$"
disk recv 1 && disk expect 1 || t_bail "receiving (run 1) failed"
t_diag "receipts: $(grep -c . "$W/ids1") after run 1"
t_true "runs 0 and 1 have over 1000 receipts" "$(grep -c . "$W/ids1")" -gt 1000
t_true "... its file over 64 KiB" "$(wc -c <"$W/file1")" -gt 65536
snapshot

# (1) no room at all: the first write of the spill fails
room 0
t_is "the spool is full" "$(avail)" 0
t_exit "a full spool: exit 74" 74 receipt-export
t_like "the message names the folder" "$(t_err)" "^$spillfull\$"
t_is "nothing on stdout" "$(t_out)" ""
t_is "nothing committed, nothing left behind" "$(unchanged)" ""
t_true "no journal" ! -e "$J"
# -n needs no room in the spool: its temporary files go in $TMPDIR
t_exit "-n on the full spool: exit 0" 0 env TMPDIR="$SCRATCH" receipt-export -n
t_is "... prints the file it would write" "$(t_out)" "$(cat "$W/file1")"
t_is "... changes nothing" "$(unchanged)" ""

# (2) room for the spill but not for the journal.  The run's peak
# before its commit is its spill: the receipts' records and the file's
# text, then (the records freed) the file's and the state's text; a dry
# run (-n) makes the same, with no journal after it.  So the room is
# found by halving with -n: the least in which it goes through.  The
# journal holds the file's and the state's text again while their
# temporary files are open, twice theirs (here over 256 KiB), far above
# what the spill needs: 8 KiB more than the least is room for the spill
# and not the journal.
least
room $((hi + 8))
t_exit "room for the spill, not the journal: exit 74" 74 receipt-export
t_like "the message names the journal in state/" "$(t_err)" \
	"^receipt-export: cannot write $SPOOL/state/receipt-export\\.pending\\.tmp\\.[0-9]+$nospace"
t_is "nothing on stdout" "$(t_out)" ""
t_is "nothing committed, nothing left behind" "$(unchanged)" ""
t_true "no journal" ! -e "$J"

# (3) room again: every receipt of run 1 in one file, once
rm -f "$SPOOL/fill"
t_exit "room again: exit 0" 0 receipt-export
f1=$(t_out)
t_is "quietly" "$(t_err)" ""
t_is "one file more in receipt/new" "$(re_files | grep -vxF "$files0")" "${f1##*/}"
t_is "... every PO with goods, its open lines, in PO order" "$(cat "$f1")" \
	"$(cat "$W/file1")"
t_is "both files: each line's goods once" "$(re_totals | awk '$3 != 0')" \
	"$(cat "$W/totals1")"
t_is "the ledger: every receipt, once" \
	"$(grep '^r	' "$ST" | cut -f2 | LC_ALL=C sort)" "$(cat "$W/ids1")"
t_true "no journal" ! -e "$J"
t_is "nothing left in state/" "$(names "$SPOOL/state")" "$(cat "$SCRATCH/ls0")"
t_exit "a second run: exit 0" 0 receipt-export
t_is "... writes nothing" "$(t_out)$(t_err)" ""
t_is "... no file" "$(re_files | grep -vxF "$files0")" "${f1##*/}"

# Run 2: more receipts, and a journal that cannot be finished at once
disk recv 2 && disk expect 2 || t_bail "receiving (run 2) failed"
t_diag "receipts: $(grep -c . "$W/ids2") after run 2"
t_true "run 2's file over 32 KiB" "$(wc -c <"$W/file2")" -gt 32768
snapshot

# (4) more room, 16 KiB a run from the spill's least, until the journal
# fits: the file does not (it needs its own room again, over 32 KiB: a
# step of 16 cannot pass over it), and the journal is left for the next
# run; each run before committed nothing
least
x=$hi n=0 bad=
while :; do
	x=$((x + 16))
	room $x
	rx
	[ $rc = 74 ] && grep -q 'receipt-export\.pending\.tmp' "$SCRATCH/err" || break
	bad=$bad$(unchanged)$(cat "$SCRATCH/out")
	n=$((n + 1))
	[ $n -lt 64 ] || t_bail "the journal never fits"
done
t_diag "the journal fits with $x KiB free"
t_true "runs that could not write the journal: $n" $n -ge 1
t_is "... they committed nothing, printed nothing" "$bad" ""
t_is "with room for the journal, not the file: exit 74" "$rc" 74
t_like "the message names the file in receipt/tmp" "$(cat "$SCRATCH/err")" \
	"^receipt-export: cannot write $SPOOL/receipt/tmp/[^/]*\\.json\\.[0-9]+$nospace"
t_true "the journal is there" -f "$J"
t_is "nothing on stdout" "$(cat "$SCRATCH/out")" ""
t_is "nothing else committed, nothing else left behind" \
	"$(unchanged receipt-export.pending)" ""

# the next run finishes the journal first (read into memory): with room
# for less than the file it stops there again
cp "$J" "$SCRATCH/journal"
x=$(($(wc -c <"$W/file2") / 1024 - 8))
room $x
t_exit "the next run, still no room for the file: exit 74" 74 receipt-export
t_like "... the message names the file" "$(t_err)" \
	"^receipt-export: cannot write $SPOOL/receipt/tmp/[^/]*\\.json\\.[0-9]+$nospace"
t_ok "... the journal as it was" cmp "$SCRATCH/journal" "$J"
t_is "... nothing on stdout" "$(t_out)" ""
t_is "... nothing else committed" "$(unchanged receipt-export.pending)" ""

# (5) more room, 16 KiB a run, until the file fits: the state (over
# 32 KiB) does not
n=0
while :; do
	x=$((x + 16))
	room $x
	rx
	[ $rc = 74 ] && [ "$(re_files)" = "$files0" ] || break
	n=$((n + 1))
	[ $n -lt 64 ] || t_bail "the file never fits"
done
t_diag "the file fits with $x KiB free"
t_is "with room for the file, not the state: exit 74" "$rc" 74
t_like "the message names the state" "$(cat "$SCRATCH/err")" \
	"^receipt-export: cannot write $SPOOL/state/receipt-export\\.state\\.tmp\\.[0-9]+$nospace"
t_is "nothing on stdout" "$(cat "$SCRATCH/out")" ""
f2=$(re_files | grep -vxF "$files0")
t_is "one file more in receipt/new" "$(echo "$f2" | wc -l)" 1
t_is "... whole: every PO with goods, its open lines, in PO order" \
	"$(cat "$SPOOL/receipt/new/$f2")" "$(cat "$W/file2")"
t_ok "the state as it was" cmp "$SCRATCH/state0" "$ST"
t_ok "the journal as it was" cmp "$SCRATCH/journal" "$J"
t_is "nothing else left behind in state/" "$(names "$SPOOL/state")" \
	"$({ cat "$SCRATCH/ls0"; echo receipt-export.pending; } | LC_ALL=C sort)"

# (6) room again: the journal finished, the file not written twice
rm -f "$SPOOL/fill"
t_exit "room again: exit 0" 0 receipt-export
t_is "it prints the file" "$(t_out)" "$SPOOL/receipt/new/$f2"
t_is "quietly" "$(t_err)" ""
t_is "still one file more in receipt/new" "$(re_files | grep -vxF "$files0")" "$f2"
t_is "... the same" "$(cat "$SPOOL/receipt/new/$f2")" "$(cat "$W/file2")"
t_is "the three files: each line's goods once" "$(re_totals | awk '$3 != 0')" \
	"$(cat "$W/totals2")"
t_is "the ledger: every receipt, once" \
	"$(grep '^r	' "$ST" | cut -f2 | LC_ALL=C sort)" "$(cat "$W/ids2")"
t_true "the state is over 32 KiB" "$(wc -c <"$ST")" -gt 32768
t_true "no journal" ! -e "$J"
t_is "nothing left in state/" "$(names "$SPOOL/state")" "$(cat "$SCRATCH/ls0")"
t_exit "a second run: exit 0" 0 receipt-export
t_is "... writes nothing" "$(t_out)$(t_err)" ""
t_is "... no file" "$(re_files | grep -vxF "$files0")" "$f2"
t_done
