#!/bin/sh
# A batch whose close(2) fails (EIO, as NFS or FUSE say a delayed write
# failed; bed/fail-close.c) while a backlog of three CSVs is taken over
# SFTP.  The batches are closed on the flusher's thread (flusher.h), but
# the failure holds back that CSV alone: it is named with the batch,
# stays in the inbox, nothing of it is in new/; the other two are taken
# and archived (exit 74 for the one); nothing is left in po/tmp.  The
# next run takes it, every row once.  Review F found the whole backlog
# held back by the one failure.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

cc -shared -fPIC -o "$SCRATCH/fail-close.so" "$TOP/tests/bed/fail-close.c" -ldl ||
	t_skip_all "cannot build bed/fail-close.c"
bed_pep hotwax.batch_size=50
i=1
for po in 7501 7502 7503; do
	python3 - "$po" >"$IN/f$i.csv" <<'PY'
import sys
print("external-id,product-sku,quantity,external-facility-id,item-external-id,arrival-date")
for n in range(1, 501):
    print("%s,SKU-%d,1,116,%d," % (sys.argv[1], n, n))
PY
	touch -d "$((60 - i)) minutes ago" "$IN/f$i.csv"
	i=$((i + 1))
done

t_exit "f2.csv's batches cannot be closed: exit 74" 74 \
	env LD_PRELOAD="$SCRATCH/fail-close.so" FAIL_CLOSE=/po/tmp/f2.csv. po-export-parse
t_like "... the batch and its CSV named, with the reason" "$(t_err)" \
	'cannot write batch [0-9]* of "f2.csv" \(and [0-9]* more like it\): Input/output error'
t_like "... the CSV said to stay" "$(t_err)" '"f2.csv": the file stays where it is'
t_is "... nothing else said" "$(t_err | grep -vc 'f2\.csv')" 0
t_is "... the other two taken, the one held" "$(new_po_counts)" "7501:500 7503:500 "
t_true "... f2.csv still in the inbox" -f "$IN/f2.csv"
t_is "... f1 and f3 archived" "$(ls "$AR" | tr '\n' ' ')" "f1.csv f3.csv "
t_is "... nothing left in po/tmp" "$(ls "$SP/po/tmp" | tr '\n' ' ')" ""

t_exit "the next run: exit 0" 0 po-export-parse
t_is "... quiet" "$(t_err)" ""
t_is "... every row once" "$(new_po_counts)" "7501:500 7502:500 7503:500 "
t_is "... 1500 lines, none twice" "$(cat "$SP"/po/new/*.json | tr -d ' \n' |
	grep -o '"externalId":"[0-9]*"[^}]*"itemExternalId":"[0-9]*"' | sort -u | wc -l | tr -d ' ')" 1500
t_is "... all three archived" "$(ls "$AR" | tr '\n' ' ')" "f1.csv f2.csv f3.csv "
t_done
