/*
 * receipt_seed -- receipt-export --start-at's floor, as it meets a PO.
 * Receipts HotWax dates before the floor went to NetSuite through the
 * exporter posync took over from: never exported, but received there all
 * the same.  So a PO the state has no record of (first seen since the
 * floor, or forgotten keep_days after it was complete) first gets them
 * added to its lines' received totals, which cap what is sent and decide
 * which lines are open (contracts.md section 4).  What it promises: every
 * HotWax order of such a PO is asked for (one NetSuite PO may be held by
 * several), with its items and its receipts before the floor, so a PO's
 * total is whole; a row that cannot be counted (no line id, a bad
 * quantity or time) holds the PO back, as one dated after the floor
 * would: a wrong total would send more than is open.  The rules keep the
 * totals in the state, so a PO is asked for once.
 */
#ifndef POSYNC_RECEIPT_SEED_H
#define POSYNC_RECEIPT_SEED_H

#include "receipt_rules.h"

struct config;
struct hotwax;

/* Add to in what the receipts before st's floor received on the POs
 * rx_seed_wanted names.  0 (nothing to do without a floor), or a
 * hotwax_find status. */
int rx_seed(struct hotwax *h, const struct config *cfg,
    const struct rx_state *st, struct rx_input *in);

#endif
