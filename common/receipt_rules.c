/*
 * receipt_rules -- see receipt_rules.h.  Pure: no I/O; the caller says
 * the notes (rx_decision_say is the one function here that writes).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvio.h"
#include "json.h"
#include "map.h"
#include "msg.h"
#include "receipt_excess.h"
#include "receipt_input_impl.h"
#include "receipt_rules.h"
#include "tsv.h"
#include "util.h"

/* Receipts dated ahead of the clock said one by one before a count. */
#define MAX_SAID	20

/* ---------------------------------------------------------------- POs */

dec_t
rx_qty_add(dec_t a, dec_t b)
{
	return b > INT64_MAX - a ? INT64_MAX : a + b;
}

void
rx_po_init(struct rx_po *p, const char *po)
{
	memset(p, 0, sizeof *p);
	p->po = xstrdup(po);
}

/* p's lines gone, its id kept. */
static void
po_lines_free(struct rx_po *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		free(p->lines[i].id);
		buf_free(&p->lines[i].rids);
	}
	free(p->lines);
	p->lines = NULL;
	p->n = p->cap = 0;
}

void
rx_po_free(struct rx_po *p)
{
	po_lines_free(p);
	free(p->po);
	memset(p, 0, sizeof *p);
}

struct rx_line *
rx_po_line(struct rx_po *p, const char *id)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (strcmp(p->lines[i].id, id) == 0)
			return &p->lines[i];
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 8;
		p->lines = xrealloc(p->lines, p->cap * sizeof *p->lines);
	}
	memset(&p->lines[p->n], 0, sizeof p->lines[0]);
	p->lines[p->n].id = xstrdup(id);
	return &p->lines[p->n++];
}

static void
from_state_line(const char *line, enum rx_qty ord, dec_t ordered,
    dec_t received, void *arg)
{
	struct rx_line *l = rx_po_line(arg, line);

	l->st = ord;
	l->st_qty = ordered;
	l->received = received;
}

void
rx_po_from_state(struct rx_po *p, const struct rx_state *st)
{
	rx_state_po_lines(st, p->po, from_state_line, p);
}

static int
isnum(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

static int
linecmp(const void *a, const void *b)
{
	const char *x = ((const struct rx_line *)a)->id;
	const char *y = ((const struct rx_line *)b)->id;

	if (isnum(x) && isnum(y)) {
		while (*x == '0' && x[1])
			x++;
		while (*y == '0' && y[1])
			y++;
		if (strlen(x) != strlen(y))
			return strlen(x) < strlen(y) ? -1 : 1;
	}
	return strcmp(((const struct rx_line *)a)->id,
	    ((const struct rx_line *)b)->id);
}

/* The ordered quantity a line goes by: NetSuite's CSV is the truth (an
 * unknown quantity there is unknown even when the state or HotWax
 * remember an old one), then the state, then HotWax. */
static void
line_ordered(struct rx_line *l)
{
	if (l->csv != RX_NONE) {
		l->ord = l->csv;
		l->ordered = l->csv_qty;
	} else if (l->st != RX_NONE) {
		l->ord = l->st;
		l->ordered = l->st_qty;
	} else if (l->hw == RX_KNOWN) {
		l->ord = RX_KNOWN;
		l->ordered = l->hw_qty;
	} else {
		l->ord = RX_UNKNOWN;
		l->ordered = 0;
	}
}

void
rx_compute(struct rx_po *p)
{
	struct rx_line *l;
	dec_t open;
	size_t i;

	/* a PO with no lines has lines == NULL: qsort(NULL, 0) is UB */
	if (p->n > 1)
		qsort(p->lines, p->n, sizeof *p->lines, linecmp);
	p->element = 0;
	p->full = p->n > 0;
	for (i = 0; i < p->n; i++) {
		l = &p->lines[i];
		line_ordered(l);
		if (l->ord == RX_UNKNOWN) {
			/* open by rule; send only what HotWax's own order
			 * quantity leaves, which is all anyone knows */
			l->listed = 1;
			open = l->hw == RX_KNOWN && l->hw_qty > l->received ?
			    l->hw_qty - l->received : 0;
		} else if (l->ordered > l->received) {
			l->listed = 1;
			open = l->ordered - l->received;
		} else {
			l->listed = 0;
			open = 0;
		}
		l->send = l->accepted < open ? l->accepted : open;
		l->excess = l->accepted - l->send;
		if (l->send > 0)
			p->element = 1;
		if (l->ord != RX_KNOWN || l->received + l->send < l->ordered)
			p->full = 0;
	}
}

void
rx_element(const struct rx_po *p, struct buf *out)
{
	char q[DEC_BUFSZ];
	size_t i;
	int first = 1;

	buf_adds(out, "{\"order_id\":");
	json_str(out, p->po);
	buf_adds(out, ",\"items\":[");
	for (i = 0; i < p->n; i++) {
		if (!p->lines[i].listed)
			continue;
		buf_adds(out, first ? "{\"line_id\":" : ",{\"line_id\":");
		json_str(out, p->lines[i].id);
		buf_addf(out, ",\"quantity\":%s}", dec_format(p->lines[i].send, q));
		first = 0;
	}
	buf_adds(out, "]}");
}

void
rx_po_apply(struct rx_state *st, const struct rx_po *p, int64_t now)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		rx_state_set_line(st, p->po, p->lines[i].id, p->lines[i].ord,
		    p->lines[i].ordered, p->lines[i].received + p->lines[i].send);
	rx_state_close(st, p->po, p->full, now);
}

/* ---------------------------------------------------------------- decide */

struct pox {			/* a value of plan.pos: 8 bytes a PO */
	int held;
	uint32_t slot;		/* the order it was met in, from 0 */
};

/*
 * One run's working set, over a const input.  A PO's lines are built
 * when its element is written, then freed: what the run holds for every
 * PO is a few bytes, and per receipt its PO and line (rpo, rext); the
 * receipts and HotWax's lines are grouped by PO once, in two arrays.
 */
struct plan {
	const struct rx_input *in;
	struct map *pos;	/* NetSuite PO id -> struct pox */
	struct map *oheld;	/* HotWax orders held back (not found) */
	char *rheld;		/* per receipt: held by itself (no order) */
	uint32_t *rpo;		/* per receipt with goods to count: slot + 1 */
	const char **rext;	/* per receipt: its NetSuite line id */
	uint32_t *rfirst, *rby;	/* receipts by slot: rby[rfirst[s] ..] */
	uint32_t *ifirst;	/* HotWax lines by slot: items[ifirst[s] ..] */
	const struct item **items;
	struct rx_decision *d;	/* notes go here; NULL: none kept */
};

static void
note_d(struct rx_decision *d, enum rx_note_kind kind, const char *const *s,
    int64_t n)
{
	struct rx_note *x;
	size_t i;

	if (!d)
		return;
	if (d->nnotes == d->capnotes) {
		d->capnotes = d->capnotes ? d->capnotes * 2 : 16;
		d->notes = xrealloc(d->notes, d->capnotes * sizeof *d->notes);
	}
	x = &d->notes[d->nnotes++];
	x->kind = kind;
	x->n = n;
	for (i = 0; i < RX_NOTE_STRS; i++)
		x->s[i] = s[i] ? xstrdup(s[i]) : NULL;
}

static void
note(struct plan *pl, enum rx_note_kind kind, const char *const *s,
    int64_t n)
{
	note_d(pl->d, kind, s, n);
}

static void
plan_init(struct plan *pl, const struct rx_input *in, struct rx_decision *d)
{
	pl->in = in;
	pl->pos = map_new(sizeof(struct pox));
	pl->oheld = map_new(1);
	pl->rheld = xcalloc(in->n + 1, 1);
	pl->rpo = xcalloc(in->n + 1, sizeof *pl->rpo);
	pl->rext = xcalloc(in->n + 1, sizeof *pl->rext);
	pl->rfirst = pl->rby = pl->ifirst = NULL;
	pl->items = NULL;
	pl->d = d;
}

static void
plan_free(struct plan *pl)
{
	map_free(pl->pos);
	map_free(pl->oheld);
	free(pl->rheld);
	free(pl->rpo);
	free(pl->rext);
	free(pl->rfirst);
	free(pl->rby);
	free(pl->ifirst);
	free(pl->items);
}

static struct pox *
plan_po(struct plan *pl, const char *po)
{
	int isnew;
	struct pox *px = map_put(pl->pos, po, &isnew);

	if (isnew)
		px->slot = (uint32_t)(map_count(pl->pos) - 1);
	return px;
}

/* A receipt with goods for a line: summed (each quantity is below 1e10,
 * the sum saturates). */
static void
add_accepted(struct rx_line *l, const struct rcpt *x)
{
	l->accepted = rx_qty_add(l->accepted, x->acc);
	if (x->acc > 0) {
		if (l->rids.len)
			buf_addc(&l->rids, ' ');
		buf_adds(&l->rids, x->id);
	}
}

/* Receipt i to its NetSuite PO and line, or held, or ignored. */
static void
assign_one(struct plan *pl, size_t i)
{
	const struct rcpt *x = &pl->in->v[i];
	const char *xid = *x->id ? x->id : "(no receiptId)";
	const struct order *o;
	const struct item *it;
	struct pox *px;

	if (x->bad && !x->order) {
		note(pl, RX_HOLD_NO_ORDER, (const char *[]){ xid, x->bad,
		    NULL, NULL, NULL }, 0);
		pl->rheld[i] = 1;
		return;
	}
	o = map_get(pl->in->orders, x->order);
	if (!o->found) {
		if (x->bad)
			note(pl, RX_HOLD_BAD_UNFOUND, (const char *[]){ xid,
			    x->bad, x->order, NULL, NULL }, 0);
		else if (!map_get(pl->oheld, x->order))
			note(pl, RX_HOLD_UNFOUND, (const char *[]){ x->id,
			    NULL, x->order, NULL, NULL }, 0);
		map_put(pl->oheld, x->order, NULL);
		return;
	}
	if (!o->netsuite)
		return;
	px = plan_po(pl, o->ext);
	if (x->bad) {
		note(pl, RX_HOLD_BAD, (const char *[]){ xid, x->bad, x->order,
		    o->ext, NULL }, 0);
		px->held = 1;
		return;
	}
	it = rx_input_find_item(pl->in, x->order, x->seq);
	if (!it || !it->ext) {
		note(pl, RX_HOLD_NO_LINE, (const char *[]){ x->id, NULL,
		    x->order, o->ext, x->seq }, !it);
		px->held = 1;
		return;
	}
	pl->rpo[i] = px->slot + 1;	/* counted when its PO is built */
	pl->rext[i] = it->ext;
}

/* Every receipt to its PO (or held). */
static void
assign(struct plan *pl)
{
	size_t i;

	for (i = 0; i < pl->in->n; i++)
		assign_one(pl, i);
}

/* The PO slot of a HotWax line of one of the plan's POs, + 1; 0 when
 * it is none of theirs. */
static uint32_t
item_slot(const struct plan *pl, const struct item *it)
{
	const struct order *o;
	const struct pox *px;

	if (!it->ext || !(o = map_get(pl->in->orders, it->order)) ||
	    !o->netsuite || !(px = map_get(pl->pos, o->ext)))
		return 0;
	return px->slot + 1;
}

/* first[s] .. first[s + 1]: where slot s's members start in by (a
 * counting sort, stable: each PO's in the order met); first has ns + 2
 * entries, counts in first[s + 2] on entry. */
static void
group_starts(uint32_t *first, size_t ns)
{
	size_t s;

	for (s = 0; s < ns; s++)
		first[s + 2] += first[s + 1];
}

/* The receipts with goods to count, and HotWax's lines, grouped by PO. */
static void
group(struct plan *pl)
{
	const struct rx_input *in = pl->in;
	const struct item *it;
	size_t ns = map_count(pl->pos), i, ni = 0;
	uint32_t s;

	pl->rfirst = xcalloc(ns + 2, sizeof *pl->rfirst);
	pl->ifirst = xcalloc(ns + 2, sizeof *pl->ifirst);
	for (i = 0; i < in->n; i++)
		if (pl->rpo[i])
			pl->rfirst[pl->rpo[i] + 1]++;
	for (i = 0; i < in->nitem; i++)
		if ((s = item_slot(pl, it = &in->item[i])) != 0) {
			pl->ifirst[s + 1]++;
			ni++;
		}
	group_starts(pl->rfirst, ns);
	group_starts(pl->ifirst, ns);
	pl->rby = xcalloc(pl->rfirst[ns + 1] + 1, sizeof *pl->rby);
	pl->items = xcalloc(ni + 1, sizeof *pl->items);
	for (i = 0; i < in->n; i++)
		if (pl->rpo[i])
			pl->rby[pl->rfirst[pl->rpo[i]]++] = (uint32_t)i;
	for (i = 0; i < in->nitem; i++)
		if ((s = item_slot(pl, it = &in->item[i])) != 0)
			pl->items[pl->ifirst[s]++] = it;
	/* each first[s + 1] now ends slot s: first[s] starts it again */
}

void
rx_seed_wanted(const struct rx_input *in, rx_order_fn *fn, void *arg)
{
	struct plan pl;
	const struct order *o;
	const struct pox *px;
	const char **v;
	size_t i, n;

	plan_init(&pl, in, NULL);
	assign(&pl);
	v = map_sorted(in->orders, &n);
	for (i = 0; i < n; i++) {
		o = map_get(in->orders, v[i]);
		if (o->netsuite && (px = map_get(pl.pos, o->ext)) &&
		    !px->held && !rx_state_has_po(in->st, o->ext))
			fn(v[i], o->ext, arg);
	}
	free(v);
	plan_free(&pl);
}

/* --start-at's seed of a PO the state does not hold yet (a PO the
 * state holds counted its floor's receipts before), or NULL. */
static const struct seeded *
seed_of(const struct plan *pl, const char *po)
{
	const struct seeded *sd = map_get(pl->in->seed, po);

	return sd && !rx_state_has_po(pl->in->st, po) ? sd : NULL;
}

/* A seed row that could not be counted holds its PO. */
static void
seed_holds(struct plan *pl)
{
	const struct seeded *sd;
	struct pox *px;
	const char *po;
	size_t i;

	for (i = 0; (px = map_next(pl->pos, &i, &po)) != NULL; )
		if ((sd = seed_of(pl, po)) != NULL && sd->held)
			px->held = 1;
}

/* A PO's lines: its receipts' goods, HotWax's lines with their
 * quantities, then what polines and --start-at's seed say of them. */
static void
build_po(const struct plan *pl, const struct pox *px, struct rx_po *p)
{
	const struct linelist *ll = map_get(pl->in->csv, p->po);
	const struct seeded *sd = seed_of(pl, p->po);
	const struct item *it;
	struct rx_line *l;
	uint32_t s = px->slot, k;

	for (k = s ? pl->rfirst[s] : 0; k < pl->rfirst[s + 1]; k++)
		add_accepted(rx_po_line(p, pl->rext[pl->rby[k]]),
		    &pl->in->v[pl->rby[k]]);
	for (k = s ? pl->ifirst[s] : 0; k < pl->ifirst[s + 1]; k++) {
		it = pl->items[k];
		l = rx_po_line(p, it->ext);
		if (it->hasqty) {
			l->hw = RX_KNOWN;
			l->hw_qty = it->qty;
		}
	}
	for (k = 0; ll && k < ll->n; k++) {
		l = rx_po_line(p, ll->v[k].line);
		l->csv = ll->v[k].has ? RX_KNOWN : RX_UNKNOWN;
		l->csv_qty = ll->v[k].qty;
	}
	for (k = 0; sd && k < sd->po.n; k++) {
		l = rx_po_line(p, sd->po.lines[k].id);
		l->received = rx_qty_add(l->received, sd->po.lines[k].received);
	}
}

/* Is receipt i held back, with its order or PO?  (rheld, once
 * mark_held has run.) */
static int
is_held(const struct plan *pl, size_t i)
{
	const struct rcpt *x = &pl->in->v[i];
	const struct order *o = x->order ? map_get(pl->in->orders, x->order) :
	    NULL;
	const struct pox *px = o && o->netsuite ? map_get(pl->pos, o->ext) :
	    NULL;

	return pl->rheld[i] || (x->order && map_get(pl->oheld, x->order)) ||
	    (px && px->held);
}

/* Each receipt's hold, its order's or PO's too, into rheld: what the
 * ledger goes by once the look-ups are let go. */
static void
mark_held(struct plan *pl)
{
	size_t i;

	for (i = 0; i < pl->in->n; i++)
		pl->rheld[i] = (char)is_held(pl, i);
}

/* Which receipts are done with (into the ledger); the earliest time of a
 * held one into d->heldmin. */
static void
ledger(struct plan *pl, struct rx_state *st)
{
	const struct rx_input *in = pl->in;
	struct rx_decision *d = pl->d;
	const struct rcpt *x;
	size_t i;

	for (i = 0; i < in->n; i++) {
		x = &in->v[i];
		if (pl->rheld[i]) {
			d->held = 1;
			/* a receipt without a time was in the window: the
			 * cursor stays where it is (never back) */
			if (x->ms < d->heldmin)
				d->heldmin = x->ms < 0 ? 0 : x->ms;
			continue;
		}
		if (!*x->id)
			continue;	/* bad, of an order not NetSuite's: ignored */
		rx_state_ledger_put(st, x->id, x->ms);
		pl->d->changed = 1;
		/* said here, as it enters the ledger: once per receipt */
		if (x->ms > in->now + in->overlap_ms && d->future++ < MAX_SAID)
			note(pl, RX_FUTURE, (const char *[]){ x->id, NULL,
			    x->order ? x->order : "", NULL, NULL },
			    x->ms - in->now);
	}
}

/* An excess row (CSV, by csvio): a person settles it in NetSuite. */
static void
excess(struct plan *pl, const char *po, const struct rx_line *l)
{
	const char *ids = l->rids.s ? l->rids.s : "";
	char q[DEC_BUFSZ];
	const char *f[EXCESS_COLS] = { po, l->id, dec_format(l->excess, q),
	    ids };
	size_t len[EXCESS_COLS], i;

	for (i = 0; i < EXCESS_COLS; i++)
		len[i] = strlen(f[i]);
	csvio_add_row(&pl->d->excess, f, len, EXCESS_COLS);
	note(pl, RX_EXCESS, (const char *[]){ ids, q, NULL, po, l->id },
	    l->ord == RX_UNKNOWN);
}

/* One PO's element (if any), excess, drop and outcome in st; its
 * polines records are let go once read. */
static void
element(struct plan *pl, struct rx_input *in, struct rx_po *p,
    const struct pox *px, struct rx_state *st)
{
	struct rx_decision *d = pl->d;
	size_t k;

	build_po(pl, px, p);
	rx_input_po_done(in, p->po);
	rx_po_from_state(p, st);
	rx_compute(p);
	for (k = 0; k < p->n; k++)
		if (p->lines[k].excess > 0)
			excess(pl, p->po, &p->lines[k]);
	if (p->element) {
		if (d->elements++)
			buf_adds(&d->file, ",\n");
		rx_element(p, &d->file);
	} else
		note(pl, RX_NOTHING, (const char *[]){ NULL, NULL,
		    NULL, p->po, NULL }, 0);
	if (p->full) {
		tsv_esc(&d->drop, p->po);
		buf_addc(&d->drop, '\n');
	}
	rx_po_apply(st, p, in->now);
}

/* The elements, in PO order, appended to d->file (not bracketed); each
 * PO's outcome recorded in st.  A PO's lines are built, written and let
 * go one PO at a time. */
static void
elements(struct plan *pl, struct rx_input *in, struct rx_state *st)
{
	const struct pox *px;
	struct rx_po po;
	const char **v;
	size_t i, n;

	v = map_sorted(pl->pos, &n);
	for (i = 0; i < n; i++) {
		px = map_get(pl->pos, v[i]);
		if (px->held)
			continue;
		rx_po_init(&po, v[i]);
		element(pl, in, &po, px, st);
		rx_po_free(&po);
	}
	free(v);
}

/* Every receipt is grouped by PO and its hold known: what found their
 * POs and lines goes before the ledger, the elements and the state's
 * lines are built (issue 12, P4: the peak of a run of 100,000
 * receipts). */
static void
plan_assigned(struct plan *pl, struct rx_input *in)
{
	mark_held(pl);
	rx_input_lookups_done(in);
	free(pl->rpo);
	pl->rpo = NULL;
}

void
rx_decide_begin(struct rx_decision *d)
{
	memset(d, 0, sizeof *d);
	d->heldmin = INT64_MAX;
}

void
rx_decide_part(struct rx_input *in, struct rx_state *st,
    struct rx_decision *d)
{
	struct plan pl;

	plan_init(&pl, in, d);
	assign(&pl);
	seed_holds(&pl);
	group(&pl);
	plan_assigned(&pl, in);
	ledger(&pl, st);
	elements(&pl, in, st);
	plan_free(&pl);
}

void
rx_decide_end(const struct rx_input *in, struct rx_state *st,
    struct rx_decision *d)
{
	int64_t ms, cursor = rx_state_cursor(st);

	if (d->future > MAX_SAID)
		note_d(d, RX_FUTURE_MORE, (const char *[]){ NULL, NULL, NULL,
		    NULL, NULL }, (int64_t)(d->future - MAX_SAID));
	/* A held receipt keeps the cursor from passing it, so the next
	 * window still holds it; but the cursor never moves back: the
	 * ledger has forgotten what lies before the old window, and a
	 * window reaching back there would export it again.  The held
	 * receipt was inside the old window, so it stays inside. */
	ms = d->held && d->heldmin < in->maxms ? d->heldmin : in->maxms;
	/* HotWax's dates are data, not the time: a receipt dated ahead of
	 * this host's clock must not carry the cursor past it, or every
	 * receipt dated in between would fall before the window (posync(7),
	 * CLOCKS).  The ledger keeps the early one from going out twice. */
	if (ms > in->now)
		ms = in->now;
	if (ms < cursor)
		ms = cursor;
	if (ms != cursor)
		d->changed = 1;
	rx_state_set_cursor(st, ms);
	rx_state_prune(st, in->overlap_ms, in->now, in->keep_ms);
}

void
rx_decide(struct rx_input *in, struct rx_state *st, struct rx_decision *d)
{
	struct buf els;

	rx_decide_begin(d);
	rx_decide_part(in, st, d);
	if (d->elements) {
		els = d->file;
		memset(&d->file, 0, sizeof d->file);
		buf_addc(&d->file, '[');
		buf_add(&d->file, els.s, els.len);
		buf_adds(&d->file, "]\n");
		buf_free(&els);
	}
	rx_decide_end(in, st, d);
}

int
rx_decision_status(const struct rx_decision *d)
{
	return d->held ? EX_DATAERR : 0;
}

int
rx_decision_changed(const struct rx_decision *d)
{
	return d->changed;
}

void
rx_decision_free(struct rx_decision *d)
{
	size_t i, k;

	buf_free(&d->file);
	buf_free(&d->excess);
	buf_free(&d->drop);
	for (i = 0; i < d->nnotes; i++)
		for (k = 0; k < RX_NOTE_STRS; k++)
			free(d->notes[i].s[k]);
	free(d->notes);
	memset(d, 0, sizeof *d);
}

/* A hold: the receipt's PO (or the receipt alone) waits for HotWax's
 * data to be fixed. */
static void
say_hold(const struct rx_note *x, const char *where)
{
	const char *const *s = (const char *const *)x->s;

	switch (x->kind) {
	case RX_HOLD_NO_ORDER:
		msg_warn("%sperformFind: receipt %s: %s; no order to hold "
		    "back: the cursor stays before it until HotWax's "
		    "data is fixed", where, s[0], s[1]);
		break;
	case RX_HOLD_BAD_UNFOUND:
		msg_warn("%sperformFind: receipt %s: %s; HotWax order %s "
		    "not found (OrderHeader); held back", where, s[0], s[1],
		    s[2]);
		break;
	case RX_HOLD_UNFOUND:
		msg_warn("receipt %s: HotWax order %s not found "
		    "(OrderHeader); held back", s[0], s[2]);
		break;
	case RX_HOLD_BAD:
		msg_warn("%sperformFind: receipt %s (HotWax order %s, "
		    "NetSuite PO %s): %s; PO %s held back until HotWax's "
		    "data is fixed", where, s[0], s[2], s[3], s[1], s[3]);
		break;
	case RX_HOLD_NO_LINE:
		msg_warn("receipt %s: HotWax order %s item %s has no "
		    "NetSuite line id (OrderItem externalId%s); PO %s "
		    "held back until it has one", s[0], s[2], s[4],
		    x->n ? ": item not found" : "", s[3]);
		break;
	default:
		break;
	}
}

/* A receipt dated further ahead than [hotwax] receipt_overlap: HotWax's
 * clock (or its data) is off.  It is exported all the same, and said. */
static void
say_future(const struct rx_note *x)
{
	char *id = msg_quote(x->s[0], strlen(x->s[0]));
	char *o = msg_quote(x->s[2], strlen(x->s[2]));

	msg_warn("receipt %s (HotWax order %s) is dated %" PRId64 " s ahead of "
	    "this host's clock, more than [hotwax] receipt_overlap: exported "
	    "now, but check the clocks of HotWax and of this host", id, o,
	    x->n / 1000);
	free(id);
	free(o);
}

/* Every id quoted: they come from HotWax. */
static void
say_excess(const struct rx_note *x)
{
	char *qpo = msg_quote(x->s[3], strlen(x->s[3]));
	char *qline = msg_quote(x->s[4], strlen(x->s[4]));
	char *qids = msg_quote(x->s[0], strlen(x->s[0]));

	msg_warn("PO %s line %s: %s accepted in HotWax beyond what is open in "
	    "NetSuite%s (receipts %s); not sent, recorded in excess.csv",
	    qpo, qline, x->s[1], x->n ?
	    " (ordered quantity unknown: its CSV row was rejected)" : "", qids);
	free(qpo);
	free(qline);
	free(qids);
}

void
rx_decision_say(const struct rx_decision *d, const char *where)
{
	const struct rx_note *x;
	size_t i;

	for (i = 0; i < d->nnotes; i++) {
		x = &d->notes[i];
		if (x->kind == RX_FUTURE)
			say_future(x);
		else if (x->kind == RX_FUTURE_MORE)
			msg_warn("%" PRId64 " more receipts dated ahead of this "
			    "host's clock", x->n);
		else if (x->kind == RX_EXCESS)
			say_excess(x);
		else if (x->kind == RX_NOTHING)
			msg_info("PO %s: nothing accepted to send", x->s[3]);
		else
			say_hold(x, where);
	}
}
