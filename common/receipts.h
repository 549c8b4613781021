/*
 * receipts -- receipt-export's state, and the pure computation of the
 * NetSuite receipt elements (contracts.md section 4), kept apart from
 * HTTP and the spool so it can be tested alone.
 *
 * The state (SPOOL/state/receipt-export.state, replaced atomically) holds:
 *   - the cursor: the newest datetimeReceived seen (epoch ms); a run asks
 *     HotWax for receipts at or after cursor - [hotwax] receipt_overlap;
 *   - the time in the last file's name, so names only ever grow;
 *   - the floor, when receipt-export --start-at set one: no receipt dated
 *     before it is ever exported, whatever the window or the ledger says
 *     (their quantities enter a PO's per-line totals, as received, the
 *     first time a run meets the PO);
 *   - the ledger: every receipt id exported (or deliberately skipped) with
 *     its datetimeReceived, pruned once it falls before the query window,
 *     where it can never be seen again; this, not the cursor, is what
 *     makes each receipt exported exactly once;
 *   - per NetSuite PO line: the ordered quantity used (or unknown) and the
 *     total posync has published as received.  A PO's lines stay until
 *     keep_days after it became fully received, so that a late receipt on
 *     a closed PO is reported as excess instead of failing the PO in
 *     NetSuite.
 *
 * Text, one record a line, fields separated by TAB, ids escaped as in
 * polines.h (\\, \t, \n):
 *     posync receipt-export state 1
 *     cursor MS / last MS
 *     floor MS                    only when set (--start-at)
 *     r ID MS                     ledger
 *     c PO MS                     PO fully received at MS
 *     t PO LINE ORDERED|? RECEIVED
 */
#ifndef POSYNC_RECEIPTS_H
#define POSYNC_RECEIPTS_H

#include <stddef.h>
#include <stdint.h>
#include "decimal.h"
#include "util.h"

/* A small string-keyed hash table. */
struct rx_ent {
	char *key;
	int64_t ms;
	void *val;
	int dead;		/* removed: skipped when formatting */
};
struct rx_map {
	struct rx_ent *v;
	size_t n, cap;
};
struct rx_ent *rx_map_get(const struct rx_map *m, const char *key);
/* Get or insert (key copied); *isnew says which. */
struct rx_ent *rx_map_put(struct rx_map *m, const char *key, int *isnew);
/* The live entries sorted by key: malloc'd array of pointers, *n set. */
struct rx_ent **rx_map_sorted(const struct rx_map *m, size_t *n);

/* What a quantity is known as. */
#define RX_NONE 0		/* no record */
#define RX_UNKNOWN 1		/* a record says "unknown" ('?') */
#define RX_KNOWN 2

struct rx_stline {
	char *line;
	int ord;		/* RX_UNKNOWN or RX_KNOWN */
	dec_t ordered;
	dec_t received;
};
struct rx_stpo {		/* the value of an entry in rx_state.pos */
	int64_t closed;		/* ms when fully received, 0 while open */
	struct rx_stline *lines;
	size_t n, cap;
};

struct rx_state {
	int64_t cursor;
	int64_t last;
	int64_t floor;		/* receipts dated before it never go out; 0: none */
	struct rx_map ledger;	/* receipt id -> datetimeReceived (ms) */
	struct rx_map pos;	/* NetSuite PO id -> struct rx_stpo */
};

void rx_state_init(struct rx_state *st);
void rx_state_free(struct rx_state *st);
/* Parse the text above; what names the file for messages.  0, or
 * EX_CONFIG after a message naming what:line: a state that does not
 * parse stops the run (a person must look). */
int rx_state_parse(struct rx_state *st, const char *data, size_t len,
    const char *what);
/* The text above, sorted so equal states give equal bytes. */
void rx_state_format(const struct rx_state *st, struct buf *out);
/* Drop ledger entries before cursor - overlap_ms (never asked for again)
 * and POs fully received before now - keep_ms. */
void rx_state_prune(struct rx_state *st, int64_t overlap_ms, int64_t now,
    int64_t keep_ms);

/* One NetSuite PO line as the computation sees it. */
struct rx_line {
	char *id;		/* NetSuite line id */
	int csv;		/* RX_*: the ordered quantity in polines */
	dec_t csv_qty;
	int hw;			/* RX_NONE or RX_KNOWN: HotWax's OrderItem quantity */
	dec_t hw_qty;
	int st;			/* RX_*: the ordered quantity in the state */
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

/*
 * Decide each line (contracts.md section 4).  The ordered quantity is
 * polines' (NetSuite's CSV); failing a record there the state's; failing
 * that HotWax's.  A line whose ordered quantity is unknown is open: it is
 * listed, and sends its accepted quantity up to what HotWax's own quantity
 * leaves open (0 when HotWax has none) -- the rest is excess.  A known
 * line is open while ordered > received; it sends min(accepted, open) and
 * the rest is excess; a line not open is left out and all its accepted is
 * excess.  Lines are sorted by id (numerically when both are numbers).
 */
void rx_compute(struct rx_po *p);
/* {"order_id":"..","items":[{"line_id":"..","quantity":N},...]} */
void rx_element(const struct rx_po *p, struct buf *out);
/* Record p's computed outcome in st: per-line totals and, when p->full,
 * the time it became fully received. */
void rx_state_apply(struct rx_state *st, const struct rx_po *p, int64_t now);

/* The file name for time ms (UTC):
 * <prefix>_PurchaseOrderReceiptFeed_<YYYY-MM-DD-HH_MM_SS_mmm>.json.
 * 0, or -1 when it does not fit. */
int rx_file_name(char *buf, size_t size, const char *prefix, int64_t ms);

/* TIME for receipt-export --start-at, in its one format:
 * YYYY-MM-DDTHH:MM:SS[.fff](Z|+HH:MM|-HH:MM), fraction 1 to 3 digits,
 * from 1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z (a state's range).
 * 0 and *ms set (epoch ms), or -1 with *why saying what is wrong. */
int rx_time_parse(const char *s, int64_t *ms, const char **why);

/* JSON string (with quotes) for s. */
void rx_json_str(struct buf *out, const char *s);
/* ids escaped for the state and polines formats (\\, \t, \n). */
void rx_esc(struct buf *out, const char *s);

#endif
