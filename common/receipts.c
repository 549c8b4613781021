/*
 * receipts -- see receipts.h.  Everything here is pure: no I/O but the
 * buffers it is given, so the rules of contracts.md section 4 can be
 * tested without a server.
 */
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "msg.h"
#include "receipts.h"
#include "util.h"

/* ---------------------------------------------------------------- map */

static uint64_t
khash(const char *k)
{
	return fnv64(FNV64_INIT, k, strlen(k));
}

struct rx_ent *
rx_map_get(const struct rx_map *m, const char *key)
{
	size_t i;

	if (!m->cap)
		return NULL;
	for (i = khash(key) & (m->cap - 1); m->v[i].key; i = (i + 1) & (m->cap - 1))
		if (strcmp(m->v[i].key, key) == 0)
			return m->v[i].dead ? NULL : &m->v[i];
	return NULL;
}

static void
grow(struct rx_map *m)
{
	struct rx_ent *old = m->v;
	size_t oldcap = m->cap, i, j;

	m->cap = oldcap ? oldcap * 2 : 64;
	m->v = xcalloc(m->cap, sizeof *m->v);
	for (i = 0; i < oldcap; i++) {
		if (!old[i].key)
			continue;
		for (j = khash(old[i].key) & (m->cap - 1); m->v[j].key;
		    j = (j + 1) & (m->cap - 1))
			;
		m->v[j] = old[i];
	}
	free(old);
}

struct rx_ent *
rx_map_put(struct rx_map *m, const char *key, int *isnew)
{
	size_t i;

	if ((m->n + 1) * 2 > m->cap)
		grow(m);
	for (i = khash(key) & (m->cap - 1); m->v[i].key; i = (i + 1) & (m->cap - 1))
		if (strcmp(m->v[i].key, key) == 0) {
			/* a removed entry comes back fresh */
			if (isnew)
				*isnew = m->v[i].dead;
			m->v[i].dead = 0;
			return &m->v[i];
		}
	m->v[i].key = xstrdup(key);
	m->n++;
	if (isnew)
		*isnew = 1;
	return &m->v[i];
}

static int
entcmp(const void *a, const void *b)
{
	return strcmp((*(struct rx_ent *const *)a)->key,
	    (*(struct rx_ent *const *)b)->key);
}

struct rx_ent **
rx_map_sorted(const struct rx_map *m, size_t *n)
{
	struct rx_ent **v = xcalloc(m->n + 1, sizeof *v);
	size_t i, k = 0;

	for (i = 0; i < m->cap; i++)
		if (m->v[i].key && !m->v[i].dead)
			v[k++] = &m->v[i];
	qsort(v, k, sizeof *v, entcmp);
	*n = k;
	return v;
}

/* ---------------------------------------------------------------- text */

void
rx_esc(struct buf *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			buf_adds(out, "\\\\");
		else if (*s == '\t')
			buf_adds(out, "\\t");
		else if (*s == '\n')
			buf_adds(out, "\\n");
		else
			buf_addc(out, *s);
	}
}

/* Undo rx_esc in place; -1 on a stray backslash. */
static int
unesc(char *s)
{
	char *d = s;

	for (; *s; s++) {
		if (*s != '\\') {
			*d++ = *s;
			continue;
		}
		s++;
		if (*s == '\\')
			*d++ = '\\';
		else if (*s == 't')
			*d++ = '\t';
		else if (*s == 'n')
			*d++ = '\n';
		else
			return -1;
	}
	*d = 0;
	return 0;
}

void
rx_json_str(struct buf *out, const char *s)
{
	buf_addc(out, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			buf_addc(out, '\\');
			buf_addc(out, (char)c);
		} else if (c < 0x20 || c == 0x7f)
			buf_addf(out, "\\u%04x", c);
		else
			buf_addc(out, (char)c);
	}
	buf_addc(out, '"');
}

static int
parse_ms(const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (*s < '0' || *s > '9')
		return -1;
	v = strtoll(s, &end, 10);
	if (*end || v < 0 || v == LLONG_MAX)
		return -1;
	*out = v;
	return 0;
}

/* ---------------------------------------------------------------- state */

void
rx_state_init(struct rx_state *st)
{
	memset(st, 0, sizeof *st);
}

static void
stpo_free(struct rx_stpo *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->n; i++)
		free(p->lines[i].line);
	free(p->lines);
	free(p);
}

void
rx_state_free(struct rx_state *st)
{
	size_t i;

	for (i = 0; i < st->ledger.cap; i++)
		free(st->ledger.v[i].key);
	for (i = 0; i < st->pos.cap; i++) {
		free(st->pos.v[i].key);
		stpo_free(st->pos.v[i].val);
	}
	free(st->ledger.v);
	free(st->pos.v);
	memset(st, 0, sizeof *st);
}

static struct rx_stpo *
stpo_get(struct rx_state *st, const char *po)
{
	struct rx_ent *e = rx_map_put(&st->pos, po, NULL);

	if (!e->val)
		e->val = xcalloc(1, sizeof(struct rx_stpo));
	return e->val;
}

static struct rx_stline *
stline_get(struct rx_stpo *p, const char *line)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (strcmp(p->lines[i].line, line) == 0)
			return &p->lines[i];
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 8;
		p->lines = xrealloc(p->lines, p->cap * sizeof *p->lines);
	}
	memset(&p->lines[p->n], 0, sizeof p->lines[0]);
	p->lines[p->n].line = xstrdup(line);
	p->lines[p->n].ord = RX_UNKNOWN;
	return &p->lines[p->n++];
}

/* Split line at TABs into at most max fields; the number found. */
static int
split(char *line, char **f, int max)
{
	int n = 0;

	f[n++] = line;
	for (; *line; line++)
		if (*line == '\t') {
			if (n == max)
				return max + 1;
			*line = 0;
			f[n++] = line + 1;
		}
	return n;
}

static int
parse_qty(const char *s, dec_t *out)
{
	return dec_parse(s, strlen(s), out) == 0 ? 0 : -1;
}

#define STATE_MAGIC "posync receipt-export state 1"

/* 9999-12-31T23:59:59.999Z: the latest time a file name can hold. */
#define STATE_MS_MAX INT64_C(253402300799999)

int
rx_state_parse(struct rx_state *st, const char *data, size_t len,
    const char *what)
{
	char *copy = xstrndup(data, len), *line = copy, *nl, *f[6];
	const char *why = NULL;
	int lineno = 0, n;
	int64_t ms;
	dec_t q, r;

	if (strlen(copy) != len) {	/* name the line it is on */
		why = "a NUL byte";
		lineno = 1;
		for (nl = copy; (nl = strchr(nl, '\n')); nl++)
			lineno++;
	}
	for (; !why && *line; line = nl + 1) {
		lineno++;
		nl = strchr(line, '\n');
		if (!nl) {
			why = "the last line has no newline (torn write?)";
			break;
		}
		*nl = 0;
		if (lineno == 1) {
			if (strcmp(line, STATE_MAGIC) != 0)
				why = "not a receipt-export state file";
			continue;
		}
		n = split(line, f, 5);
		/* a cursor or last past year 9999 passes parse_ms, but
		 * the next file name (4-digit year) or query cannot hold it */
		if (n == 2 && (strcmp(f[0], "cursor") == 0 ||
		    strcmp(f[0], "last") == 0 || strcmp(f[0], "floor") == 0) &&
		    parse_ms(f[1], &ms) == 0 && ms > STATE_MS_MAX)
			why = "a time past 9999-12-31T23:59:59.999Z";
		else if (n == 2 && strcmp(f[0], "cursor") == 0 && parse_ms(f[1], &ms) == 0)
			st->cursor = ms;
		else if (n == 2 && strcmp(f[0], "last") == 0 && parse_ms(f[1], &ms) == 0)
			st->last = ms;
		else if (n == 2 && strcmp(f[0], "floor") == 0 &&
		    parse_ms(f[1], &ms) == 0 && ms > 0 && !st->floor)
			st->floor = ms;	/* once: a second floor is damage */
		else if (n == 3 && strcmp(f[0], "r") == 0 && unesc(f[1]) == 0 &&
		    *f[1] && parse_ms(f[2], &ms) == 0)
			rx_map_put(&st->ledger, f[1], NULL)->ms = ms;
		else if (n == 3 && strcmp(f[0], "c") == 0 && unesc(f[1]) == 0 &&
		    *f[1] && parse_ms(f[2], &ms) == 0)
			stpo_get(st, f[1])->closed = ms;
		else if (n == 5 && strcmp(f[0], "t") == 0 && unesc(f[1]) == 0 &&
		    unesc(f[2]) == 0 && *f[1] && *f[2] &&
		    (strcmp(f[3], "?") == 0 || parse_qty(f[3], &q) == 0) &&
		    parse_qty(f[4], &r) == 0) {
			struct rx_stline *l = stline_get(stpo_get(st, f[1]), f[2]);

			l->ord = strcmp(f[3], "?") == 0 ? RX_UNKNOWN : RX_KNOWN;
			l->ordered = l->ord == RX_KNOWN ? q : 0;
			l->received = r;
		} else
			why = "malformed record";
	}
	/* written atomically (rename), so never empty by a crash: damage */
	if (!why && lineno == 0)
		why = "empty (a state is never written empty)";
	free(copy);
	if (why) {
		/* EX_CONFIG, not EX_DATAERR: a run must not go on without
		 * its state, or it exports every receipt again */
		msg_warn("%s:%d: %s; nothing exported, the file is left as it "
		    "is: repair it by hand after checking which receipts were "
		    "exported (receipt-export(1), CAVEATS)", what, lineno, why);
		return EX_CONFIG;
	}
	return 0;
}

void
rx_state_format(const struct rx_state *st, struct buf *out)
{
	struct rx_ent **v;
	struct rx_stpo *p;
	char q[DEC_BUFSZ], r[DEC_BUFSZ];
	size_t n, i, j;

	buf_addf(out, "%s\ncursor\t%" PRId64 "\nlast\t%" PRId64 "\n",
	    STATE_MAGIC, st->cursor, st->last);
	if (st->floor)
		buf_addf(out, "floor\t%" PRId64 "\n", st->floor);
	v = rx_map_sorted(&st->ledger, &n);
	for (i = 0; i < n; i++) {
		buf_adds(out, "r\t");
		rx_esc(out, v[i]->key);
		buf_addf(out, "\t%" PRId64 "\n", v[i]->ms);
	}
	free(v);
	v = rx_map_sorted(&st->pos, &n);
	for (i = 0; i < n; i++) {
		p = v[i]->val;
		if (p->closed) {
			buf_adds(out, "c\t");
			rx_esc(out, v[i]->key);
			buf_addf(out, "\t%" PRId64 "\n", p->closed);
		}
		for (j = 0; j < p->n; j++) {
			buf_adds(out, "t\t");
			rx_esc(out, v[i]->key);
			buf_addc(out, '\t');
			rx_esc(out, p->lines[j].line);
			buf_addf(out, "\t%s\t%s\n",
			    p->lines[j].ord == RX_KNOWN ?
			    dec_format(p->lines[j].ordered, q) : "?",
			    dec_format(p->lines[j].received, r));
		}
	}
	free(v);
}

void
rx_state_prune(struct rx_state *st, int64_t overlap_ms, int64_t now,
    int64_t keep_ms)
{
	int64_t from = st->cursor - overlap_ms;
	size_t i;

	for (i = 0; i < st->ledger.cap; i++)
		if (st->ledger.v[i].key && st->ledger.v[i].ms < from)
			st->ledger.v[i].dead = 1;
	for (i = 0; i < st->pos.cap; i++) {
		struct rx_stpo *p = st->pos.v[i].val;

		if (st->pos.v[i].key && p && p->closed && p->closed < now - keep_ms) {
			st->pos.v[i].dead = 1;
			stpo_free(p);
			st->pos.v[i].val = NULL;
		}
	}
}

/* ---------------------------------------------------------------- POs */

void
rx_po_init(struct rx_po *p, const char *po)
{
	memset(p, 0, sizeof *p);
	p->po = xstrdup(po);
}

void
rx_po_free(struct rx_po *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		free(p->lines[i].id);
		buf_free(&p->lines[i].rids);
	}
	free(p->lines);
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

void
rx_po_from_state(struct rx_po *p, const struct rx_state *st)
{
	struct rx_ent *e = rx_map_get(&st->pos, p->po);
	struct rx_stpo *sp = e ? e->val : NULL;
	struct rx_line *l;
	size_t i;

	for (i = 0; sp && i < sp->n; i++) {
		l = rx_po_line(p, sp->lines[i].line);
		l->st = sp->lines[i].ord;
		l->st_qty = sp->lines[i].ordered;
		l->received = sp->lines[i].received;
	}
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
		/* NetSuite's CSV is the truth; an unknown quantity there is
		 * unknown even when the state or HotWax remember an old one */
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
	rx_json_str(out, p->po);
	buf_adds(out, ",\"items\":[");
	for (i = 0; i < p->n; i++) {
		if (!p->lines[i].listed)
			continue;
		buf_adds(out, first ? "{\"line_id\":" : ",{\"line_id\":");
		rx_json_str(out, p->lines[i].id);
		buf_addf(out, ",\"quantity\":%s}", dec_format(p->lines[i].send, q));
		first = 0;
	}
	buf_adds(out, "]}");
}

void
rx_state_apply(struct rx_state *st, const struct rx_po *p, int64_t now)
{
	struct rx_stpo *sp = stpo_get(st, p->po);
	struct rx_stline *sl;
	size_t i;

	for (i = 0; i < p->n; i++) {
		sl = stline_get(sp, p->lines[i].id);
		sl->ord = p->lines[i].ord;
		sl->ordered = p->lines[i].ord == RX_KNOWN ? p->lines[i].ordered : 0;
		sl->received = p->lines[i].received + p->lines[i].send;
	}
	if (!p->full)
		sp->closed = 0;
	else if (!sp->closed)
		sp->closed = now > 0 ? now : 1;
}

/* exactly n ASCII digits at *p, advanced past them */
static int
digits(const char **p, int n, int *v)
{
	*v = 0;
	for (; n > 0; n--, (*p)++) {
		if (**p < '0' || **p > '9')
			return -1;
		*v = *v * 10 + (**p - '0');
	}
	return 0;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; H. Hinnant's
 * days_from_civil). */
static int64_t
days_from_civil(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = y / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int
rx_time_parse(const char *s, int64_t *out, const char **why)
{
	static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	const char *p = s;
	int y, mo, d, h, mi, sec, frac = 0, scale = 1000, oh = 0, om = 0, sign = 0;
	int64_t ms;

	*why = "not YYYY-MM-DDTHH:MM:SS followed by Z or +HH:MM or -HH:MM";
	if (digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) ||
	    *p++ != '-' || digits(&p, 2, &d) || *p++ != 'T' ||
	    digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi) ||
	    *p++ != ':' || digits(&p, 2, &sec))
		return -1;
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9' && scale > 1; p++) {
			scale /= 10;
			frac += (*p - '0') * scale;
		}
		if (scale == 1000 || (*p >= '0' && *p <= '9')) {
			*why = "a fraction of a second is 1 to 3 digits";
			return -1;
		}
	}
	if (*p == 'Z')
		p++;
	else if (*p == '+' || *p == '-') {
		sign = *p++ == '+' ? 1 : -1;
		if (digits(&p, 2, &oh) || *p++ != ':' || digits(&p, 2, &om))
			return -1;
	} else
		return -1;
	if (*p)
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
	    (mo == 2 && d == 29 && (y % 4 || (y % 100 == 0 && y % 400))) ||
	    h > 23 || mi > 59 || sec > 59 || oh > 23 || om > 59) {
		*why = "no such date or time";
		return -1;
	}
	ms = (days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec -
	    sign * (oh * 3600 + om * 60)) * 1000 + frac;
	if (ms < 0 || ms > STATE_MS_MAX) {
		*why = "before 1970-01-01T00:00:00Z or after 9999-12-31T23:59:59.999Z";
		return -1;
	}
	*out = ms;
	return 0;
}

int
rx_file_name(char *buf, size_t size, const char *prefix, int64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	if (ms < 0 || !gmtime_r(&t, &tm))
		return -1;
	return bsnprintf(buf, size,
	    "%s_PurchaseOrderReceiptFeed_%04d-%02d-%02d-%02d_%02d_%02d_%03d.json",
	    prefix, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, (int)(ms % 1000));
}
