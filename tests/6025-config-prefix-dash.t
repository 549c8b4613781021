#!/bin/sh
# [netsuite] receipt_prefix starting with '-' is refused when the
# configuration is read (78, naming the file, line and key), as one
# starting with '.' was.  config.c took "-ns", while receipt-push refuses
# a spool name starting with '-' (safename.c): every receipt file was
# refused on the crontab's pipe (65) and held, nothing published (review
# S).  Both now use the spool rule's first character (spool_lead_ok).
. "${0%/*}/lib.sh"
. "$BED/posync.sh"
. "$BED/posync.sh"

PROGS="po-export-parse po-import receipt-export receipt-push"
bed_built $PROGS
posync_conf netsuite.receipt_prefix=-ns
for p in $PROGS; do
	t_exit "$p, receipt_prefix -ns: 78" 78 "$p" -n </dev/null
	t_like "... naming the file and the key" "$(t_err)" \
		"^$p: $SCRATCH/[^:]*:[0-9]+: \[netsuite\] receipt_prefix: \"-ns\" must be"
	t_like "... and the rule" "$(t_err)" "\(not starting with \. or -\)"
done
t_done
