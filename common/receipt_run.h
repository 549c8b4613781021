/*
 * receipt_run -- a receipt-export run's receipts decided a chunk of
 * NetSuite POs at a time, so that its memory is flat in the receipts it
 * reads (issue 12, P4): what it holds for the whole run is the state, one
 * small record per HotWax order and NetSuite PO, and 8 bytes a receipt;
 * the receipts themselves wait in a temporary file (spill.h), and the
 * receipt file's text goes to another as it is made.
 *
 * The input was filled by rx_fetch_receipts into a spill
 * (rx_input_spill_to).  rx_run then asks HotWax for every order's
 * OrderHeader row, groups the receipts by NetSuite PO (receipts of no
 * PO by HotWax order), adds the polines records of those POs to the
 * spill, and walks the groups in PO order, about RX_RUN_ORDERS orders a
 * chunk: for each, an input of its receipts, orders and polines records,
 * its OrderItem rows (and --start-at's seed), decided by rx_decide_part
 * against the run's state.  The rules are receipt_rules.c's, unchanged:
 * each PO is decided whole, in one chunk, with what rx_decide would have
 * seen of it; a receipt met twice (a page shifted) is found in the
 * ledger by the second chunk that meets it.
 */
#ifndef POSYNC_RECEIPT_RUN_H
#define POSYNC_RECEIPT_RUN_H

#include "receipt_rules.h"
#include "spill.h"

struct config;
struct hotwax;

/* About this many HotWax orders a chunk: one OrderItem query
 * (HOTWAX_FIND_CHUNK ids) when each PO has one order. */
#define RX_RUN_ORDERS	100
/* A chunk ends at the next group once it holds this many rows. */
#define RX_RUN_ROWS	8192

/* Decide the run in (spilled): d as rx_decide fills it (rx_decide_begin
 * first, rx_decide_end at the end), but the file's text into file
 * (bracketed; nothing when no element).  The notes are left in d for the
 * caller to say: they grow with what HotWax got wrong and what is held
 * or in excess, not with the receipts.  st updated.  0 or the status
 * that stops the run (a HotWax query, the polines ledger, a temporary
 * file); then st holds part of the run and must not be written. */
int rx_run(struct hotwax *h, const struct config *cfg, struct rx_input *in,
    struct rx_state *st, struct rx_decision *d, struct spill_text *file);

#endif
