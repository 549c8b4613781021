#!/bin/sh
# A file's batches wait in po/tmp until the run has written every file (staged), with the time
# NetSuite exported it, days ago.  Another program's start-up clean-up
# (spool_clean_tmp: po-import's, say, run by hand meanwhile) must not take
# them for a dead writer's leftovers by that time; and a batch that goes
# missing all the same (removed by hand) fails the run loudly: the file is
# neither marked parsed nor archived, and the next run writes it whole.
# (Review R4 of issue 12: the run exited 0 and archived, rows lost.)
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_pep hotwax.batch_size=10
NAME="Fri Nov 27 2026 08:15:00 GMT-0800 (Pacific Standard Time)-PurchaseOrder.csv"
python3 - >"$IN/$NAME" <<'PY'
print("external-id,product-sku,quantity,external-facility-id,item-external-id,arrival-date")
for i in range(50):
    print("%d,SKU %d,1,116,%d,12/24/2026" % (700000 + i // 5, i, i % 5 + 1))
PY
touch -d '3 days ago' "$IN/$NAME"

# stopped at staged: every batch written in tmp/, none renamed
POSYNC_TEST_STOP=staged po-export-parse >"$SCRATCH/out1" 2>"$SCRATCH/err1" &
pid=$!
n=0
until [ "$(awk '{ print $3 }' /proc/$pid/stat 2>/dev/null)" = T ] || [ $n -ge 300 ]; do
	sleep 0.1; n=$((n + 1))
done
t_is "po-export-parse stopped at staged" "$(awk '{ print $3 }' /proc/$pid/stat)" T
tmpb=$(ls "$SP/po/tmp" | grep -c '\.json\.')
t_is "its 5 batches wait in po/tmp" "$tmpb" 5
t_true "with the export's time, days ago" \
	"$(find "$SP/po/tmp" -name '*.json.*' -mtime +2 | wc -l)" -eq 5

# another program of the po area starts: its clean-up leaves them
t_exit "po-import run meanwhile (HotWax unreachable: nothing to upload)" 0 \
	po-import -v </dev/null
t_is "... removes none of them" "$(ls "$SP/po/tmp" | grep -c '\.json\.')" 5

# one removed by hand all the same: the run fails, keeps the file
rm "$(ls -d "$SP"/po/tmp/*.00003.json.* | head -n 1)"
kill -CONT "$pid"
wait "$pid"
t_is "a batch gone from tmp/: po-export-parse fails (74)" "$?" 74
t_like "... saying so" "$(cat "$SCRATCH/err1")" "1 of its 5 batches written in .*/tmp went missing"
t_true "... the file stays in the inbox" -f "$IN/$NAME"
t_is "... nothing archived" "$(ls "$AR" 2>/dev/null | wc -l)" 0

t_ok "the next run" po-export-parse
t_is "... names all 5 batches" "$(cat "$SCRATCH/out1" && t_out)" "$(ls "$SP"/po/new/*.json | sed 's#//*#/#g')"
t_is "... 50 rows in new/, once each" "$(cat "$SP"/po/new/*.json | grep -c '"externalId"')" 50
t_true "... and archives the file" -f "$AR/$NAME"
t_done
