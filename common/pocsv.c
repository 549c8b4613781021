/*
 * pocsv -- see pocsv.h.  Lines are cut by hand (memchr over a large read
 * buffer) and each line with a quote is given to libcsv on its own (one
 * without is cut at its commas, split_plain), so the raw text of
 * the record is always at hand for the NetSuite reading and for the
 * rejects file, and a stray quote cannot run on into the next rows.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <csv.h>

#include "csvio.h"
#include "decimal.h"
#include "json.h"
#include "msg.h"
#include "pocsv.h"
#include "util.h"

enum { C_PO, C_SKU, C_QTY, C_FAC, C_ITEM, C_DATE, NCOLS };

static const char *const colname[NCOLS] = {
	"external-id", "product-sku", "quantity", "external-facility-id",
	"item-external-id", "arrival-date",
};

/* A reason holds a prefix (160), a head, one value quoted by msg_quote
 * (at most MSG_QUOTE_MAX + 5) and a tail naming the date format (100). */
#define REASON_MAX	(MSG_QUOTE_MAX + 512)

/* Big enough that a longest line always fits, large for fewer reads. */
#define RDBUF (4 * POCSV_LINE_MAX)

/* A date format read into steps (date_compile): a literal byte, or
 * min..max digits (greedy) giving the year (plus add), month or day. */
enum { D_LIT, D_YEAR, D_MONTH, D_DAY };

struct dstep {
	unsigned char what, min, max;
	char lit;
	int add;
};

struct datefmt {
	struct dstep *st;
	size_t n;
	size_t fixed;		/* every step of a fixed width: the date's
				 * length, else 0 */
	int ok;			/* exactly one year, one month and one day */
};

/* A column of the row: NUL-terminated, in cols. */
struct col {
	const char *s;
	size_t len;
};

/* Room for the columns of any line: no more bytes than the line, a NUL
 * each. */
#define COLS_MAX	(POCSV_LINE_MAX + NCOLS)

struct field {
	const char *s;		/* into the line or fbuf (see fbase) */
	size_t off, len;	/* off: into fbuf when s is NULL */
};

struct pocsv {
	pocsv_read_fn *read;	/* where the bytes come from */
	void *rarg;
	int fd;			/* pocsv_open's: rarg points here */
	char *fmt;
	struct csv_parser csv;
	int ncols;		/* columns in the header */
	int col[NCOLS];		/* header position of each column we use */

	char *rd;		/* read buffer */
	size_t start, end;
	int eof;
	char *over;		/* the kept start of an over-long line */
	unsigned long lineno;

	struct buf fbuf;	/* libcsv's fields, NUL-separated */
	struct field *f;
	size_t nf, fcap;
	int csv_failed;
	struct datefmt date;	/* fmt, compiled */

	char *cols;		/* the row's columns (COLS_MAX) */
	struct col val[NCOLS];
	char reason[REASON_MAX];
	char qtybuf[DEC_BUFSZ];
};

/* ---------------------------------------------------------------- text */

/* 1 when s is valid UTF-8 without control characters (C0, DEL); NUL
 * counts as a control character. */
static int
is_text(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, k;

	while (i < n && u[i] >= 0x20 && u[i] < 0x7f)
		i++;		/* printable ASCII, most of it */
	while (i < n) {
		if (u[i] < 0x20 || u[i] == 0x7f)
			return 0;
		k = utf8_len(u + i, n - i);
		if (!k)
			return 0;
		i += k;
	}
	return 1;
}

/* ---------------------------------------------------------------- dates */

/* A date format is read once into steps (date_compile, struct datefmt
 * above), each row's date then matched against them (date_read): no
 * token scan of the format a row. */

/* The step of the token at fmt, and its length. */
static size_t
date_token(const char *fmt, struct dstep *st)
{
	static const struct { const char *tok; struct dstep st; } tokens[] = {
		{ "YYYY", { D_YEAR, 4, 4, 0, 0 } },
		{ "YY", { D_YEAR, 2, 2, 0, 2000 } },
		{ "MM", { D_MONTH, 2, 2, 0, 0 } },
		{ "M", { D_MONTH, 1, 2, 0, 0 } },
		{ "DD", { D_DAY, 2, 2, 0, 0 } },
		{ "D", { D_DAY, 1, 2, 0, 0 } },
	};
	size_t k, n;

	for (k = 0; k < sizeof tokens / sizeof tokens[0]; k++) {
		n = strlen(tokens[k].tok);
		if (strncmp(fmt, tokens[k].tok, n) == 0) {
			*st = tokens[k].st;
			return n;
		}
	}
	st->what = D_LIT, st->lit = *fmt;
	return 1;
}

static void
date_compile(const char *fmt, struct datefmt *df)
{
	struct dstep *st;
	int count[4] = { 0 }, varies = 0;

	df->st = xcalloc(strlen(fmt) + 1, sizeof *df->st);
	df->n = df->fixed = 0;
	while (*fmt) {
		fmt += date_token(fmt, st = &df->st[df->n++]);
		count[st->what]++;
		df->fixed += st->what == D_LIT ? 1 : st->max;
		varies |= st->what != D_LIT && st->min != st->max;
	}
	if (varies)
		df->fixed = 0;
	df->ok = count[D_YEAR] == 1 && count[D_MONTH] == 1 && count[D_DAY] == 1;
}

static void
date_free(struct datefmt *df)
{
	free(df->st);
	df->st = NULL;
}

/* date_match when every step has a fixed width, s df->fixed bytes. */
static int
date_fixed(const struct datefmt *df, const char *s, int v[4])
{
	const struct dstep *st = df->st, *end = st + df->n;
	unsigned d;
	int x, k;

	for (; st < end; st++) {
		if (st->what == D_LIT) {
			if (*s++ != st->lit)
				return -1;
			continue;
		}
		for (x = 0, k = 0; k < st->max; k++) {
			if ((d = (unsigned)(unsigned char)*s++ - '0') > 9)
				return -1;
			x = x * 10 + (int)d;
		}
		v[st->what] = x + st->add;
	}
	return 0;
}

/* s (n bytes) matched against df: 0 and v[D_YEAR..D_DAY], or -1. */
static int
date_match(const struct datefmt *df, const char *s, size_t n, int v[4])
{
	const struct dstep *st = df->st, *end = st + df->n;
	size_t i = 0;
	int x, k;

	/* Steps of a fixed width read exactly their width: only a date of
	 * their length can match, and its digits need no bounds check. */
	if (df->fixed)
		return n == df->fixed ? date_fixed(df, s, v) : -1;
	for (; st < end; st++) {
		if (st->what == D_LIT) {
			if (i >= n || s[i] != st->lit)
				return -1;
			i++;
			continue;
		}
		for (x = 0, k = 0; k < st->max && i < n &&
		    s[i] >= '0' && s[i] <= '9'; k++, i++)
			x = x * 10 + (s[i] - '0');
		if (k < st->min)
			return -1;
		v[st->what] = x + st->add;
	}
	return i == n ? 0 : -1;
}

/* s read with df, written as MM/dd/yyyy into out: 0, or -1. */
static int
date_read(const struct datefmt *df, const char *s, size_t len, char out[11])
{
	static const unsigned char mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int v[4] = { 0 }, y, m, d, leap;

	if (!df->ok || date_match(df, s, len, v) < 0)
		return -1;
	y = v[D_YEAR], m = v[D_MONTH], d = v[D_DAY];
	if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return -1;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (m == 2 && d == 29 && !leap)
		return -1;
	out[0] = (char)('0' + m / 10), out[1] = (char)('0' + m % 10);
	out[2] = '/';
	out[3] = (char)('0' + d / 10), out[4] = (char)('0' + d % 10);
	out[5] = '/';
	out[6] = (char)('0' + y / 1000), out[7] = (char)('0' + y / 100 % 10);
	out[8] = (char)('0' + y / 10 % 10), out[9] = (char)('0' + y % 10);
	out[10] = 0;
	return 0;
}

int
pocsv_date_format_ok(const char *fmt)
{
	struct datefmt df;
	int ok;

	if (!fmt)
		return 0;
	date_compile(fmt, &df);
	ok = df.ok;
	date_free(&df);
	return ok;
}

int
pocsv_date(const char *fmt, const char *s, size_t len, char out[11])
{
	struct datefmt df;
	int r;

	date_compile(fmt, &df);
	r = date_read(&df, s, len, out);
	date_free(&df);
	return r;
}

/* ---------------------------------------------------------------- lines */

/* The reader's bytes, EINTR taken care of: >0, 0 at the end, -1. */
static ssize_t
fill(struct pocsv *p, char *b, size_t n)
{
	ssize_t r;

	while ((r = p->read(p->rarg, b, n)) < 0 && errno == EINTR)
		;
	return r;
}

/* pocsv_open's reader: read(2) of the fd. */
static ssize_t
fd_read(void *arg, void *b, size_t n)
{
	return read(*(int *)arg, b, n);
}

/* The next line (without its LF) into *line, *len; *toolong when it was
 * longer than POCSV_LINE_MAX (+1 for a CR), *line then holding its start.
 * 1, 0 at the end, -1 on a read error. */
static int
next_line(struct pocsv *p, const char **line, size_t *len, int *toolong)
{
	char *nl;
	ssize_t r;

	*toolong = 0;
	for (;;) {
		nl = memchr(p->rd + p->start, '\n', p->end - p->start);
		if (nl && (size_t)(nl - (p->rd + p->start)) <= POCSV_LINE_MAX + 1) {
			*line = p->rd + p->start;
			*len = (size_t)(nl - *line);
			p->start = (size_t)(nl + 1 - p->rd);
			return 1;
		}
		if (nl || p->end - p->start > POCSV_LINE_MAX + 1)
			break;		/* too long */
		if (p->eof) {
			if (p->start == p->end)
				return 0;
			*line = p->rd + p->start;
			*len = p->end - p->start;
			p->start = p->end;
			return 1;
		}
		if (p->start > 0) {
			memmove(p->rd, p->rd + p->start, p->end - p->start);
			p->end -= p->start;
			p->start = 0;
		}
		r = fill(p, p->rd + p->end, RDBUF - p->end);
		if (r < 0)
			return -1;
		if (r == 0)
			p->eof = 1;
		p->end += (size_t)r;
	}

	/* Keep the start for the message and the rejects file, skip the rest. */
	*toolong = 1;
	if (!p->over)
		p->over = xmalloc(POCSV_LINE_MAX);
	memcpy(p->over, p->rd + p->start, POCSV_LINE_MAX);
	*line = p->over;
	*len = POCSV_LINE_MAX;
	for (;;) {
		nl = memchr(p->rd + p->start, '\n', p->end - p->start);
		if (nl) {
			p->start = (size_t)(nl + 1 - p->rd);
			return 1;
		}
		p->start = p->end = 0;
		if (p->eof)
			return 1;
		r = fill(p, p->rd, RDBUF);
		if (r < 0)
			return -1;
		if (r == 0)
			p->eof = 1;
		p->end = (size_t)r;
	}
}

/* ---------------------------------------------------------------- fields */

/* Room for one more field: the rare path of add_field. */
static void
fields_grow(struct pocsv *p)
{
	p->fcap = p->fcap ? p->fcap * 2 : 16;
	p->f = xrealloc(p->f, p->fcap * sizeof *p->f);
}

/* Small enough to be inlined in split_plain's loop. */
static inline void
add_field(struct pocsv *p, const char *s, size_t off, size_t len)
{
	if (p->nf == p->fcap)
		fields_grow(p);
	p->f[p->nf].s = s;
	p->f[p->nf].off = off;
	p->f[p->nf].len = len;
	p->nf++;
}

static void
cb_field(void *s, size_t len, void *arg)
{
	struct pocsv *p = arg;
	size_t off = p->fbuf.len;

	buf_add(&p->fbuf, s, len);
	buf_addc(&p->fbuf, 0);
	add_field(p, NULL, off, len);
}

static void
cb_row(int c, void *arg)
{
	(void)c, (void)arg;
}

/* Spaces are data and only we end records. */
static int
never(unsigned char c)
{
	(void)c;
	return 0;
}

static void
csv_start(struct pocsv *p)
{
	if (csv_init(&p->csv, CSV_STRICT | CSV_STRICT_FINI) != 0)
		abort();	/* only allocation fails here: as xmalloc */
	csv_set_space_func(&p->csv, never);
	csv_set_term_func(&p->csv, never);
}

/* The line as RFC 4180 (libcsv, strict): the number of fields, or -1 when
 * its quoting is not RFC 4180. */
static long
split_rfc(struct pocsv *p, const char *line, size_t len)
{
	int bad;

	p->nf = 0;
	buf_reset(&p->fbuf);
	bad = csv_parse(&p->csv, line, len, cb_field, cb_row, p) != len ||
	    csv_error(&p->csv) != CSV_SUCCESS ||
	    csv_fini(&p->csv, cb_field, cb_row, p) != 0;
	if (bad) {
		/* After a strict failure libcsv's state is not reliably
		 * reset: start a fresh parser. */
		csv_free(&p->csv);
		csv_start(p);
		p->nf = 0;
		return -1;
	}
	return (long)p->nf;
}

/* The line as NetSuite writes it: cut at every comma. */
static size_t
split_raw(struct pocsv *p, const char *line, size_t len)
{
	const char *s = line, *e = line + len, *c;

	p->nf = 0;
	for (;;) {
		c = memchr(s, ',', (size_t)(e - s));
		if (!c) {
			add_field(p, s, 0, (size_t)(e - s));
			return p->nf;
		}
		add_field(p, s, 0, (size_t)(c - s));
		s = c + 1;
	}
}

/* The bytes of x equal to c: the high bit of each such byte set, no
 * other bit (exact, unlike the cheaper test for "any": a '-' after a
 * comma would look like one). */
static inline uint64_t
bytes_eq(uint64_t x, unsigned char c)
{
	const uint64_t lows = 0x7f7f7f7f7f7f7f7fULL;
	uint64_t v = x ^ (0x0101010101010101ULL * c);

	return ~(((v & lows) + lows) | v | lows);
}

/* Without a quote, RFC 4180 is a cut at every comma (no space or line
 * end is special to our libcsv, csv_start): split_raw's fields, in one
 * pass that looks for a quote too, eight bytes at a time where the
 * first byte in memory is a word's lowest.  -1 at a quote (a quoted
 * field, a SKU like 12" Pan): only then is libcsv needed. */
static long
split_plain(struct pocsv *p, const char *line, size_t len)
{
	size_t i = 0, start = 0, at;
	uint64_t x, m;

	p->nf = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	for (; len - i >= 8; i += 8) {
		memcpy(&x, line + i, 8);
		if (bytes_eq(x, '"'))
			return -1;
		for (m = bytes_eq(x, ','); m; m &= m - 1) {
			at = i + (size_t)(__builtin_ctzll(m) >> 3);
			add_field(p, line + start, 0, at - start);
			start = at + 1;
		}
	}
#endif
	for (; i < len; i++) {
		if (line[i] == ',') {
			add_field(p, line + start, 0, i - start);
			start = i + 1;
		} else if (line[i] == '"')
			return -1;
	}
	add_field(p, line + start, 0, len - start);
	return (long)p->nf;
}

static const char *
fptr(struct pocsv *p, size_t i)
{
	return p->f[i].s ? p->f[i].s : p->fbuf.s + p->f[i].off;
}

/* The columns we use, from the fields of the line; with recovery, the
 * columns after product-sku are counted from the end and product-sku is
 * everything between, commas included. */
static void
take_columns(struct pocsv *p, int recover)
{
	size_t extra = recover ? p->nf - (size_t)p->ncols : 0, n;
	const char *a, *b;
	char *d;
	int c, pos;

	if (!p->cols)
		p->cols = xmalloc(COLS_MAX);
	d = p->cols;
	for (c = 0; c < NCOLS; c++) {
		pos = p->col[c];
		a = fptr(p, (size_t)pos);
		n = p->f[pos].len;
		if (c == C_SKU && extra) {
			b = fptr(p, (size_t)pos + extra);
			n = (size_t)(b + p->f[pos + extra].len - a);
		} else if (pos > p->col[C_SKU] && extra) {
			a = fptr(p, (size_t)pos + extra);
			n = p->f[pos + extra].len;
		}
		memcpy(d, a, n);
		d[n] = 0;
		p->val[c].s = d;
		p->val[c].len = n;
		d += n + 1;
	}
}

/* ---------------------------------------------------------------- rows */

static int
id_ok(const struct col *b)
{
	const unsigned char *u = (const unsigned char *)b->s;
	size_t i;

	if (b->len < 1 || b->len > POCSV_ID_MAX)
		return 0;
	/* printable ASCII but '"' and ',' in one pass, as most ids are */
	for (i = 0; i < b->len; i++)
		if (u[i] < 0x20 || u[i] >= 0x7f || u[i] == '"' || u[i] == ',')
			break;
	return i == b->len || (is_text(b->s, b->len) &&
	    !memchr(b->s, '"', b->len) && !memchr(b->s, ',', b->len));
}

/* A NetSuite internal id: what the ids of a recovered row must be. */
static int
internal_id(const struct col *b)
{
	return b->len >= 1 && b->len <= POCSV_ID_MAX &&
	    strspn(b->s, "0123456789") == b->len;
}

/* The ids of a row: any text, or, read NetSuite's way with extra commas
 * (recovered), NetSuite internal ids. */
static int
ids_ok(const struct col *b, int recovered)
{
	return recovered ? internal_id(b) : id_ok(b);
}

/* A JSON number needs no leading zeros: "007" is not one. */
static int
json_number(const char *s, size_t n)
{
	return !(n > 1 && s[0] == '0' && s[1] != '.');
}

/*
 * p->reason = prefix, head, the value quoted, tail.  Plain strings, never a
 * format: the tail may hold arrival_date_format, which is config text.
 */
static void
why(struct pocsv *p, const char *prefix, const char *head,
    const struct col *v, const char *tail)
{
	char *q = v ? msg_quote(v->s, v->len) : NULL;
	size_t n;

	n = (size_t)snprintf(p->reason, sizeof p->reason, "%s%s%s%s", prefix,
	    head, q ? q : "", tail);
	if (n >= sizeof p->reason)	/* cannot happen (REASON_MAX): said if it does */
		memcpy(p->reason + sizeof p->reason - 4, "...", 4);
	free(q);
}

/* A recovered row's columns from both ends are NetSuite's: internal ids
 * and an empty or real arrival date. */
static int
ends_ok(struct pocsv *p)
{
	const struct col *v = p->val;
	char d[11];

	return internal_id(&v[C_PO]) && internal_id(&v[C_FAC]) &&
	    internal_id(&v[C_ITEM]) && (v[C_DATE].len == 0 ||
	    (v[C_DATE].len <= POCSV_DATE_MAX &&
	    date_read(&p->date, v[C_DATE].s, v[C_DATE].len, d) == 0));
}

/* Validate the columns in p->val; fill row; 0 when good.
 *
 * A recovered row is a guess at where the SKU ends.  The guess is only
 * as good as the columns around it, so they are held to what NetSuite's
 * export writes there (contracts.md section 1): PO, facility and line ids
 * that are NetSuite internal ids, digits only.  "6301,SKU-A,5,116,1,
 * 12/24/2026," would otherwise read as line "12/24/2026" of facility "1".
 * And when a recovered row does not validate, its ids are given out
 * (has_ids) only when the columns taken from the ends -- the three ids
 * and the arrival date -- all are what NetSuite writes there: then only
 * the SKU and quantity between them are in doubt, and the ids were read
 * from the same places as in a recovered row that validates.  Otherwise
 * (a comma in the date, a trailing comma) no reading of the row is known
 * to be right, and the ledger of PO lines must never hold a line NetSuite
 * does not have: a receipt listing it fails the whole PO (contracts.md
 * section 4). */
static int
validate(struct pocsv *p, struct pocsv_row *row, const char *prefix)
{
	static const char notid[] = " is not an id (1-64 bytes of text)";
	static const char notnum[] = " is not a NetSuite internal id (1-64 digits), "
	    "as the ids of a row read with commas in product-sku must be";
	const struct col *v = p->val;
	const char *tail = row->recovered ? notnum : notid;
	int bad = 0, rec = row->recovered, po_ok, item_ok;

	row->po = v[C_PO].s, row->polen = v[C_PO].len;
	row->sku = v[C_SKU].s, row->skulen = v[C_SKU].len;
	row->qty = v[C_QTY].s, row->qtylen = v[C_QTY].len;
	row->facility = v[C_FAC].s, row->faclen = v[C_FAC].len;
	row->item = v[C_ITEM].s, row->itemlen = v[C_ITEM].len;
	po_ok = ids_ok(&v[C_PO], rec);
	item_ok = ids_ok(&v[C_ITEM], rec);
	row->has_ids = po_ok && item_ok;

	if (dec_parse(v[C_QTY].s, v[C_QTY].len, &row->qtyval) == 0 &&
	    row->qtyval > 0) {
		row->has_qty = 1;
		if (!json_number(v[C_QTY].s, v[C_QTY].len)) {
			row->qty = dec_format(row->qtyval, p->qtybuf);
			row->qtylen = strlen(row->qty);
		}
	}

	if (!po_ok)
		why(p, prefix, "external-id ", &v[C_PO], tail), bad = 1;
	else if (!item_ok)
		why(p, prefix, "item-external-id ", &v[C_ITEM], tail), bad = 1;
	else if (!ids_ok(&v[C_FAC], rec))
		why(p, prefix, "external-facility-id ", &v[C_FAC], tail), bad = 1;
	else if (v[C_SKU].len == 0)
		why(p, prefix, "product-sku is empty", NULL, ""), bad = 1;
	else if (v[C_SKU].len > POCSV_SKU_MAX)
		why(p, prefix, "product-sku ", &v[C_SKU], " is longer than 255 bytes"), bad = 1;
	else if (!is_text(v[C_SKU].s, v[C_SKU].len))
		why(p, prefix, "product-sku ", &v[C_SKU], " is not UTF-8 text"), bad = 1;
	else if (!row->has_qty)
		why(p, prefix, "quantity ", &v[C_QTY], " is not a positive decimal with at most 8 places"), bad = 1;
	else if (v[C_DATE].len > 0 && (v[C_DATE].len > POCSV_DATE_MAX ||
	    date_read(&p->date, v[C_DATE].s, v[C_DATE].len, row->arrival) < 0)) {
		char f[100];
		snprintf(f, sizeof f, " is not a real date in the format %.60s", p->fmt);
		why(p, prefix, "arrival-date ", &v[C_DATE], f);
		bad = 1;
	}
	if (bad) {
		row->reason = p->reason;
		row->arrival[0] = 0;
		if (rec)
			row->has_ids = ends_ok(p);
	}
	return bad;
}

static void
parse_row(struct pocsv *p, const char *line, size_t len, struct pocsv_row *row)
{
	long nrfc;
	size_t nraw;
	char prefix[160];
	int cut;

	if ((cut = (nrfc = split_plain(p, line, len)) >= 0) == 0)
		nrfc = split_rfc(p, line, len);
	if (nrfc == p->ncols) {
		take_columns(p, 0);
		validate(p, row, "");
		return;
	}
	if (nrfc >= 0 && nrfc < p->ncols) {
		snprintf(p->reason, sizeof p->reason,
		    "%ld fields, the header has %d", nrfc, p->ncols);
		row->reason = p->reason;
		return;
	}
	nraw = cut ? p->nf : split_raw(p, line, len);
	if (nraw < (size_t)p->ncols) {
		snprintf(p->reason, sizeof p->reason,
		    "%zu fields (quoting not RFC 4180), the header has %d",
		    nraw, p->ncols);
		row->reason = p->reason;
		return;
	}
	row->recovered = nraw > (size_t)p->ncols;
	take_columns(p, 1);
	prefix[0] = 0;
	if (row->recovered)
		snprintf(prefix, sizeof prefix, "%zu fields, the header has %d; "
		    "taking the extra commas as part of product-sku, ", nraw, p->ncols);
	validate(p, row, prefix);
}

int
pocsv_next(struct pocsv *p, struct pocsv_row *row)
{
	const char *line;
	size_t len;
	int r, toolong;

	for (;;) {
		r = next_line(p, &line, &len, &toolong);
		if (r <= 0)
			return r;
		p->lineno++;
		memset(row, 0, sizeof *row);
		row->line = p->lineno;
		row->raw = line;
		row->rawlen = len;
		if (toolong) {
			snprintf(p->reason, sizeof p->reason,
			    "line longer than %d bytes", POCSV_LINE_MAX);
			row->reason = p->reason;
			return 1;
		}
		if (len > 0 && line[len - 1] == '\r')
			row->rawlen = --len;
		/* next_line keeps a byte for a CR: without one, a line of
		 * POCSV_LINE_MAX + 1 bytes is still too long */
		if (len > POCSV_LINE_MAX)
			toolong = 1, row->rawlen = POCSV_LINE_MAX;
		if (toolong) {
			snprintf(p->reason, sizeof p->reason,
			    "line longer than %d bytes", POCSV_LINE_MAX);
			row->reason = p->reason;
			return 1;
		}
		if (len == 0)
			continue;	/* blank lines, e.g. at the end */
		parse_row(p, line, len, row);
		return 1;
	}
}

/* ---------------------------------------------------------------- header */

static char *header_names(struct pocsv *p, const char *line, size_t len);

/* 0 when the header is good; POCSV_UNUSABLE with *why; -1 read error. */
static int
header(struct pocsv *p, char **why)
{
	const char *line;
	size_t len;
	int r, toolong;

	r = next_line(p, &line, &len, &toolong);
	if (r < 0)
		return -1;
	*why = NULL;
	if (r == 0)
		*why = xstrdup("empty file: no header line");
	else if (toolong || len - (len > 0 && line[len - 1] == '\r') > POCSV_LINE_MAX)
		*why = xasprintf("the header line is longer than %d bytes", POCSV_LINE_MAX);
	else
		*why = header_names(p, line, len);
	return *why ? POCSV_UNUSABLE : 0;
}

static char *
header_names(struct pocsv *p, const char *line, size_t len)
{
	const char *name;
	size_t n, i;
	int c;
	long nf;

	p->lineno = 1;
	if (len >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0)
		line += 3, len -= 3;
	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (memchr(line, 0, len))
		return xstrdup("not a text file: NUL bytes in the header line");
	for (i = 0; i < len; i += n)
		if (!(n = utf8_len((const unsigned char *)line + i, len - i)))
			return xstrdup("not a text file: the header line is not UTF-8");
	nf = split_rfc(p, line, len);
	if (nf < 0)
		return xstrdup("the header line is not CSV (bad quoting)");
	p->ncols = (int)nf;
	for (c = 0; c < NCOLS; c++)
		p->col[c] = -1;
	for (i = 0; i < p->nf; i++) {
		name = fptr(p, i);
		n = p->f[i].len;
		while (n && (*name == ' ' || *name == '\t'))
			name++, n--;
		while (n && (name[n - 1] == ' ' || name[n - 1] == '\t'))
			n--;
		for (c = 0; c < NCOLS; c++) {
			if (strlen(colname[c]) != n || strncasecmp(name, colname[c], n))
				continue;
			if (p->col[c] >= 0)
				return xasprintf("the header names column %s twice", colname[c]);
			p->col[c] = (int)i;
		}
	}
	for (c = 0; c < NCOLS; c++)
		if (p->col[c] < 0)
			return xasprintf("the header has no column %s (it needs "
			    "external-id, product-sku, quantity, external-facility-id, "
			    "item-external-id, arrival-date)", colname[c]);
	return NULL;
}

int
pocsv_open(struct pocsv **out, int fd, const char *date_format, char **whyp)
{
	int r;

	/* the header is read with the argument's fd, the rows with a copy */
	r = pocsv_open_reader(out, fd_read, &fd, date_format, whyp);
	if (*out) {
		(*out)->fd = fd;
		(*out)->rarg = &(*out)->fd;
	}
	return r;
}

int
pocsv_open_reader(struct pocsv **out, pocsv_read_fn *rd, void *arg,
    const char *date_format, char **whyp)
{
	struct pocsv *p;
	int r, e;

	*out = NULL;
	*whyp = NULL;
	p = xcalloc(1, sizeof *p);
	p->read = rd;
	p->rarg = arg;
	p->fmt = xstrdup(date_format ? date_format : "MM/DD/YYYY");
	date_compile(p->fmt, &p->date);
	p->rd = xmalloc(RDBUF);
	csv_start(p);
	r = header(p, whyp);
	if (r != 0) {
		e = errno;
		pocsv_close(p);
		errno = e;
		return r;
	}
	*out = p;
	return 0;
}

void
pocsv_close(struct pocsv *p)
{
	if (!p)
		return;
	csv_free(&p->csv);
	free(p->fmt);
	date_free(&p->date);
	free(p->rd);
	free(p->over);
	buf_free(&p->fbuf);
	free(p->f);
	free(p->cols);
	free(p);
}

/* ---------------------------------------------------------------- output */

/* s (n bytes) at d: the end of it. */
static char *
put(char *d, const char *s, size_t n)
{
	memcpy(d, s, n);
	return d + n;
}
#define PUTS(d, lit)	put((d), (lit), sizeof (lit) - 1)

/* A JSON string at d: the end of it. */
static char *
put_str(char *d, const char *s, size_t n)
{
	*d++ = '"';
	d = json_put(d, s, n);
	*d++ = '"';
	return d;
}

/* Written in place at the end of out: no formatted output, one pass over
 * each value (JSON_PUT_MAX bounds its escaping). */
void
pocsv_json(struct buf *out, const struct pocsv_row *row)
{
	size_t lpo = row->polen, lsku = row->skulen, lqty = row->qtylen,
	    lfac = row->faclen, litem = row->itemlen;
	char *t, *d;

	t = d = buf_room(out, 160 + lqty + JSON_PUT_MAX(lpo + lsku + lfac + litem + 10));
	d = PUTS(d, "{\"" POCSV_J_PO "\": ");
	d = put_str(d, row->po, lpo);
	d = PUTS(d, ", \"" POCSV_J_SKU "\": ");
	d = put_str(d, row->sku, lsku);
	/* The quantity as written: validate checked it is a JSON number. */
	d = PUTS(d, ", \"" POCSV_J_QTY "\": ");
	d = put(d, row->qty, lqty);
	d = PUTS(d, ", \"" POCSV_J_FACILITY "\": ");
	d = put_str(d, row->facility, lfac);
	d = PUTS(d, ", \"" POCSV_J_ITEM "\": ");
	d = put_str(d, row->item, litem);
	if (row->arrival[0]) {
		d = PUTS(d, ", \"" POCSV_J_ARRIVAL "\": ");
		d = put_str(d, row->arrival, 10);	/* MM/dd/yyyy */
	}
	*d++ = '}';
	buf_grew(out, (size_t)(d - t));
}

int
pocsv_poline(const struct pocsv_row *row, struct poline *rec)
{
	if (!row->has_ids)
		return 0;
	rec->po = row->po;
	rec->line = row->item;
	rec->has_qty = row->has_qty;
	rec->qty = row->has_qty ? row->qtyval : 0;
	return 1;
}

/* Each row made whole in memory, then one fwrite: libcsv's csv_fwrite
 * takes stdio's lock once a byte (a tenth of a run with many recovered
 * rows).  The line number is a bare number, every other field quoted.
 * 0, or -1 when the write failed (errno: stdio writes when its buffer is
 * full, so the row that fails is not always the one that did not fit). */
static int
side_row(FILE *fp, unsigned long line, const char *first, size_t lfirst,
    const char *mid, size_t lmid, const char *last, size_t llast)
{
	struct buf b = {0};
	int r;

	if (first) {
		csvio_add_field(&b, first, lfirst);
		buf_addc(&b, ',');
	}
	buf_addf(&b, "%lu,", line);
	csvio_add_field(&b, mid, lmid);
	buf_addc(&b, ',');
	csvio_add_field(&b, last, llast);
	buf_addc(&b, '\n');
	r = fwrite(b.s, 1, b.len, fp) == b.len ? 0 : -1;
	buf_free(&b);
	return r;
}

int
pocsv_reject_csv(FILE *fp, const struct pocsv_row *row)
{
	return side_row(fp, row->line, NULL, 0, row->reason, strlen(row->reason),
	    row->raw, row->rawlen);
}

int
pocsv_recovered_csv(FILE *fp, const char *file, const struct pocsv_row *row)
{
	return side_row(fp, row->line, file, strlen(file), row->raw, row->rawlen,
	    row->sku, strlen(row->sku));
}
