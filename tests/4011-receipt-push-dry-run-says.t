#!/bin/sh
# receipt-push -n (issue 8, review A findings 5 and 6): every outside name
# it prints on stdout is quoted (msg_quote): no control byte, no forged
# line; and while an interrupted receipt-export's journal waits, -n says
# that nothing would be published, as the real run then publishes nothing,
# taking no lock and creating nothing.
. "${0%/*}/lib.sh"
. "$BED/sshd.sh"
. "$BED/posync.sh"
bed_receipt_push
P=$SFTP_BASE/purchaseorder
SP=$SCRATCH/spool
mkdir -p "$P/receipt/archive" "$P/receipt-staging" "$SP/receipt/new"
# The leftover is put there by hand.  A run looks at staging only when
# SPOOL/state/receipt-push.staging does not say it is clean, or before
# an upload (tests/4027): this spool is fresh, with no such note, as
# after a run killed mid-upload (which removes the note before the
# upload), so -n sweeps and names it -- and the file queued below would
# have it sweep before its upload anyway.
touch "$P/receipt-staging/$(printf 'left\033[2J\033]0;pwned\007\nforged line.json')"
printf '[{"order_id":"1","items":[{"line_id":"1","quantity":1}]}]\n' \
	>"$SP/receipt/new/$(printf 'x\033[31m.json')"
t_exit "receipt-push -n with hostile names" 0 receipt-push -n </dev/null
t_is "... no ESC or BEL byte on stdout" "$(t_out | tr -dc '\033\007' | wc -c)" 0
t_like "... the staging leftover named, quoted" "$(t_out)" \
	'^would remove the staging leftover ".*/receipt-staging/left\\x1b\[2J\\x1b\]0;pwned\\x07\\nforged line\.json"$'
t_like "... the spool file named, quoted" "$(t_out)" \
	'^would publish ".*/new/x\\x1b\[31m\.json" as ".*/receipt/x\\x1b\[31m\.json"$'
t_is "... two lines, each a 'would'" "$(t_out | grep -c '^would ')" 2
t_is "... and no other line" "$(t_out | wc -l)" 2

# ---- an interrupted receipt-export's journal
rm -f "$P/receipt-staging"/* "$SP/receipt/new"/*
F=posync_PurchaseOrderReceiptFeed_2026-01-01-00_00_00_000.json
printf '[{"order_id":"1","items":[{"line_id":"1","quantity":1}]}]\n' >"$SP/receipt/new/$F"
mkdir -p "$SP/state"
printf 'interrupted\n' >"$SP/state/receipt-export.pending"
t_exit "receipt-push -n with the journal waiting" 0 receipt-push -n </dev/null
t_is "... would publish nothing" "$(t_out | grep -c '^would publish ')" 0
t_like "... and says why" "$(t_out)" '^would hold every file: an interrupted receipt-export must finish first$'
t_true "... took no lock (created no lock file)" ! -e "$SP/state/receipt-publish.lock"
t_exit "the real run" 0 receipt-push </dev/null
t_true "... publishes nothing either" ! -e "$P/receipt/$F"
rm "$SP/state/receipt-export.pending"
t_exit "receipt-push -n once the journal is gone" 0 receipt-push -n </dev/null
t_like "... would publish the file" "$(t_out)" "^would publish \".*/new/$F\" as"
t_done
