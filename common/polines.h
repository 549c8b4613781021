/*
 * polines -- the ledger of every NetSuite PO line posync has seen in a CSV:
 * PO id, line id and ordered quantity (unknown when its row was rejected
 * for the quantity).  po-export-parse appends to it; receipt-export reads
 * it to know every line that is open in NetSuite (contracts.md section 4)
 * and compacts it, dropping POs that are fully received.
 *
 * SPOOL/state/polines is an append-only text file, one record a line:
 *     PO<TAB>LINE<TAB>QTY<LF>
 * PO and LINE escaped (\\, \t, \n); QTY a decimal, or "?" when unknown.
 * The last record for a (PO, LINE) wins, so appending the same records
 * again after a crash is harmless.  A torn last line (no LF) is ignored
 * and cut off by the next writer.  Writers and the compactor take an
 * flock on the file itself, so po-export-parse and receipt-export may run
 * at the same time.
 */
#ifndef POSYNC_POLINES_H
#define POSYNC_POLINES_H

#include <stddef.h>
#include "decimal.h"

struct poline {
	const char *po;
	const char *line;
	int has_qty;		/* 0: ordered quantity unknown */
	dec_t qty;
};

/* Append n records durably (write, fsync).  0 or EX_IOERR. */
int polines_append(const char *spooldir, const struct poline *recs, size_t n);

/* Call fn for each current (last-wins) record whose PO want() accepts
 * (want NULL: all).  Records come grouped by nothing in particular.
 * 0, EX_IOERR, or fn's non-zero status (which stops the walk). */
typedef int polines_want_fn(const char *po, void *arg);
typedef int polines_fn(const struct poline *rec, void *arg);
int polines_load(const char *spooldir, polines_want_fn *want,
    polines_fn *fn, void *arg);

/* Rewrite the ledger keeping only the POs keep() accepts (atomic
 * replace, under the lock).  0 or EX_IOERR. */
int polines_compact(const char *spooldir, polines_want_fn *keep, void *arg);

#endif
