#!/bin/sh
# receipt-export's journal read back: a file name holding a NUL byte is
# refused with a message naming the journal and its line, and the journal
# is left exactly as it was (it was cut silently at the NUL before, and
# the file delivered under the cut name).
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_re

# journal NAME -- a journal of one file, as receipt-export writes one
journal() {
	python3 - "$J" "$1" <<'PY'
import sys
path, name = sys.argv[1], sys.argv[2].replace("@NUL@", "\0")
f = b'[{"order_id":"8340","items":[{"line_id":"1","quantity":1}]}]\n'
st = b"posync receipt-export state 1\ncursor\t0\nlast\t1\n"
out = b"posync receipt-export journal 1\nname\t" + name.encode() + b"\n"
for k, v in ((b"file", f), (b"excess", b""), (b"state", st), (b"drop", b"")):
    out += k + b"\t" + str(len(v)).encode() + b"\n" + v
open(path, "wb").write(out + b"end\n")
PY
}

journal "posync_PurchaseOrderReceiptFeed_2026-01-01-00_00_00_000.json@NUL@x.json"
cp "$J" "$SCRATCH/journal.orig"
t_exit "a journal whose file name holds a NUL byte: 78" 78 receipt-export
t_like "... names the journal, its line and why" "$(t_err)" "receipt-export.pending:2: the file name holds a NUL byte"
t_ok "... the journal is left as it was" cmp "$J" "$SCRATCH/journal.orig"
t_is "... no file written" "$(re_files)" ""
t_is "... no state written" "$(ls "$SPOOL/state" | grep -c '\.state$')" 0

journal "posync_PurchaseOrderReceiptFeed_2026-01-01-00_00_00_000.json"
t_exit "the same journal with a plain name is rolled forward" 0 receipt-export
t_is "... its file delivered" "$(re_files)" "posync_PurchaseOrderReceiptFeed_2026-01-01-00_00_00_000.json"
t_true "... the journal gone" ! -e "$J"
t_done
