/*
 * receipt_input_impl -- the fields of struct rx_input, for the two files
 * that own it: receipt_input.c writes them, receipt_rules.c's rx_decide
 * reads them.  Nothing else includes this; callers use receipt_input.h.
 */
#ifndef POSYNC_RECEIPT_INPUT_IMPL_H
#define POSYNC_RECEIPT_INPUT_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "decimal.h"
#include "map.h"
#include "receipt_ids.h"
#include "receipt_input.h"
#include "receipt_rules.h"

struct rcpt {
	char *id;		/* "" when HotWax gave none (then bad) */
	char *order, *seq;	/* NULL when HotWax gave none (then bad) */
	dec_t acc;
	int64_t ms;		/* -1 when HotWax gave none (then bad) */
	char *bad;		/* what is wrong with the row, or NULL */
};

struct order {			/* a value of rx_input.orders */
	char *ext;		/* NetSuite PO id, when a NetSuite PO */
	int found, netsuite;
	uint32_t rank;		/* its receipts' group (receipt_run.c) */
};

struct item {			/* a value of rx_input.items */
	char *order, *ext;	/* ext: NetSuite line id, or NULL */
	int hasqty;
	dec_t qty;
};

struct csvline {
	char *line;
	int has;
	dec_t qty;
};

struct linelist {		/* a value of rx_input.csv */
	struct csvline *v;
	size_t n, cap;
};

struct seeded {			/* a value of rx_input.seed */
	struct rx_po po;	/* each line's received before the floor */
	int held;		/* a row could not be counted */
};

struct strchunk;			/* receipt_input.c's strings, freed together */

struct rx_input {
	const struct rx_state *st;
	struct strchunk *strs;	/* every string below but the maps' keys */
	int64_t now, overlap_ms, keep_ms;
	char *where;
	struct rcpt *v;		/* the receipts taken, in HotWax's order */
	size_t n, cap;
	struct rx_ids *seen;	/* their ids, for pages that shifted */
	int64_t maxms;		/* the newest time not ahead of now */
	struct map *orders;	/* HotWax order id -> struct order */
	struct rx_ids *itemids;	/* esc(order) TAB esc(seq), its index in item */
	struct item *item;	/* OrderItem rows, the first of each line */
	size_t nitem, capitem;
	struct buf *key;	/* scratch: an item's key */
	struct map *csv;	/* NetSuite PO id -> struct linelist */
	struct map *seed;	/* NetSuite PO id -> struct seeded */
	struct map *pos;	/* the NetSuite POs of those orders */
	struct spill *spill;	/* not NULL: the receipts go there, not v */
	size_t nspilled;
	/* once ranked and the look-ups let go (rx_input_ranked): what a
	 * chunk needs of a receipt's order, by its rank */
	uint32_t porank;	/* the first NetSuite PO's rank */
	uint32_t nranks;
	char **rankpo;		/* rank - porank -> NetSuite PO id */
	unsigned char *found;	/* rank < porank: its order was found */
};

/* The OrderItem row rx_input_item gave for order and seq, or NULL. */
const struct item *rx_input_find_item(const struct rx_input *in,
    const char *order, const char *seq);

#endif
