/*
 * receipt_fetch -- HotWax's rows (performFind) turned into a
 * receipt-export run's input (receipt_rules.h): its receipts, their
 * orders and items (receipt_run.c adds the polines records of their
 * POs).
 * What it promises: a row HotWax got wrong (no id, order or item, a time
 * or quantity that is not one) is kept, marked bad with what is wrong,
 * for the rules to hold back its PO alone; a quantity with more than 8
 * decimal places is never rounded silently into a receipt; every id
 * named in a message is HotWax's own text, quoted where it is data.
 */
#ifndef POSYNC_RECEIPT_FETCH_H
#define POSYNC_RECEIPT_FETCH_H

#include <cjson/cJSON.h>

#include "decimal.h"
#include "receipt_rules.h"

struct config;
struct hotwax;

/* A non-empty JSON string member, or NULL. */
const char *rx_json_id(const cJSON *o, const char *k);
/* A quantity member: a JSON number (or a decimal string); null or absent
 * is none.  0, 1 (absent), -1 (malformed: negative, not a number, too
 * large or more than 8 decimal places). */
int rx_json_qty(const cJSON *o, const char *k, dec_t *out);

/* A ShipmentReceiptAndItem row as read, before the rules see it: id,
 * order, seq NULL and ms -1 when HotWax gave none; bad a malloc'd text
 * saying what is wrong (the caller frees it), NULL when nothing is.  The
 * strings but bad live as long as the row. */
struct rx_row {
	const char *id, *order, *seq;
	dec_t acc;
	int64_t ms;
	char *bad;
};
void rx_receipt_row(const cJSON *d, struct rx_row *r);

/* The receipts dated since the cursor less [hotwax] receipt_overlap (not
 * before the floor), into in.  0 or a hotwax_find status. */
int rx_fetch_receipts(struct hotwax *h, const struct config *cfg,
    const struct rx_state *st, struct rx_input *in);
/* The OrderHeader rows of the receipts' orders, into in. */
int rx_fetch_headers(struct hotwax *h, struct rx_input *in);
/* The OrderItem rows of the NetSuite POs' orders in in (no query when
 * there is none). */
int rx_fetch_items(struct hotwax *h, const struct config *cfg,
    struct rx_input *in);
/* An OrderHeader row into in (arg); always 0. */
int rx_take_order(const cJSON *d, void *arg);
/* An OrderItem row into in (for receipt_seed too); always 0. */
struct rx_item_rows {
	const struct config *cfg;
	struct rx_input *in;
};
int rx_take_item(const cJSON *d, void *arg);

extern const char *const rx_order_fields[];
extern const char *const rx_item_fields[];

#endif
