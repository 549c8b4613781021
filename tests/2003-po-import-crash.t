#!/bin/sh
# kill -9 of po-import at random moments, each followed by a rerun: HotWax
# ends in the same state as after an undisturbed run, every batch is in
# cur/ with its log closed, none is left in new/ or put in failed/.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_po_import
SP=$SCRATCH/spool/po

lines() {
	hw_ctl GET /_sim/state | hw_json '" ".join(sorted("%s:%s:%s:%s" % (o["externalId"],
	    i["externalId"], i["productId"], i["quantity"]) for o in d["orders"] for i in o["items"]))'
}
row() {
	printf '{"externalId":"%s","itemExternalId":"%s","productSku":"%s","quantity":%s,"externalFacilityId":"116"}' "$@"
}
# a fresh simulator (token, products, facility) and a fresh spool of
# three batches; line 1 of PO 3001 comes twice and the later
# batch must win
fresh() {
	hw_ctl POST /_sim/reset >/dev/null
	printf '{"tokens":["%s"],"products":[{"productId":"P-A","sku":"SKU-A"},{"productId":"P-B","sku":"SKU-B"}],"facilities":[{"facilityId":"FAC-116","externalId":"116"}]}' \
		"$(cat "$SCRATCH/hotwax.token")" >"$SCRATCH/seed.json"
	curl -sf --cacert "$HOTWAX_CA" -H 'Content-Type: application/json' \
		--data-binary @"$SCRATCH/seed.json" \
		"https://127.0.0.1:$HOTWAX_PORT/_sim/seed" >/dev/null
	rm -rf "$SCRATCH/spool"
	mkdir -p "$SP/new"
	echo "[$(row 3001 1 SKU-A 1),$(row 3001 2 SKU-B 2)]" >"$SP/new/c1.json"
	echo "[$(row 3002 1 SKU-B 5),$(row 3001 3 SKU-A 3),$(row 3001 1 SKU-A 4)]" >"$SP/new/c2.json"
	echo "[$(row 3003 1 SKU-A 8)]" >"$SP/new/c3.json"
	# every upload takes a while: a window to be killed in
	hw_ctl POST /_sim/fault '{"kind":"delay","seconds":0.15,"path":"uploadJsonFile","count":1000}' >/dev/null
}
# what HotWax, new/, cur/ and failed/ look like
outcome() {
	echo "hotwax: $(lines)"
	echo "new: $(ls "$SP/new" | tr '\n' ' ')"
	echo "cur: $(ls "$SP/cur" | tr '\n' ' ')"
	echo "failed: $(ls "$SP/failed" | tr '\n' ' ')"
}

# the undisturbed run
fresh
t_exit "an undisturbed run" 0 sh -c 'po-import </dev/null'
want=$(outcome)
t_like "imports every line" "$want" \
	"hotwax: 3001:1:P-A:4 3001:2:P-B:2 3001:3:P-A:3 3002:1:P-B:5 3003:1:P-A:8"
t_like "with every batch and its log in cur/" "$want" \
	"cur: c1.json c1.logdone c1.logid c2.json c2.logdone c2.logid c3.json c3.logdone c3.logid $"

i=0
while [ $i -lt 10 ]; do
	i=$((i + 1))
	fresh
	# kill somewhere in the first 0.8 s (three uploads take about 0.5 s)
	ms=$(od -An -tu2 -N2 /dev/urandom | awk '{ print $1 % 800 }')
	po-import </dev/null >/dev/null 2>"$SCRATCH/killed.err" &
	pid=$!
	sleep "$(awk "BEGIN { print $ms / 1000 }")"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	t_exit "run $i killed after $ms ms, then rerun" 0 sh -c 'po-import </dev/null'
	t_is "run $i: the same outcome as undisturbed" "$(outcome)" "$want"
done

t_done
