/*
 * receipt_state -- receipt-export's state file (SPOOL/state/
 * receipt-export.state, replaced atomically) and the times it holds.
 * What it promises:
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
 *   - the text is read back byte for byte as every earlier version wrote
 *     it; a state that does not parse stops the run (EX_CONFIG).
 *
 * Text, one record a line, fields separated by TAB, ids escaped by tsv.h:
 *     posync receipt-export state 1
 *     cursor MS / last MS
 *     floor MS                    only when set (--start-at)
 *     r ID MS                     ledger
 *     c PO MS                     PO fully received at MS
 *     t PO LINE ORDERED|? RECEIVED
 */
#ifndef POSYNC_RECEIPT_STATE_H
#define POSYNC_RECEIPT_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "decimal.h"
#include "util.h"

/* What a quantity is known as. */
enum rx_qty {
	RX_NONE,		/* no record */
	RX_UNKNOWN,		/* a record says "unknown" ('?') */
	RX_KNOWN
};

struct rx_state;

struct rx_state *rx_state_new(void);
void rx_state_free(struct rx_state *st);

/* Parse the text above into st (fresh); what names the file for
 * messages.  0, or EX_CONFIG after a message naming what:line: a state
 * that does not parse stops the run (a person must look). */
int rx_state_parse(struct rx_state *st, const char *data, size_t len,
    const char *what);
/* The same read from the file at path, a piece at a time (no copy of
 * the whole in memory), up to max bytes: 0, EX_CONFIG (said, naming
 * path), or -1 with errno set (not said: ENOENT is a first run). */
int rx_state_load(struct rx_state *st, const char *path, size_t max);
/* The text above, sorted so equal states give equal bytes. */
void rx_state_format(const struct rx_state *st, struct buf *out);
/* The same into a temporary file, a piece at a time (a state of 100,000
 * receipts is megabytes): 0 or EX_IOERR (said). */
struct spill_text;
int rx_state_format_text(const struct rx_state *st, struct spill_text *t);
/* Drop ledger entries before cursor - overlap_ms (never asked for again)
 * and POs fully received before now - keep_ms. */
void rx_state_prune(struct rx_state *st, int64_t overlap_ms, int64_t now,
    int64_t keep_ms);

int64_t rx_state_cursor(const struct rx_state *st);
int64_t rx_state_last(const struct rx_state *st);
int64_t rx_state_floor(const struct rx_state *st);	/* 0: none */
void rx_state_set_cursor(struct rx_state *st, int64_t ms);
void rx_state_set_last(struct rx_state *st, int64_t ms);
void rx_state_set_floor(struct rx_state *st, int64_t ms);

/* The ledger: was receipt id exported (or skipped for good)?  Record it. */
int rx_state_seen(const struct rx_state *st, const char *id);
void rx_state_ledger_put(struct rx_state *st, const char *id, int64_t ms);
/* How many receipt ids st's ledger holds that old's (NULL: none) does not: those a
 * commit from old to st exports (pruning only drops ids never asked for
 * again, so none comes back). */
size_t rx_state_ledger_new(const struct rx_state *st,
    const struct rx_state *old);

/* What the state file at path says of st, without holding it (rx_state_load
 * otherwise): its last, and how many of st's ledger ids it does not
 * hold (those a commit from it to st exports).  As rx_state_load. */
int rx_state_peek(const char *path, size_t max, const struct rx_state *st,
    int64_t *last, size_t *fresh);
/* Per NetSuite PO line.  rx_state_has_po: the state holds the PO. */
int rx_state_has_po(const struct rx_state *st, const char *po);
/* The POs the state holds, sorted (a malloc'd array of n; the ids are
 * valid until the state changes). */
const char **rx_state_pos(const struct rx_state *st, size_t *n);
typedef void rx_state_line_fn(const char *line, enum rx_qty ord,
    dec_t ordered, dec_t received, void *arg);
/* Call fn for each line of po the state holds, in the state's order. */
void rx_state_po_lines(const struct rx_state *st, const char *po,
    rx_state_line_fn *fn, void *arg);
/* The line's record: 0 and the fields set, or -1 when there is none. */
int rx_state_line(const struct rx_state *st, const char *po, const char *line,
    enum rx_qty *ord, dec_t *ordered, dec_t *received);
/* Set a line's ordered quantity (RX_KNOWN or RX_UNKNOWN) and total. */
void rx_state_set_line(struct rx_state *st, const char *po, const char *line,
    enum rx_qty ord, dec_t ordered, dec_t received);
/* po fully received at ms (kept as it was when it was already), or, with
 * full 0, open again. */
void rx_state_close(struct rx_state *st, const char *po, int full, int64_t ms);

/* The most bytes a state (or journal) file is read to. */
#define RX_STATE_MAX	(256L << 20)
/* The next file's time: now, or last + 1 when the clock lags (names only
 * grow); set as last, and its name (rfile_name) written into buf.  0;
 * RX_NAME_NO_TIME (said; last as it was) when that time is past what a
 * name can hold (ISOTIME_MS_MAX: a wrong clock or state); -1 (last as it
 * was) when the name does not fit (a bug: config.c bounds the prefix). */
#define RX_NAME_NO_TIME	(-2)
int rx_state_next_name(struct rx_state *st, int64_t now, const char *prefix,
    char *buf, size_t size);

#endif
