# bench/gen-po-csv.py ROWS [FIRST [FILES DIR]] -- ROWS rows of a NetSuite
# PO CSV on stdout, as pocsv-bench.sh generates them (one row in 50 a SKU
# with a comma, one in 40 a quote, one in 1000 a bad quantity); PO numbers
# from FIRST (default 10000000) on.  With FILES and DIR: FILES such CSVs,
# DIR/f1.csv .. DIR/fFILES.csv, each with PO numbers of its own.
import sys

def gen(w, rows, first):
    w("external-id,product-sku,quantity,external-facility-id,item-external-id,arrival-date\n")
    for i in range(rows):
        sku = "SKU-%07d" % i
        if i % 50 == 7:
            sku = "Box, size %d" % i
        elif i % 40 == 3:
            sku = '%d" Pan' % (i % 30)
        q = "%d.%d" % (i % 97 + 1, i % 4) if i % 1000 != 999 else "n/a"
        w("%d,%s,%s,%d,%d,%02d/%02d/2027\n" % (first + i // 8, sku, q, 100 + i % 20,
                                              i % 8 + 1, i % 12 + 1, i % 28 + 1))

rows = int(sys.argv[1])
first = int(sys.argv[2]) if len(sys.argv) > 2 else 10000000
if len(sys.argv) > 4:
    for k in range(1, int(sys.argv[3]) + 1):
        with open("%s/f%d.csv" % (sys.argv[4], k), "w") as f:
            gen(f.write, rows, first + k * rows)
else:
    gen(sys.stdout.write, rows, first)
