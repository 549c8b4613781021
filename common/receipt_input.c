/*
 * receipt_input -- see receipt_input.h (the fields: receipt_input_impl.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "map.h"
#include "msg.h"
#include "receipt_ids.h"
#include "receipt_input.h"
#include "receipt_input_impl.h"
#include "receipt_rules.h"
#include "receipt_state.h"
#include "spill.h"
#include "tsv.h"
#include "util.h"

/* A run's strings (up to RX_MAX_NEW receipts' ids, orders and items,
 * their items' and polines' line ids) come from large chunks freed
 * together: no allocation per string, and none moves. */
#define CHUNK_SIZE	(64 * 1024)

struct strchunk {
	struct strchunk *next;
	size_t used, size;
	char s[];
};

static char *
input_strdup(struct rx_input *in, const char *s)
{
	size_t len = strlen(s) + 1, size;
	struct strchunk *c = in->strs;
	char *p;

	if (!c || c->size - c->used < len) {
		size = len > CHUNK_SIZE / 4 ? len : CHUNK_SIZE;
		c = xmalloc(sizeof *c + size);
		c->size = size;
		c->used = 0;
		if (in->strs && size != CHUNK_SIZE) {
			/* a long one: behind the chunk being filled */
			c->next = in->strs->next;
			in->strs->next = c;
		} else {
			c->next = in->strs;
			in->strs = c;
		}
	}
	p = c->s + c->used;
	memcpy(p, s, len);
	c->used += len;
	return p;
}

struct rx_input *
rx_input_new(const struct rx_state *st, int64_t now, int64_t overlap_ms,
    int64_t keep_ms, const char *where)
{
	struct rx_input *in = xcalloc(1, sizeof *in);

	in->st = st;
	in->now = now;
	in->overlap_ms = overlap_ms;
	in->keep_ms = keep_ms;
	in->where = xstrdup(where ? where : "");
	in->maxms = rx_state_cursor(st);
	in->seen = rx_ids_new();
	in->orders = map_new(sizeof(struct order));
	in->itemids = rx_ids_new();
	in->key = xcalloc(1, sizeof *in->key);
	in->csv = map_new(sizeof(struct linelist));
	in->seed = map_new(sizeof(struct seeded));
	in->pos = map_new(sizeof(uint32_t));
	return in;
}

static void
input_free_maps(struct rx_input *in)
{
	struct linelist *ll;
	struct seeded *sd;
	struct strchunk *c;
	size_t i;

	for (i = 0; (ll = map_next(in->csv, &i, NULL)) != NULL; )
		free(ll->v);
	for (i = 0; (sd = map_next(in->seed, &i, NULL)) != NULL; )
		rx_po_free(&sd->po);
	map_free(in->orders);
	rx_ids_free(in->itemids);
	free(in->item);
	buf_free(in->key);
	free(in->key);
	map_free(in->csv);
	map_free(in->seed);
	rx_ids_free(in->seen);
	while ((c = in->strs) != NULL) {
		in->strs = c->next;
		free(c);
	}
	map_free(in->pos);
}

void
rx_input_free(struct rx_input *in)
{
	if (!in)
		return;
	free(in->v);
	free(in->rankpo);
	free(in->found);
	input_free_maps(in);
	free(in->where);
	free(in);
}

/* The cursor's goal: the ledger-known receipts still move it; one dated
 * ahead of this host's clock does not (posync(7), CLOCKS): it would carry
 * the window past every receipt dated before it. */
static void
input_time(struct rx_input *in, int64_t ms)
{
	if (ms > in->maxms && ms <= in->now)
		in->maxms = ms;
}

struct rx_input *
rx_input_like(const struct rx_input *in)
{
	return rx_input_new(in->st, in->now, in->overlap_ms, in->keep_ms,
	    in->where);
}

uint32_t
rx_input_rank(struct rx_input *in)
{
	const char **v;
	struct order *o;
	uint32_t r = 1;
	size_t i, n, np;

	/* the orders that reach no NetSuite PO, one group each */
	v = map_sorted(in->orders, &n);
	in->found = xcalloc(n + 2, 1);
	for (i = 0; i < n; i++)
		if (!(o = map_get(in->orders, v[i]))->netsuite) {
			in->found[r] = (unsigned char)o->found;
			o->rank = r++;
		}
	free(v);
	/* then the POs, in the order their elements are written */
	in->porank = r;
	v = map_sorted(in->pos, &np);
	in->rankpo = xcalloc(np + 1, sizeof *in->rankpo);
	for (i = 0; i < np; i++) {
		*(uint32_t *)map_get(in->pos, v[i]) = r++;
		in->rankpo[i] = input_strdup(in, v[i]);
	}
	free(v);
	for (i = 0; (o = map_next(in->orders, &i, NULL)) != NULL; )
		if (o->netsuite)
			o->rank = *(uint32_t *)map_get(in->pos, o->ext);
	return in->nranks = r;
}

void
rx_input_ranked(struct rx_input *in)
{
	rx_input_lookups_done(in);
}

uint32_t
rx_input_order_rank(const struct rx_input *in, const char *order)
{
	const struct order *o = order ? map_get(in->orders, order) : NULL;

	return o ? o->rank : 0;
}

uint32_t
rx_input_po_rank(const struct rx_input *in, const char *po)
{
	const uint32_t *r = map_get(in->pos, po);

	return r ? *r : 0;
}

void
rx_input_copy_order(struct rx_input *c, const struct rx_input *in,
    const char *order, uint32_t rank)
{
	if (rank >= in->porank && rank < in->nranks)
		rx_input_order(c, order, in->rankpo[rank - in->porank],
		    "PURCHASE_ORDER");
	else if (rank > 0 && rank < in->porank && in->found[rank])
		rx_input_order(c, order, NULL, NULL);	/* no NetSuite PO */
}

void
rx_input_spill_to(struct rx_input *in, struct spill *s)
{
	in->spill = s;
	rx_ids_free(in->seen);
	in->seen = NULL;
}

struct spill *
rx_input_spill(const struct rx_input *in)
{
	return in->spill;
}

/* A new receipt into the spill: its order kept, nothing else. */
static enum rx_take
spill_receipt(struct rx_input *in, const char *id, const char *order,
    const char *seq, dec_t acc, int64_t ms, const char *bad)
{
	struct spill_rec r = { RX_REC_RECEIPT, { id ? id : "", order, seq,
	    bad }, acc, ms };

	if (in->nspilled == RX_MAX_NEW)
		return RX_TOO_MANY;
	if (spill_add(in->spill, &r, 0) != 0)
		return RX_SPILL_FAILED;
	in->nspilled++;
	if (order)
		map_put(in->orders, order, NULL);
	input_time(in, ms);
	return RX_TAKEN;
}

enum rx_take
rx_input_receipt(struct rx_input *in, const char *id, const char *order,
    const char *seq, dec_t acc, int64_t ms, const char *bad)
{
	struct rcpt *x;

	if (id && rx_state_seen(in->st, id)) {
		/* exported already: what HotWax says of it now is moot */
		input_time(in, ms);
		return RX_OLD;
	}
	if (ms >= 0 && ms < rx_state_floor(in->st)) {
		/* before --start-at's TIME: another exporter's, never ours */
		input_time(in, ms);
		return RX_BEFORE_FLOOR;
	}
	if (in->spill)
		return spill_receipt(in, id, order, seq, acc, ms, bad);
	if (!in->seen)
		msg_die(EX_SOFTWARE, "a receipt taken after rx_input_receipts_done");
	if (id && !rx_ids_put(in->seen, id, ms)) {
		input_time(in, ms);
		return RX_OLD;
	}
	if (in->n == RX_MAX_NEW)
		return RX_TOO_MANY;
	if (in->n == in->cap) {
		in->cap = in->cap ? in->cap * 2 : 256;
		in->v = xrealloc(in->v, in->cap * sizeof *in->v);
	}
	x = &in->v[in->n++];
	x->id = input_strdup(in, id ? id : "");
	x->order = order ? input_strdup(in, order) : NULL;
	x->seq = seq ? input_strdup(in, seq) : NULL;
	x->acc = acc;
	x->ms = ms;
	x->bad = bad ? input_strdup(in, bad) : NULL;
	if (x->order)
		map_put(in->orders, x->order, NULL);
	input_time(in, ms);
	return RX_TAKEN;
}

void
rx_input_receipts_done(struct rx_input *in)
{
	rx_ids_free(in->seen);
	in->seen = NULL;
}

int
rx_input_empty(const struct rx_input *in)
{
	return in->n == 0 && in->nspilled == 0 &&
	    in->maxms == rx_state_cursor(in->st);
}

const char **
rx_input_orders(const struct rx_input *in, int netsuite, size_t *n)
{
	const char **v = map_sorted(in->orders, n);
	size_t i, k;

	for (i = k = 0; netsuite && i < *n; i++)
		if (((struct order *)map_get(in->orders, v[i]))->netsuite)
			v[k++] = v[i];
	if (netsuite)
		*n = k;
	return v;
}

int
rx_input_order(struct rx_input *in, const char *order, const char *ext,
    const char *type)
{
	struct order *o = order ? map_get(in->orders, order) : NULL;

	if (!o)
		return 0;
	o->found = 1;
	o->netsuite = type && strcmp(type, "PURCHASE_ORDER") == 0 && ext;
	if (o->netsuite && !o->ext) {
		o->ext = input_strdup(in, ext);
		map_put(in->pos, ext, NULL);
	}
	return !o->netsuite;
}

/* An item's key, in in's scratch buffer (valid until the next call). */
static const char *
item_key(const struct rx_input *in, const char *order, const char *seq)
{
	buf_reset(in->key);
	tsv_esc(in->key, order);
	buf_addc(in->key, '\t');
	tsv_esc(in->key, seq);
	return in->key->s;
}

int
rx_input_item(struct rx_input *in, const char *order, const char *seq,
    const char *ext, int hasqty, dec_t qty)
{
	const char *key = item_key(in, order, seq);
	struct item *it;

	if (rx_ids_get(in->itemids, key, NULL))
		return 0;	/* the first row of a line counts */
	rx_ids_put(in->itemids, key, (int64_t)in->nitem);
	if (in->nitem == in->capitem) {
		in->capitem = in->capitem ? in->capitem * 2 : 256;
		in->item = xrealloc(in->item, in->capitem * sizeof *in->item);
	}
	it = &in->item[in->nitem++];
	it->order = input_strdup(in, order);
	it->ext = ext ? input_strdup(in, ext) : NULL;
	it->hasqty = hasqty;
	it->qty = hasqty ? qty : 0;
	return 1;
}

const struct item *
rx_input_find_item(const struct rx_input *in, const char *order,
    const char *seq)
{
	int64_t i;

	return rx_ids_get(in->itemids, item_key(in, order, seq), &i) ?
	    &in->item[i] : NULL;
}

const char *
rx_input_item_line(const struct rx_input *in, const char *order,
    const char *seq)
{
	const struct item *it = rx_input_find_item(in, order, seq);

	return it ? it->ext : NULL;
}

int
rx_input_has_po(const struct rx_input *in, const char *po)
{
	return map_get(in->pos, po) != NULL;
}

void
rx_input_po_done(struct rx_input *in, const char *po)
{
	struct linelist *ll = map_get(in->csv, po);

	if (ll) {
		free(ll->v);
		memset(ll, 0, sizeof *ll);
	}
}

void
rx_input_lookups_done(struct rx_input *in)
{
	map_free(in->orders);
	in->orders = NULL;
	rx_ids_free(in->itemids);
	in->itemids = NULL;
	map_free(in->pos);
	in->pos = NULL;
}

void
rx_input_csv(struct rx_input *in, const char *po, const char *line,
    int has_qty, dec_t qty)
{
	struct linelist *ll = map_put(in->csv, po, NULL);
	size_t i;

	for (i = 0; i < ll->n && strcmp(ll->v[i].line, line) != 0; i++)
		;
	if (i == ll->n) {
		if (ll->n == ll->cap) {
			ll->cap = ll->cap ? ll->cap * 2 : 8;
			ll->v = xrealloc(ll->v, ll->cap * sizeof *ll->v);
		}
		ll->v[ll->n++].line = input_strdup(in, line);
	}
	ll->v[i].has = has_qty;
	ll->v[i].qty = has_qty ? qty : 0;
}

int
rx_input_seed(struct rx_input *in, const char *po, const char *line,
    dec_t acc)
{
	struct seeded *sd;
	struct rx_line *l;
	int isnew;

	sd = map_put(in->seed, po, &isnew);
	if (isnew)
		rx_po_init(&sd->po, po);
	if (!line) {
		sd->held = 1;
		return 0;
	}
	l = rx_po_line(&sd->po, line);
	/* a total the state could not be read back with (decimal.h) */
	if (acc >= DEC_LIMIT - l->received) {
		sd->held = 1;
		return -1;
	}
	l->received += acc;
	return 0;
}
