#!/bin/sh
# The failed rows of a batch from a long NetSuite file name can be
# imported again as po-import(1) says: a 246-byte remote name with one
# good row and one whose SKU HotWax does not know gives a batch name of
# 228 bytes and failed/STEM.rows.json of 233; after the SKU is seeded,
# "po-import failed/STEM.rows.json" gets the line into HotWax.  A batch
# name too long for the spool is refused saying so.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_all
hw_seed_prd1
lines() { hw_lines po line product; }

name="Fri Nov 27 2026 08:15:00 GMT-0800 (Pacific Standard Time) $(python3 -c 'print("x" * 170, end="")')-PurchaseOrder.csv"
t_is "the remote name is 246 bytes" "$(printf '%s' "$name" | wc -c | tr -d ' ')" 246
printf '%s\n' "$HDR" '8640,26897,1,116,1,' '8640,NEW-SKU,2,116,2,' >"$IN/$name"
touch -d '10 minutes ago' "$IN/$name"

t_exit "po-export-parse | po-import: the unknown SKU's row fails: exit 65" 65 \
	sh -c 'po-export-parse | po-import'
rows=$(ls "$SP/po/failed" | grep '\.rows\.json$')
t_is "the rows file is 233 bytes long" "$(printf '%s' "$rows" | wc -c | tr -d ' ')" 233
t_is "the good line is in HotWax" "$(lines)" "8640:1:PRD-1"

hw_ctl POST /_sim/seed '{"products": [{"productId": "PRD-2", "sku": "NEW-SKU"}]}' >/dev/null
t_exit "after seeding the SKU, po-import failed/STEM.rows.json: exit 0" 0 \
	po-import "$SP/po/failed/$rows"
t_is "... and the line arrives" "$(lines)" "8640:1:PRD-1 8640:2:PRD-2"

# a name over the limit: refused, and the message says it is the length
long=$SCRATCH/$(python3 -c 'print("y" * 230, end="")').json
echo '[]' >"$long"
t_exit "a 235-byte batch name: exit 65" 65 po-import "$long"
t_like "... refused for its length" "$(t_err)" "the name is 235 bytes, longer than the 234 a batch name may have"
t_done
