/*
 * receipt_state -- see receipt_state.h.  No I/O but the buffers it is
 * given, the state file read a piece at a time (rx_state_load,
 * rx_state_peek) and the temporary file it is formatted into
 * (rx_state_format_text); and the message naming a state that does not
 * parse.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "isotime.h"
#include "map.h"
#include "msg.h"
#include "receipt_ids.h"
#include "receipt_state.h"
#include "rfile.h"
#include "spill.h"
#include "tsv.h"
#include "util.h"
#include "version.h"

#define STATE_TAG	"posync receipt-export state "
#define STATE_V		1
#define STATE_MAGIC	VERSION_LINE(STATE_TAG, STATE_V)

/* The most fields of a record ("t PO LINE ORDERED RECEIVED"). */
#define STATE_FIELDS 5
/* rx_state_load reads pieces this large */
#define LOAD_PIECE	(64 * 1024)

struct stline {
	uint32_t off;		/* its line id's offset in stpo.ids */
	enum rx_qty ord;	/* RX_UNKNOWN or RX_KNOWN */
	dec_t ordered;
	dec_t received;
};

/* A PO's lines: 24 bytes each and their ids' text back to back in one
 * buffer, not an allocation per id (a state may hold 100,000 lines). */
struct stpo {			/* a value of rx_state.pos, held in place */
	int64_t closed;		/* ms when fully received, 0 while open */
	struct stline *lines;
	size_t n, cap;
	struct buf ids;		/* the lines' ids, each NUL-terminated */
};

static const char *
stline_id(const struct stpo *p, const struct stline *l)
{
	return p->ids.s + l->off;
}

struct rx_state {
	int64_t cursor;
	int64_t last;
	int64_t floor;		/* receipts dated before it never go out; 0: none */
	struct rx_ids *ledger;	/* receipt id, datetimeReceived (ms) */
	struct map *pos;	/* NetSuite PO id -> struct stpo */
	/* rx_state_peek: its ledger ids found in count_in are counted,
	 * nothing else is kept */
	const struct rx_state *count_in;
	size_t counted;
};

struct rx_state *
rx_state_new(void)
{
	struct rx_state *st = xcalloc(1, sizeof *st);

	st->ledger = rx_ids_new();
	st->pos = map_new(sizeof(struct stpo));
	return st;
}

static void
stpo_clear(struct stpo *p)
{
	free(p->lines);
	buf_free(&p->ids);
	memset(p, 0, sizeof *p);
}

void
rx_state_free(struct rx_state *st)
{
	struct stpo *p;
	size_t it = 0;

	if (!st)
		return;
	while ((p = map_next(st->pos, &it, NULL)) != NULL)
		stpo_clear(p);
	map_free(st->pos);
	rx_ids_free(st->ledger);
	free(st);
}

int64_t
rx_state_cursor(const struct rx_state *st)
{
	return st->cursor;
}

int64_t
rx_state_last(const struct rx_state *st)
{
	return st->last;
}

int64_t
rx_state_floor(const struct rx_state *st)
{
	return st->floor;
}

void
rx_state_set_cursor(struct rx_state *st, int64_t ms)
{
	st->cursor = ms;
}

void
rx_state_set_last(struct rx_state *st, int64_t ms)
{
	st->last = ms;
}

void
rx_state_set_floor(struct rx_state *st, int64_t ms)
{
	st->floor = ms;
}

int
rx_state_seen(const struct rx_state *st, const char *id)
{
	return rx_ids_get(st->ledger, id, NULL);
}

void
rx_state_ledger_put(struct rx_state *st, const char *id, int64_t ms)
{
	rx_ids_put(st->ledger, id, ms);
}

size_t
rx_state_ledger_new(const struct rx_state *st, const struct rx_state *old)
{
	const char *id;
	size_t it = 0, n = 0;

	while (rx_ids_next(st->ledger, &it, &id, NULL))
		if (!old || !rx_state_seen(old, id))
			n++;
	return n;
}

int
rx_state_peek(const char *path, size_t max, const struct rx_state *st,
    int64_t *last, size_t *fresh)
{
	struct rx_state *cur = rx_state_new();
	size_t n = rx_ids_count(st->ledger);
	int rc;

	cur->count_in = st;
	if ((rc = rx_state_load(cur, path, max)) == 0) {
		*last = cur->last;
		/* each id once in a state written by a run */
		*fresh = cur->counted < n ? n - cur->counted : 0;
	}
	rx_state_free(cur);
	return rc;
}

int
rx_state_has_po(const struct rx_state *st, const char *po)
{
	return map_get(st->pos, po) != NULL;
}

const char **
rx_state_pos(const struct rx_state *st, size_t *n)
{
	return map_sorted(st->pos, n);
}

static struct stline *
stline_find(const struct stpo *p, const char *line)
{
	size_t i;

	for (i = 0; p && i < p->n; i++)
		if (strcmp(stline_id(p, &p->lines[i]), line) == 0)
			return &p->lines[i];
	return NULL;
}

/* n bytes onto a PO's ids, its room grown in steps of IDS_STEP (a
 * struct buf starts at 64 bytes, most POs' ids take a dozen). */
#define IDS_STEP	16
static void
ids_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1 + b->len / 2 + IDS_STEP - 1) /
		    IDS_STEP * IDS_STEP;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = 0;
}

/* The line, added (ordered unknown, nothing received) when new. */
static struct stline *
stline_get(struct stpo *p, const char *line)
{
	struct stline *l = stline_find(p, line);

	if (l)
		return l;
	if (p->ids.len + strlen(line) >= UINT32_MAX)
		msg_die(EX_SOFTWARE, "receipt state: a PO's line ids too long");
	/* grown by half, not doubled, and the ids to fit: a state holds
	 * every open PO's lines (issue 12, P4) */
	if (p->n == p->cap) {
		p->cap += p->cap / 2 + 2;
		p->lines = xrealloc(p->lines, p->cap * sizeof *p->lines);
	}
	l = &p->lines[p->n++];
	memset(l, 0, sizeof *l);
	l->off = (uint32_t)p->ids.len;
	ids_add(&p->ids, line, strlen(line) + 1);
	l->ord = RX_UNKNOWN;
	return l;
}

void
rx_state_po_lines(const struct rx_state *st, const char *po,
    rx_state_line_fn *fn, void *arg)
{
	const struct stpo *p = map_get(st->pos, po);
	size_t i;

	for (i = 0; p && i < p->n; i++)
		fn(stline_id(p, &p->lines[i]), p->lines[i].ord,
		    p->lines[i].ordered, p->lines[i].received, arg);
}

int
rx_state_line(const struct rx_state *st, const char *po, const char *line,
    enum rx_qty *ord, dec_t *ordered, dec_t *received)
{
	const struct stline *l = stline_find(map_get(st->pos, po), line);

	if (!l)
		return -1;
	*ord = l->ord;
	*ordered = l->ordered;
	*received = l->received;
	return 0;
}

void
rx_state_set_line(struct rx_state *st, const char *po, const char *line,
    enum rx_qty ord, dec_t ordered, dec_t received)
{
	struct stline *l = stline_get(map_put(st->pos, po, NULL), line);

	l->ord = ord;
	l->ordered = ord == RX_KNOWN ? ordered : 0;
	l->received = received;
}

void
rx_state_close(struct rx_state *st, const char *po, int full, int64_t ms)
{
	struct stpo *p = full ? map_put(st->pos, po, NULL) : map_get(st->pos, po);

	if (!full) {
		if (p)
			p->closed = 0;
	} else if (!p->closed)
		p->closed = ms > 0 ? ms : 1;
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

static int
parse_qty(const char *s, dec_t *out)
{
	return dec_parse(s, strlen(s), out) == 0 ? 0 : -1;
}

/* A cursor, last or floor record: NULL, or what is wrong. */
static const char *
parse_time(struct rx_state *st, char **f)
{
	int64_t ms;

	if (parse_ms(f[1], &ms) != 0)
		return "malformed record";
	/* past year 9999 the next file name (4-digit year) or query
	 * cannot hold it */
	if (ms > ISOTIME_MS_MAX)
		return "a time past 9999-12-31T23:59:59.999Z";
	if (strcmp(f[0], "cursor") == 0)
		st->cursor = ms;
	else if (strcmp(f[0], "last") == 0)
		st->last = ms;
	else if (ms > 0 && !st->floor)
		st->floor = ms;	/* once: a second floor is damage */
	else
		return "malformed record";
	return NULL;
}

/* One record (line cut in place): NULL, or what is wrong. */
static const char *
parse_record(struct rx_state *st, char *line)
{
	char *f[STATE_FIELDS];
	int64_t ms;
	dec_t q = 0, r;
	int n = tsv_split(line, f, STATE_FIELDS);

	if (n == 2 && (strcmp(f[0], "cursor") == 0 ||
	    strcmp(f[0], "last") == 0 || strcmp(f[0], "floor") == 0))
		return parse_time(st, f);
	if (n == 3 && (strcmp(f[0], "r") == 0 || strcmp(f[0], "c") == 0) &&
	    tsv_unesc(f[1], f[1], strlen(f[1])) == 0 && *f[1] &&
	    parse_ms(f[2], &ms) == 0) {
		if (st->count_in)
			st->counted += *f[0] == 'r' &&
			    rx_state_seen(st->count_in, f[1]);
		else if (*f[0] == 'r')
			rx_state_ledger_put(st, f[1], ms);
		else
			((struct stpo *)map_put(st->pos, f[1], NULL))->closed = ms;
		return NULL;
	}
	if (n == 5 && strcmp(f[0], "t") == 0 &&
	    tsv_unesc(f[1], f[1], strlen(f[1])) == 0 &&
	    tsv_unesc(f[2], f[2], strlen(f[2])) == 0 && *f[1] && *f[2] &&
	    (strcmp(f[3], "?") == 0 || parse_qty(f[3], &q) == 0) &&
	    parse_qty(f[4], &r) == 0) {
		if (!st->count_in)
			rx_state_set_line(st, f[1], f[2],
			    strcmp(f[3], "?") == 0 ? RX_UNKNOWN : RX_KNOWN, q, r);
		return NULL;
	}
	return "malformed record";
}

/* A state's text read a piece at a time (rx_state_parse, rx_state_load):
 * one line at a time, never a copy of the whole. */
struct sparse {
	struct rx_state *st;
	const char *why;	/* what is wrong, at lineno */
	int lineno, k;		/* k: version_check's */
	struct buf lb;		/* the line being read */
	char *first;		/* line 1, when it is a later version's */
	size_t total;		/* bytes read so far */
};

/* One whole line (no newline) in sp->lb. */
static void
sparse_line(struct sparse *sp)
{
	char *line;

	sp->lineno++;
	buf_addc(&sp->lb, 0);
	line = sp->lb.s;
	if (memchr(line, 0, sp->lb.len - 1))
		sp->why = "a NUL byte";
	else if (sp->lineno > 1)
		sp->why = parse_record(sp->st, line);
	else if ((sp->k = version_check(line, strlen(line), STATE_TAG,
	    STATE_V, VERSION_EXACT, NULL)) == VERSION_LATER)
		sp->first = xstrdup(line);	/* a later posync's: not damaged */
	else if (sp->k != VERSION_SAME)
		sp->why = "not a receipt-export state file";
	buf_reset(&sp->lb);
}

/* n more bytes of the text; 1 once nothing more need be read. */
static int
sparse_feed(struct sparse *sp, const char *p, size_t n)
{
	const char *end = p + n, *nl;

	sp->total += n;
	for (; p < end && !sp->why && !sp->first; p = nl + 1) {
		if (!(nl = memchr(p, '\n', end - p))) {
			buf_add(&sp->lb, p, end - p);
			break;
		}
		buf_add(&sp->lb, p, nl - p);
		sparse_line(sp);
	}
	return sp->why || sp->first;
}

/* The text is all read: 0, or EX_CONFIG (said). */
static int
sparse_end(struct sparse *sp, const char *what)
{
	if (!sp->why && !sp->first && sp->lb.len) {
		sp->lineno++;
		sp->why = memchr(sp->lb.s, 0, sp->lb.len) ? "a NUL byte" :
		    "the last line has no newline (torn write?)";
	}
	buf_free(&sp->lb);
	if (sp->first) {
		version_later_said(what, NULL, sp->first, STATE_MAGIC, "nothing "
		    "exported, the file is left as it is");
		free(sp->first);
		return EX_CONFIG;
	}
	/* written atomically (rename), so never empty by a crash: damage */
	if (!sp->why && sp->lineno == 0)
		sp->why = "empty (a state is never written empty)";
	if (sp->why) {
		/* EX_CONFIG, not EX_DATAERR: a run must not go on without
		 * its state, or it exports every receipt again */
		msg_warn("%s:%d: %s; nothing exported, the file is left as it "
		    "is: repair it by hand after checking which receipts were "
		    "exported (receipt-export(1), CAVEATS)", what, sp->lineno,
		    sp->why);
		return EX_CONFIG;
	}
	return 0;
}

int
rx_state_parse(struct rx_state *st, const char *data, size_t len,
    const char *what)
{
	struct sparse sp = { st, NULL, 0, VERSION_SAME, { 0 }, NULL, 0 };

	sparse_feed(&sp, data, len);
	return sparse_end(&sp, what);
}

int
rx_state_load(struct rx_state *st, const char *path, size_t max)
{
	struct sparse sp = { st, NULL, 0, VERSION_SAME, { 0 }, NULL, 0 };
	struct stat sb;
	char *p;
	ssize_t r;
	int fd, e;

	if ((fd = open_regular(path, O_RDONLY)) < 0)
		return -1;
	/* refused before any of it is parsed (it may still grow: max is
	 * checked as it is read too) */
	if (fstat(fd, &sb) == 0 && (uintmax_t)sb.st_size > max) {
		close(fd);
		errno = EFBIG;
		return -1;
	}
	p = xmalloc(LOAD_PIECE);
	for (;;) {
		if ((r = read(fd, p, LOAD_PIECE)) < 0 && errno == EINTR)
			continue;
		if (r < 0 || (r > 0 && sp.total + (size_t)r > max)) {
			e = r < 0 ? errno : EFBIG;
			close(fd);
			free(p);
			buf_free(&sp.lb);
			free(sp.first);
			errno = e;
			return -1;
		}
		if (r == 0 || sparse_feed(&sp, p, (size_t)r))
			break;
	}
	close(fd);
	free(p);
	return sparse_end(&sp, path);
}

static void
format_po(const char *po, const struct stpo *p, struct buf *out)
{
	char q[DEC_BUFSZ], r[DEC_BUFSZ];
	size_t j;

	if (p->closed) {
		buf_adds(out, "c\t");
		tsv_esc(out, po);
		buf_addf(out, "\t%" PRId64 "\n", p->closed);
	}
	for (j = 0; j < p->n; j++) {
		buf_adds(out, "t\t");
		tsv_esc(out, po);
		buf_addc(out, '\t');
		tsv_esc(out, stline_id(p, &p->lines[j]));
		buf_addf(out, "\t%s\t%s\n", p->lines[j].ord == RX_KNOWN ?
		    dec_format(p->lines[j].ordered, q) : "?",
		    dec_format(p->lines[j].received, r));
	}
}

static void
format_ledger(const char *id, int64_t ms, void *arg)
{
	struct buf *out = arg;

	buf_adds(out, "r\t");
	tsv_esc(out, id);
	buf_addf(out, "\t%" PRId64 "\n", ms);
}

/* The state's text into b, handed to t past FLUSH_AT bytes (t NULL:
 * all of it stays in b).  One walk for rx_state_format and
 * rx_state_format_text. */
#define FLUSH_AT	(64 * 1024)
struct fmt {
	struct buf b;
	struct spill_text *t;
	int rc;
};

static void
fmt_out(struct fmt *f)
{
	if (f->t && f->b.len >= FLUSH_AT && f->rc == 0) {
		f->rc = spill_text_add(f->t, f->b.s, f->b.len);
		buf_reset(&f->b);
	}
}

static void
fmt_ledger(const char *id, int64_t ms, void *arg)
{
	struct fmt *f = arg;

	format_ledger(id, ms, &f->b);
	fmt_out(f);
}

static void
fmt_state(const struct rx_state *st, struct fmt *f)
{
	const char **v;
	size_t n, i;

	buf_addf(&f->b, "%s\ncursor\t%" PRId64 "\nlast\t%" PRId64 "\n",
	    STATE_MAGIC, st->cursor, st->last);
	if (st->floor)
		buf_addf(&f->b, "floor\t%" PRId64 "\n", st->floor);
	rx_ids_sorted(st->ledger, fmt_ledger, f);
	v = map_sorted(st->pos, &n);
	for (i = 0; i < n; i++) {
		format_po(v[i], map_get(st->pos, v[i]), &f->b);
		fmt_out(f);
	}
	free(v);
}

int
rx_state_format_text(const struct rx_state *st, struct spill_text *t)
{
	struct fmt f = { { 0 }, t, 0 };

	fmt_state(st, &f);
	if (f.rc == 0)
		f.rc = spill_text_add(t, f.b.s, f.b.len);
	if (f.rc == 0)
		f.rc = spill_text_flush(t);
	buf_free(&f.b);
	return f.rc;
}

void
rx_state_format(const struct rx_state *st, struct buf *out)
{
	struct fmt f = { *out, NULL, 0 };

	fmt_state(st, &f);
	*out = f.b;
}

void
rx_state_prune(struct rx_state *st, int64_t overlap_ms, int64_t now,
    int64_t keep_ms)
{
	struct stpo *p;
	const char *key;
	size_t it = 0;

	rx_ids_drop_before(st->ledger, st->cursor - overlap_ms);
	/* deleting during the walk is allowed (map.h) */
	while ((p = map_next(st->pos, &it, &key)) != NULL)
		if (p->closed && p->closed < now - keep_ms) {
			stpo_clear(p);
			map_del(st->pos, key);
		}
}

int
rx_state_next_name(struct rx_state *st, int64_t now, const char *prefix,
    char *buf, size_t size)
{
	int64_t ms = now > st->last ? now : st->last + 1;

	if (ms > ISOTIME_MS_MAX) {	/* no name can hold it (rfile.h) */
		msg_warn("the next receipt file's time would be past "
		    "9999-12-31T23:59:59.999Z (this host's clock, or the state's "
		    "last name, is wrong): nothing is written");
		return RX_NAME_NO_TIME;
	}
	if (rfile_name(buf, size, prefix, ms) < 0)
		return -1;
	st->last = ms;
	return 0;
}
