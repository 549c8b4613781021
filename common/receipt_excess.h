/*
 * receipt_excess -- spool/receipt/excess.csv: order_id,line_id,quantity,
 * receipt_ids, one row per excess (goods accepted in HotWax beyond what
 * is open in NetSuite) for a person to settle in NetSuite.  What it
 * promises: written and read with libcsv (csvio.h), so a hostile id
 * cannot forge a row; a row is added once, however often a crashed run
 * is finished again; the file is replaced whole, atomically, so no row
 * is ever torn, and one an older version left torn is closed; rows
 * written up to 0.1.0 (receipt_ids unquoted, cut at its commas) are read
 * as the one row they were.
 */
#ifndef POSYNC_RECEIPT_EXCESS_H
#define POSYNC_RECEIPT_EXCESS_H

#include "util.h"

/* The columns of a row. */
#define EXCESS_COLS	4

/* Add the rows of rows (CSV, as receipt_rules writes them) not already in
 * the file at path.  *said counts the rows added.  0, or EX_IOERR. */
int rx_excess_write(const char *path, const struct buf *rows, int *said);

#endif
