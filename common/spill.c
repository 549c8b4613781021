/*
 * spill -- see spill.h.  A record on disk: struct head, then its strings
 * back to back (no NUL); a length of NO_STR is an absent string.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "spill.h"
#include "util.h"

#define NO_STR		UINT32_MAX
#define WBUF		(64 * 1024)	/* written in pieces this large */
#define RBUF		(64 * 1024)	/* read in pieces this large */

struct head {
	int64_t a, b;
	uint32_t len[SPILL_STRS];
	int32_t kind;
	uint32_t pad;
};

/* A record's place: its rank above its offset, so that the entries sort
 * by rank, then by the order appended; 8 bytes a record. */
#define OFF_BITS	40
#define OFF_MAX		((UINT64_C(1) << OFF_BITS) - 1)
#define RANK_MAX	((UINT32_C(1) << (64 - OFF_BITS)) - 1)
#define ENT(rank, off)	((uint64_t)(rank) << OFF_BITS | (off))
#define ENT_OFF(e)	((e) & OFF_MAX)
#define ENT_RANK(e)	((uint32_t)((e) >> OFF_BITS))

struct spill {
	char *dir;
	int fd;
	uint64_t size;		/* bytes in the file and in w */
	struct buf w;		/* appended, not written yet */
	uint64_t *v;		/* ENT(rank, offset) a record */
	size_t n, cap;
	struct buf r;		/* the record read last, NUL after each string */
};

int
spill_tmpfile(const char *dir)
{
	char *t;
	int fd;

	/* a spool not made yet: nothing may be created in it */
	if (access(dir, F_OK) < 0 && errno == ENOENT)
		dir = spill_dry_dir();
#ifdef O_TMPFILE
	if ((fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600)) >= 0)
		return fd;
#endif
	t = xasprintf("%s/spill.XXXXXX", dir);
	if ((fd = mkostemp(t, O_CLOEXEC)) >= 0)
		unlink(t);
	else
		msg_warnerr("cannot create a temporary file in %s", dir);
	free(t);
	return fd;
}

const char *
spill_dry_dir(void)
{
	const char *tmp = getenv("TMPDIR");

	return tmp && *tmp == '/' && access(tmp, W_OK | X_OK) == 0 ? tmp :
	    "/tmp";
}

struct spill *
spill_new(const char *dir)
{
	struct spill *s = xcalloc(1, sizeof *s);

	s->dir = xstrdup(dir);
	s->fd = -1;
	return s;
}

void
spill_free(struct spill *s)
{
	if (!s)
		return;
	if (s->fd >= 0)
		close(s->fd);
	buf_free(&s->w);
	buf_free(&s->r);
	free(s->v);
	free(s->dir);
	free(s);
}

static int
io_failed(const char *dir)
{
	msg_warnerr("cannot use a temporary file in %s", dir);
	return EX_IOERR;
}

/* What b holds, written to *fd (the temporary file made in dir at the
 * first byte): 0 or EX_IOERR (said).  Records and text alike. */
static int
flush_to(int *fd, const char *dir, struct buf *b)
{
	if (!b->len)
		return 0;
	if (*fd < 0 && (*fd = spill_tmpfile(dir)) < 0)
		return EX_IOERR;
	if (write_all(*fd, b->s, b->len) < 0)
		return io_failed(dir);
	buf_reset(b);
	return 0;
}

static int
spill_flush(struct spill *s)
{
	return flush_to(&s->fd, s->dir, &s->w);
}

int
spill_add(struct spill *s, const struct spill_rec *r, uint32_t rank)
{
	struct head h;
	size_t i, len = sizeof h;

	memset(&h, 0, sizeof h);
	h.a = r->a;
	h.b = r->b;
	h.kind = r->kind;
	for (i = 0; i < SPILL_STRS; i++) {
		h.len[i] = r->s[i] ? (uint32_t)strlen(r->s[i]) : NO_STR;
		if (r->s[i])
			len += h.len[i];
	}
	if (rank > RANK_MAX || s->size + len > OFF_MAX) {
		/* 16 million groups, a terabyte: never a run's */
		errno = EFBIG;
		return io_failed(s->dir);
	}
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 1024;
		s->v = xrealloc(s->v, s->cap * sizeof *s->v);
	}
	s->v[s->n++] = ENT(rank, s->size);
	buf_add(&s->w, &h, sizeof h);
	for (i = 0; i < SPILL_STRS; i++)
		if (r->s[i])
			buf_add(&s->w, r->s[i], h.len[i]);
	s->size += len;
	return s->w.len >= WBUF ? spill_flush(s) : 0;
}

size_t
spill_count(const struct spill *s)
{
	return s->n;
}

int
spill_set_rank(struct spill *s, size_t i, uint32_t rank)
{
	if (rank > RANK_MAX) {
		errno = EFBIG;
		return io_failed(s->dir);
	}
	s->v[i] = ENT(rank, ENT_OFF(s->v[i]));
	return 0;
}

static int
entcmp(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return (a > b) - (a < b);
}

void
spill_sort(struct spill *s)
{
	if (s->n > 1)
		qsort(s->v, s->n, sizeof *s->v, entcmp);
}

uint32_t
spill_peek_rank(const struct spill *s, size_t pos)
{
	return pos < s->n ? ENT_RANK(s->v[pos]) : UINT32_MAX;
}

/* len bytes at off into p: 0 or EX_IOERR (said; a short read too: the
 * file is the program's own, shorter than it wrote). */
static int
read_fd_at(int fd, const char *dir, void *p, size_t len, uint64_t off)
{
	ssize_t k;

	while (len > 0) {
		k = pread(fd, p, len, (off_t)off);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			if (k == 0)
				errno = EIO;
			return io_failed(dir);
		}
		p = (char *)p + k;
		len -= (size_t)k;
		off += (uint64_t)k;
	}
	return 0;
}

static int
read_at(struct spill *s, void *p, size_t len, uint64_t off)
{
	return read_fd_at(s->fd, s->dir, p, len, off);
}

/* The record at off into r (its strings in s->r). */
static int
read_rec(struct spill *s, uint64_t off, struct spill_rec *r)
{
	struct head h;
	size_t i, len = 0, at;
	char *p;
	int rc;

	if ((rc = read_at(s, &h, sizeof h, off)) != 0)
		return rc;
	for (i = 0; i < SPILL_STRS; i++)
		if (h.len[i] != NO_STR)
			len += h.len[i];
	buf_reset(&s->r);
	p = buf_room(&s->r, len + SPILL_STRS);
	if (len && (rc = read_at(s, p, len, off + sizeof h)) != 0)
		return rc;
	/* each string NUL-ended in place: moved up from the back */
	at = len + SPILL_STRS;
	for (i = SPILL_STRS; i-- > 0; ) {
		if (h.len[i] == NO_STR) {
			r->s[i] = NULL;
			continue;
		}
		len -= h.len[i];
		at -= h.len[i] + 1;
		memmove(p + at, p + len, h.len[i]);
		p[at + h.len[i]] = 0;
		r->s[i] = p + at;
	}
	r->kind = h.kind;
	r->a = h.a;
	r->b = h.b;
	return 0;
}

int
spill_each(struct spill *s, spill_fn *fn, void *arg)
{
	struct spill_rec r;
	size_t i;
	int rc;

	if ((rc = spill_flush(s)) != 0)
		return rc;
	for (i = 0; i < s->n; i++) {
		/* appended in order: v[i] is record i until spill_sort */
		if ((rc = read_rec(s, ENT_OFF(s->v[i]), &r)) != 0 ||
		    (rc = fn(i, &r, arg)) != 0)
			return rc;
	}
	return 0;
}

int
spill_next(struct spill *s, size_t *pos, struct spill_rec *r, uint32_t *rank)
{
	int rc;

	if (*pos >= s->n)
		return 0;
	if ((rc = spill_flush(s)) != 0 ||
	    (rc = read_rec(s, ENT_OFF(s->v[*pos]), r)) != 0)
		return rc;
	*rank = ENT_RANK(s->v[(*pos)++]);
	return 1;
}

/* ---------------------------------------------------------------- text */

void
spill_text_init(struct spill_text *t, const char *dir)
{
	memset(t, 0, sizeof *t);
	t->dir = dir;
	t->fd = -1;
}

int
spill_text_flush(struct spill_text *t)
{
	return flush_to(&t->fd, t->dir, &t->b);
}

int
spill_text_add(struct spill_text *t, const void *p, size_t n)
{
	buf_add(&t->b, p, n);
	t->len += n;
	return t->b.len >= WBUF ? spill_text_flush(t) : 0;
}

/* The text, piece by piece, to fn. */
static int
text_each(struct spill_text *t, int (*fn)(const char *, size_t, void *),
    void *arg)
{
	char *p;
	size_t done = 0, k;
	int rc;

	if ((rc = spill_text_flush(t)) != 0)
		return rc;
	if (!t->len)
		return 0;
	p = xmalloc(RBUF);
	for (rc = 0; done < t->len && rc == 0; done += k) {
		k = t->len - done < RBUF ? t->len - done : RBUF;
		if ((rc = read_fd_at(t->fd, t->dir, p, k, done)) == 0)
			rc = fn(p, k, arg);
	}
	free(p);
	return rc;
}

struct copy {
	int fd;
	const char *what;
};

static int
copy_piece(const char *p, size_t n, void *arg)
{
	struct copy *c = arg;

	if (write_all(c->fd, p, n) < 0) {
		msg_warnerr("cannot write %s", c->what);
		return EX_IOERR;
	}
	return 0;
}

int
spill_text_copy(struct spill_text *t, int fd, const char *what)
{
	struct copy c = { fd, what };

	return text_each(t, copy_piece, &c);
}

static int
put_piece(const char *p, size_t n, void *arg)
{
	fwrite(p, 1, n, arg);	/* its error stays in the stream */
	return 0;
}

int
spill_text_put(struct spill_text *t, FILE *fp)
{
	return text_each(t, put_piece, fp);
}

static int
read_piece(const char *p, size_t n, void *arg)
{
	buf_add(arg, p, n);
	return 0;
}

int
spill_text_read(struct spill_text *t, struct buf *out)
{
	return text_each(t, read_piece, out);
}

void
spill_text_free(struct spill_text *t)
{
	if (t->fd >= 0)
		close(t->fd);
	buf_free(&t->b);
	t->fd = -1;
	t->len = 0;
}
