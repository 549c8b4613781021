# bench/p1-gen.py ROWS -- a NetSuite-style PO CSV on stdout, the issue's
# (12): one row in 50 a SKU with a comma (recovered), one in 40 a double
# quote, one in 1000 a bad quantity (rejected).  Used by pocsv-bench.sh
# and p1-parse.sh, so both measure the same file.
import sys
rows = int(sys.argv[1])
w = sys.stdout.write
w("external-id,product-sku,quantity,external-facility-id,item-external-id,arrival-date\n")
for i in range(rows):
    sku = "SKU-%07d" % i
    if i % 50 == 7:
        sku = "Box, size %d" % i
    elif i % 40 == 3:
        sku = '%d" Pan' % (i % 30)
    q = "%d.%d" % (i % 97 + 1, i % 4) if i % 1000 != 999 else "n/a"
    w("%d,%s,%s,%d,%d,%02d/%02d/2027\n" % (10000000 + i // 8, sku, q, 100 + i % 20,
                                          i % 8 + 1, i % 12 + 1, i % 28 + 1))
