/*
 * receipt_rules -- what a receipt-export run sends NetSuite, decided with
 * no I/O at all (contracts.md section 4), so every rule can be tested
 * from files (tests/data/receipts/, tests/unit/receipt_rules.c).
 *
 * The caller fetches (receipt_fetch.h, receipt_seed.h) and builds the
 * run's rx_input (receipt_input.h).  rx_decide then gives, with the state
 * (receipt_state.h) updated in place:
 *   - the receipt file's elements: per NetSuite PO with goods to send,
 *     exactly its open lines (ordered > received; unknown ordered counts
 *     as open), each with its newly accepted quantity capped at what is
 *     open, or 0; a PO whose new goods are all rejected or all excess
 *     gets no element;
 *   - the excess rows (accepted beyond what is open), for excess.csv;
 *   - the holds: a receipt whose order HotWax cannot find, whose line has
 *     no NetSuite line id, or whose row is malformed holds its PO back
 *     (nothing of it exported, EX_DATAERR) and the cursor before it;
 *   - the ledger (each receipt exported once) and how far the cursor may
 *     move: to the newest receipt seen, never past a held one, never past
 *     the clock, never back;
 *   - the POs now fully received (to drop from the polines ledger).
 * Messages are returned as notes, said by the caller.
 */
#ifndef POSYNC_RECEIPT_RULES_H
#define POSYNC_RECEIPT_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "decimal.h"
#include "receipt_input.h"
#include "receipt_state.h"
#include "util.h"

/* One NetSuite PO line as the computation sees it. */
struct rx_line {
	char *id;		/* NetSuite line id */
	int csv;		/* enum rx_qty: the ordered quantity in polines */
	dec_t csv_qty;
	int hw;			/* RX_NONE or RX_KNOWN: HotWax's OrderItem quantity */
	dec_t hw_qty;
	int st;			/* enum rx_qty: the ordered quantity in the state */
	dec_t st_qty;
	dec_t received;		/* published so far (state) */
	dec_t accepted;		/* newly accepted, summed */
	struct buf rids;	/* ids of the new receipts with goods, space-separated */
	/* set by rx_compute */
	int ord;		/* RX_KNOWN or RX_UNKNOWN: the ordered quantity used */
	dec_t ordered;
	int listed;		/* open: in the element */
	dec_t send;		/* written in the element (<= what is open) */
	dec_t excess;		/* accepted beyond what is open: reported */
};

struct rx_po {
	char *po;		/* NetSuite PO id */
	struct rx_line *lines;
	size_t n, cap;
	/* set by rx_compute */
	int element;		/* something to receive: an element is written */
	int full;		/* every line fully received after this file */
};

void rx_po_init(struct rx_po *p, const char *po);
void rx_po_free(struct rx_po *p);
/* The line with this id, added (all RX_NONE, zero) when new. */
struct rx_line *rx_po_line(struct rx_po *p, const char *id);
/* Add what the state knows of p's lines (ordered, received). */
void rx_po_from_state(struct rx_po *p, const struct rx_state *st);
/* a + b, quantities summed over receipts: saturated at INT64_MAX, for
 * enough of them would wrap the sum negative (a negative quantity in the
 * file, a state no run could read back); the surplus is excess. */
dec_t rx_qty_add(dec_t a, dec_t b);

/*
 * Decide each line.  The ordered quantity is polines' (NetSuite's CSV);
 * failing a record there the state's; failing that HotWax's.  A line
 * whose ordered quantity is unknown is open: it is listed, and sends its
 * accepted quantity up to what HotWax's own quantity leaves open (0 when
 * HotWax has none) -- the rest is excess.  A known line is open while
 * ordered > received; it sends min(accepted, open) and the rest is
 * excess; a line not open is left out and all its accepted is excess.
 * Lines are sorted by id (numerically when both are numbers).
 */
void rx_compute(struct rx_po *p);
/* {"order_id":"..","items":[{"line_id":"..","quantity":N},...]}, the
 * quantity the shortest exact decimal, the ids by json_str (json.h).
 * Written here, not built as a cJSON tree: the element's spacing and key
 * order stay what every version wrote. */
void rx_element(const struct rx_po *p, struct buf *out);
/* Record p's computed outcome in st: per-line totals and, when p->full,
 * the time it became fully received. */
void rx_po_apply(struct rx_state *st, const struct rx_po *p, int64_t now);

/* ------------------------------------------------------------ the run */

/* --start-at: the orders whose NetSuite PO must be seeded -- reached by a
 * receipt, not held, unknown to the state -- each given to fn. */
typedef void rx_order_fn(const char *order, const char *po, void *arg);
void rx_seed_wanted(const struct rx_input *in, rx_order_fn *fn, void *arg);

/* A decision worth a message (rx_decision_say words it). */
enum rx_note_kind {
	RX_HOLD_NO_ORDER,	/* bad row without an order: s0 receipt, s1 why */
	RX_HOLD_BAD_UNFOUND,	/* bad row, order not found: s0, s1, s2 order */
	RX_HOLD_UNFOUND,	/* order not found: s0 receipt, s2 order */
	RX_HOLD_BAD,		/* bad row of a PO: s0, s1, s2 order, s3 PO */
	RX_HOLD_NO_LINE,	/* item without a line id: s0, s2 order, s3 PO,
				 * s4 item; n 1 when the item was not found */
	RX_FUTURE,		/* s0 receipt, s2 order; n ms ahead of now */
	RX_FUTURE_MORE,		/* n more receipts dated ahead */
	RX_EXCESS,		/* s3 PO, s4 line, s1 quantity, s0 receipt ids;
				 * n 1 when the ordered quantity is unknown */
	RX_NOTHING		/* s3 PO: nothing accepted to send */
};
#define RX_NOTE_STRS	5
struct rx_note {
	enum rx_note_kind kind;
	char *s[RX_NOTE_STRS];	/* NULL when not given */
	int64_t n;
};

struct rx_decision {
	struct buf file;	/* the receipt file: "[...]\n", empty when none */
	struct buf excess;	/* excess.csv rows (csvio), no header */
	struct buf drop;	/* POs fully received, tsv-escaped, one a line */
	struct rx_note *notes;	/* in the order they were decided */
	size_t nnotes, capnotes;
	int held;		/* something held back: EX_DATAERR */
	int changed;		/* the state changed (ledger or cursor) */
	/* kept across rx_decide_part's chunks */
	size_t elements;	/* elements written so far */
	int64_t heldmin;	/* the earliest time of a held receipt */
	size_t future;		/* receipts dated ahead of the clock */
};

/* Decide the run: fills d (zeroed first) and updates st (ledger, totals,
 * cursor, pruned).  Pure: no I/O.  in's look-ups are let go on the way
 * (rx_input_lookups_done): in may only be freed after. */
void rx_decide(struct rx_input *in, struct rx_state *st,
    struct rx_decision *d);
/*
 * The same decided a chunk of POs at a time (issue 12, P4: a run's
 * memory flat in its receipts): rx_decide_begin, then rx_decide_part for
 * each chunk -- an input holding, for its POs, every receipt the run
 * took and everything rx_decide reads of them (receipt_run.c builds
 * them), no PO in two chunks -- then rx_decide_end with the run's whole
 * input (its cursor's goal; no receipts).  Each part appends its
 * elements to d->file, joined by ",\n" but not bracketed (the caller
 * takes them out between parts and brackets the whole: "[", "]\n"),
 * and its excess, drops and notes.  A receipt a chunk meets that
 * the ledger holds (an earlier chunk exported it: a page shifted) is
 * old, as rx_input_receipt says.
 */
void rx_decide_begin(struct rx_decision *d);
void rx_decide_part(struct rx_input *in, struct rx_state *st,
    struct rx_decision *d);
void rx_decide_end(const struct rx_input *in, struct rx_state *st,
    struct rx_decision *d);
void rx_decision_free(struct rx_decision *d);
/* 0, or EX_DATAERR when something is held back. */
int rx_decision_status(const struct rx_decision *d);
/* The state changed (ledger or cursor): it must be written. */
int rx_decision_changed(const struct rx_decision *d);
/* Say d's notes on stderr (msg_warn, msg_info), one wording each; where
 * as for rx_input_new. */
void rx_decision_say(const struct rx_decision *d, const char *where);

#endif
