#!/bin/sh
# A journal receipt-export refuses stops the run: exit 78, the journal
# left byte for byte, nothing exported, the state unchanged -- while HotWax
# holds receipts (it went on with an empty state before: every receipt
# exported again, the state overwritten, the journal removed).
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_re
re_then_more 8710 "$SCRATCH/state.orig"

# journal NAME STATE [CUT] -- a journal of one file as receipt-export
# writes one; @NUL@ in NAME is a NUL byte; CUT bytes cut off its end
journal() {
	python3 - "$J" "$1" "$2" "${3:-0}" <<'PY'
import sys
path, name, st, cut = sys.argv[1], sys.argv[2].replace("@NUL@", "\0"), sys.argv[3], int(sys.argv[4])
f = b'[{"order_id":"8710","items":[{"line_id":"1","quantity":1}]}]\n'
st = st.replace("\\t", "\t").replace("\\n", "\n").encode()
out = b"posync receipt-export journal 1\nname\t" + name.encode() + b"\n"
for k, v in ((b"file", f), (b"excess", b""), (b"state", st), (b"drop", b"")):
    out += k + b"\t" + str(len(v)).encode() + b"\n" + v
out += b"end\n"
open(path, "wb").write(out[:len(out) - cut])
PY
}
NAME=posync_PurchaseOrderReceiptFeed_2026-01-01-00_00_00_000.json
GOOD='posync receipt-export state 1\ncursor\t0\nlast\t1\n'

# refused WHAT LINE WHY -- the journal in $J is refused
refused() {
	cp "$J" "$SCRATCH/journal.orig"
	t_exit "$1: exit 78" 78 receipt-export
	t_like "... the message names the journal and line $2" "$(t_err)" \
		"receipt-export.pending:$2: $3.*nothing exported"
	t_ok "... the journal left byte for byte" cmp "$J" "$SCRATCH/journal.orig"
	t_ok "... the state left as it was" cmp "$ST" "$SCRATCH/state.orig"
	t_is "... no file in spool/receipt/new" "$(re_files)" ""
}

journal "$NAME@NUL@x.json" "$GOOD"
refused "a file name holding a NUL byte" 2 "the file name holds a NUL byte"
journal "$NAME" "$GOOD" 4
refused "a journal cut short by 4 bytes" "[0-9]*" "malformed journal"
journal "$NAME" 'posync receipt-export state 1\ncursor 0\nlast\t1\n'
refused "a journal whose state has a space for a tab" 2 "malformed record"

# a good journal (its state the one on disk: already applied) goes on
journal "$NAME" "$(sed 's/\t/\\t/g' "$SCRATCH/state.orig" | awk '{printf "%s\\n", $0}')"
t_exit "a good journal is rolled forward, the run goes on" 0 receipt-export
t_true "... the journal gone" ! -e "$J"
t_is "... only the new receipt exported" "$(re_totals)" "8710 1 2"
t_done
