/*
 * receipt_input -- one receipt-export run's input, as the caller fetches
 * it (receipt_fetch.h, receipt_seed.h) and rx_decide (receipt_rules.h)
 * reads it: HotWax's receipt rows (each receipt taken once, the cursor's
 * goal kept), its OrderHeader and OrderItem rows, the polines records of
 * the POs concerned and, under --start-at, what receipts dated before
 * the floor received.  Building it decides nothing; the type is opaque.
 */
#ifndef POSYNC_RECEIPT_INPUT_H
#define POSYNC_RECEIPT_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "decimal.h"
#include "receipt_state.h"

/* New receipts taken per run; the rest waits for the next run. */
#define RX_MAX_NEW	100000

struct rx_input;

/* A run's input over st (read, not changed, until rx_decide): now is this
 * host's clock when the run began; where prefixes messages about HotWax's
 * rows (its base_url). */
struct rx_input *rx_input_new(const struct rx_state *st, int64_t now,
    int64_t overlap_ms, int64_t keep_ms, const char *where);
void rx_input_free(struct rx_input *in);

/* What became of a receipt row. */
enum rx_take {
	RX_TAKEN,		/* new: decided by rx_decide */
	RX_SPILL_FAILED,	/* the spill could not be written (said) */
	RX_OLD,			/* in the ledger, or taken already (a page shifted) */
	RX_BEFORE_FLOOR,	/* dated before --start-at's floor: never ours */
	RX_TOO_MANY		/* RX_MAX_NEW taken: stop, the rest next run */
};
/* A ShipmentReceiptAndItem row: id, order, seq NULL, ms -1 when HotWax
 * gave none; bad says what is wrong with the row (NULL: nothing).  Every
 * row but RX_TOO_MANY moves the cursor's goal (not past now). */
enum rx_take rx_input_receipt(struct rx_input *in, const char *id,
    const char *order, const char *seq, dec_t acc, int64_t ms,
    const char *bad);
/*
 * The run's whole input, when it is decided a chunk at a time
 * (receipt_run.h): each receipt taken goes to spill (struct spill_rec
 * kind RX_REC_RECEIPT: s id, order, seq, bad, a acc, b ms), not into
 * in; only its order is kept (rx_input_orders, rx_input_order) and the
 * cursor's goal.  No id is kept to spot a row met twice: the chunk that
 * meets it again finds it in the ledger.  Called before any receipt.
 */
#define RX_REC_RECEIPT	1
#define RX_REC_POLINE	2	/* s po, line, a has_qty, b qty */
struct spill;
void rx_input_spill_to(struct rx_input *in, struct spill *s);
struct spill *rx_input_spill(const struct rx_input *in);	/* or NULL */
/* A fresh input over the same state, clock, window and where as in's:
 * a chunk's. */
struct rx_input *rx_input_like(const struct rx_input *in);
/* Once every OrderHeader row is in: each order given its group, the
 * rank a chunked run reads its receipts in -- 0 for a receipt with no
 * order, then one for each order that is no NetSuite PO's (or not
 * found), then one for each NetSuite PO, in PO id order (the order the
 * elements are written in; every order of a PO shares its rank).  The
 * number of ranks. */
uint32_t rx_input_rank(struct rx_input *in);
uint32_t rx_input_order_rank(const struct rx_input *in, const char *order);
/* A NetSuite PO's rank, or 0 when it is none of the run's. */
uint32_t rx_input_po_rank(const struct rx_input *in, const char *po);
/* The receipts have their ranks: the look-ups by order and PO are let
 * go (megabytes at 100,000 receipts); what a chunk needs stays, by rank. */
void rx_input_ranked(struct rx_input *in);
/* What in's OrderHeader row said of order, of that rank, into chunk c
 * (order is one of c's). */
void rx_input_copy_order(struct rx_input *c, const struct rx_input *in,
    const char *order, uint32_t rank);
/* Every receipt row is in: the ids kept to spot a row met twice (a page
 * shifted) are let go; no receipt may be taken after. */
void rx_input_receipts_done(struct rx_input *in);
/* Nothing new: no receipt taken, the cursor would not move. */
int rx_input_empty(const struct rx_input *in);

/* The HotWax orders the receipts name, sorted (malloc'd array; the
 * strings live as long as in); netsuite: only NetSuite POs' orders. */
const char **rx_input_orders(const struct rx_input *in, int netsuite,
    size_t *n);
/* An OrderHeader row of an order a receipt names (others are ignored):
 * a NetSuite PO when type is PURCHASE_ORDER and ext is set.  1 when it is
 * not a NetSuite PO, else 0. */
int rx_input_order(struct rx_input *in, const char *order, const char *ext,
    const char *type);
/* An OrderItem row (the first of a line counts): ext the NetSuite line
 * id or NULL; hasqty 0 when its quantity is absent or malformed.  1 when
 * it was the first, else 0. */
int rx_input_item(struct rx_input *in, const char *order, const char *seq,
    const char *ext, int hasqty, dec_t qty);
/* The NetSuite line id of an item rx_input_item gave, or NULL. */
const char *rx_input_item_line(const struct rx_input *in, const char *order,
    const char *seq);
/* Is po a NetSuite PO this run's receipts reach? */
int rx_input_has_po(const struct rx_input *in, const char *po);
/* Every receipt is assigned to its PO and line: the look-ups by HotWax
 * order, item and PO (rx_input_orders, _order, _item, _item_line,
 * _has_po and the order of a receipt) are let go, so they are not held
 * while the elements and the state are built; rx_decide calls it. */
void rx_input_lookups_done(struct rx_input *in);
/* po's element is built: its polines records are let go. */
void rx_input_po_done(struct rx_input *in, const char *po);
/* A polines record (the last of a line counts). */
void rx_input_csv(struct rx_input *in, const char *po, const char *line,
    int has_qty, dec_t qty);

/* What a receipt dated before the floor accepted on a PO's line;
 * or, with line NULL, a row that could not be counted: the PO is held.
 * -1 (the PO held too) when the line's total would reach DEC_LIMIT, a
 * quantity no state could hold: the caller says so. */
int rx_input_seed(struct rx_input *in, const char *po, const char *line,
    dec_t acc);

#endif
