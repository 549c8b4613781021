#!/bin/sh
# po-export-parse's batches are closed on a second thread that may hold
# several at once (flusher.h, issue 12 P1).  Under a low open files limit
# it must hold fewer or none, never be the reason a batch cannot be
# created: a 6000-row file in 60 batches, fetched over SFTP, with 16, 24
# and 64 files allowed, gives every row once, nothing left in po/tmp.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_pep hotwax.batch_size=100
python3 - >"$SCRATCH/po.csv" <<'PY'
print("external-id,product-sku,quantity,external-facility-id,item-external-id,arrival-date")
for i in range(1, 6001):
    print("7401,SKU-%d,1,116,%d," % (i, i))
PY

for n in 16 24 64; do
	rm -rf "$SP/po/new" "$SP/state/parsed" "$SP/state/polines" "$AR"
	cp "$SCRATCH/po.csv" "$IN/.po-$n.csv" && touch -d '10 minutes ago' "$IN/.po-$n.csv" &&
		mv "$IN/.po-$n.csv" "$IN/po-$n.csv"
	t_exit "$n files allowed: exit 0" 0 sh -c "ulimit -n $n && exec po-export-parse"
	t_is "... quiet" "$(t_err)" ""
	t_is "... every row once, in 60 batches" \
	    "$(new_po_counts)$(ls "$SP/po/new" | wc -l | tr -d ' ')" "7401:6000 60"
	t_is "... no line twice" "$(cat "$SP"/po/new/*.json |
	    grep -o '"itemExternalId": "[0-9]*"' | sort | uniq -d | wc -l | tr -d ' ')" 0
	t_is "... nothing left in po/tmp" "$(ls "$SP/po/tmp" | tr '\n' ' ')" ""
	t_true "... archived" -f "$AR/po-$n.csv"
done
t_done
