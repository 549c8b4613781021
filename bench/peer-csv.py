# bench/peer-csv.py CSV OUTDIR BATCH -- the peer a short script would be:
# Python's csv module turning a NetSuite PO CSV into JSON batches of BATCH
# rows in OUTDIR, with no validation, no comma recovery, no ledger and no
# fsync.  pocsv-bench.sh and p1-parse.sh run it against po-export-parse.
import csv, json, os, sys
src, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
batch, k = [], 0
def flush():
    global batch, k
    k += 1
    with open(os.path.join(out, "%05d.json" % k), "w") as f:
        json.dump(batch, f)
    batch = []
with open(src, newline="") as f:
    r = csv.reader(f)
    next(r)
    for row in r:
        batch.append({"externalId": row[0], "productSku": row[1], "quantity": row[2],
                      "externalFacilityId": row[-3], "itemExternalId": row[-2],
                      "arrivalDate": row[-1]})
        if len(batch) >= n:
            flush()
if batch:
    flush()
