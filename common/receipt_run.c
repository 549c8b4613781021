/*
 * receipt_run -- see receipt_run.h.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "hotwax.h"
#include "msg.h"
#include "polines.h"
#include "receipt_fetch.h"
#include "receipt_input.h"
#include "receipt_run.h"
#include "receipt_seed.h"
#include "spill.h"
#include "util.h"

struct run {
	struct hotwax *h;
	const struct config *cfg;
	struct rx_input *in;	/* the run's: orders, POs, the cursor's goal */
	struct spill *sp;
	struct rx_state *st;
	struct rx_decision *d;
	struct spill_text *file;
};

/* A spilled receipt's group: its order's. */
static int
set_rank(size_t i, const struct spill_rec *r, void *arg)
{
	struct run *run = arg;

	if (r->kind == RX_REC_RECEIPT)
		return spill_set_rank(run->sp, i,
		    rx_input_order_rank(run->in, r->s[1]));
	return 0;
}

static int
want_po(const char *po, void *arg)
{
	return rx_input_po_rank(((struct run *)arg)->in, po) != 0;
}

/* A polines record of one of the run's POs, into its PO's group. */
static int
add_poline(const struct poline *rec, void *arg)
{
	struct run *run = arg;
	struct spill_rec r = { RX_REC_POLINE, { rec->po, rec->line, NULL,
	    NULL }, rec->has_qty, rec->qty };

	return spill_add(run->sp, &r, rx_input_po_rank(run->in, rec->po));
}

/* One spilled record of that rank into chunk c. */
static void
chunk_add(struct run *run, struct rx_input *c, const struct spill_rec *r,
    uint32_t rank)
{
	const char *id = r->s[0] && *r->s[0] ? r->s[0] : NULL;

	if (r->kind == RX_REC_POLINE) {
		rx_input_csv(c, r->s[0], r->s[1], (int)r->a, r->b);
		return;
	}
	/* RX_OLD when an earlier chunk exported it (a page shifted) */
	if (rx_input_receipt(c, id, r->s[1], r->s[2], r->a, r->b,
	    r->s[3]) == RX_TAKEN && r->s[1])
		rx_input_copy_order(c, run->in, r->s[1], rank);
}

/* The next chunk's records from *pos into c: whole groups, about
 * RX_RUN_ORDERS of them (a group of receipts without an order may be
 * cut anywhere).  0 or EX_IOERR. */
static int
chunk_fill(struct run *run, struct rx_input *c, size_t *pos)
{
	struct spill_rec r;
	uint32_t rank, last = UINT32_MAX;
	size_t groups = 0, rows = 0;

	while ((rank = spill_peek_rank(run->sp, *pos)) != UINT32_MAX) {
		if (rank != last || rank == 0) {
			if (rows && (groups >= RX_RUN_ORDERS ||
			    rows >= RX_RUN_ROWS))
				break;
			if (rank != last)
				groups++;
			last = rank;
		}
		if (spill_next(run->sp, pos, &r, &rank) != 1)
			return EX_IOERR;	/* said */
		chunk_add(run, c, &r, rank);
		rows++;
	}
	return 0;
}

/* The chunk's elements out of d, into the file (its "[" first). */
static int
chunk_out(struct run *run)
{
	struct buf *f = &run->d->file;
	int rc = 0;

	if (!f->len)
		return 0;
	if (!run->file->len)
		rc = spill_text_add(run->file, "[", 1);
	if (rc == 0)
		rc = spill_text_add(run->file, f->s, f->len);
	buf_reset(f);
	return rc;
}

/* One chunk: fetched, decided, its elements out.  Its notes stay in d,
 * said once the whole run is decided (a query failing in a later chunk
 * stops the run: nothing is recorded, nothing may be said as done). */
static int
chunk(struct run *run, size_t *pos)
{
	struct rx_input *c = rx_input_like(run->in);
	int rc;

	if ((rc = chunk_fill(run, c, pos)) == 0 &&
	    (rc = rx_fetch_items(run->h, run->cfg, c)) == 0 &&
	    (rc = rx_seed(run->h, run->cfg, run->st, c)) == 0) {
		rx_decide_part(c, run->st, run->d);
		rc = chunk_out(run);
	}
	rx_input_free(c);
	return rc;
}

int
rx_run(struct hotwax *h, const struct config *cfg, struct rx_input *in,
    struct rx_state *st, struct rx_decision *d, struct spill_text *file)
{
	struct run run = { h, cfg, in, NULL, st, d, file };
	size_t pos = 0;
	int rc;

	run.sp = rx_input_spill(in);
	if ((rc = rx_fetch_headers(h, in)) != 0)
		return rc;
	rx_input_rank(in);
	if ((rc = spill_each(run.sp, set_rank, &run)) != 0 ||
	    (rc = polines_each(cfg->spool.dir, want_po, add_poline, &run)) != 0)
		return rc;
	rx_input_ranked(in);
	spill_sort(run.sp);
	while (rc == 0 && spill_peek_rank(run.sp, pos) != UINT32_MAX)
		rc = chunk(&run, &pos);
	if (rc == 0 && file->len)
		rc = spill_text_add(file, "]\n", 2);
	if (rc == 0)
		rc = spill_text_flush(file);
	if (rc == 0)
		rx_decide_end(in, st, d);
	return rc;
}
