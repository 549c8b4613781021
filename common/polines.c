/*
 * polines -- see polines.h.
 *
 * Locking: every user opens SPOOL/state/polines and takes an flock on it:
 * writers and the compactor LOCK_EX, readers LOCK_SH (a reader must not
 * see a torn tail being cut and new records written over it).  The
 * compactor replaces the file by a rename, so whoever waited for the lock
 * may hold the old, unlinked file when it gets it: after each flock the
 * descriptor's inode is compared with the path's, and on a mismatch the
 * file is opened again.
 *
 * Memory: the file is read one line at a time through a fixed buffer;
 * only the records of the POs want() accepts are kept, one per
 * (PO, LINE), in a hash table.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msg.h"
#include "polines.h"
#include "spool.h"
#include "util.h"

#define LINE_MAX_BYTES	4096	/* a record longer than this is not ours */
#define WARN_MAX	10	/* malformed lines reported one by one */

static char *
ledger_path(const char *spooldir)
{
	return xasprintf("%s/state/polines", spooldir);
}

/* Open path and flock it, making sure the lock is on the file that is at
 * path now.  -1 with errno (ENOENT when !create and there is no file). */
static int
open_locked(const char *path, int flags, int how)
{
	struct stat a, b;
	int fd, tries;

	for (tries = 0; tries < 1000; tries++) {
		fd = open(path, flags | O_CLOEXEC, 0640);
		if (fd < 0)
			return -1;
		while (flock(fd, how) < 0) {
			if (errno != EINTR) {
				int e = errno;

				close(fd);
				errno = e;
				return -1;
			}
		}
		if (fstat(fd, &a) == 0 && stat(path, &b) == 0 &&
		    a.st_dev == b.st_dev && a.st_ino == b.st_ino)
			return fd;
		close(fd);	/* replaced meanwhile: try the new one */
	}
	errno = EAGAIN;
	return -1;
}

static void
escape(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			buf_adds(b, "\\\\");
		else if (*s == '\t')
			buf_adds(b, "\\t");
		else if (*s == '\n')
			buf_adds(b, "\\n");
		else
			buf_addc(b, *s);
	}
}

/* Unescape s[0..len) into a malloc'd string; NULL when malformed. */
static char *
unescape(const char *s, size_t len)
{
	char *out = xmalloc(len + 1), *o = out;
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] != '\\') {
			*o++ = s[i];
			continue;
		}
		if (++i == len)
			goto bad;
		if (s[i] == '\\')
			*o++ = '\\';
		else if (s[i] == 't')
			*o++ = '\t';
		else if (s[i] == 'n')
			*o++ = '\n';
		else
			goto bad;
	}
	*o = 0;
	return out;
bad:
	free(out);
	return NULL;
}

static void
add_record(struct buf *b, const struct poline *r)
{
	char q[DEC_BUFSZ];

	escape(b, r->po);
	buf_addc(b, '\t');
	escape(b, r->line);
	buf_addc(b, '\t');
	buf_adds(b, r->has_qty ? dec_format(r->qty, q) : "?");
	buf_addc(b, '\n');
}

/* Cut a torn last line (a writer died mid-record): we hold LOCK_EX.
 * Reads backwards from the end, a chunk at a time, to the last LF. */
static int
cut_torn_tail(int fd, const char *path, off_t *size)
{
	char chunk[4096];
	off_t pos = *size, start, end = 0;
	ssize_t r, i;

	while (pos > 0) {
		start = pos > (off_t)sizeof chunk ? pos - (off_t)sizeof chunk : 0;
		r = pread(fd, chunk, (size_t)(pos - start), start);
		if (r < 0 && errno == EINTR)
			continue;
		if (r != pos - start) {
			if (r >= 0)
				errno = EIO;	/* shrank under our lock? */
			msg_warnerr("cannot read %s", path);
			return -1;
		}
		for (i = r; i > 0; i--)
			if (chunk[i - 1] == '\n')
				break;
		if (i > 0) {
			end = start + i;
			break;
		}
		pos = start;
	}
	if (end == *size)
		return 0;
	msg_warn("%s: cutting a torn last record (%lld bytes) left by a crash",
	    path, (long long)(*size - end));
	if (ftruncate(fd, end) < 0) {
		msg_warnerr("cannot truncate %s", path);
		return -1;
	}
	*size = end;
	return 0;
}

int
polines_append(const char *spooldir, const struct poline *recs, size_t n)
{
	char *path = ledger_path(spooldir), *dir;
	struct buf b = {0};
	struct stat st;
	off_t size;
	size_t i;
	int fd, r = 0;

	for (i = 0; i < n; i++) {
		if (!recs[i].po || !*recs[i].po || !recs[i].line || !*recs[i].line) {
			msg_warn("internal error: empty PO or line id for %s", path);
			free(path);
			return EX_SOFTWARE;
		}
		add_record(&b, &recs[i]);
	}
	if (n == 0) {
		free(path);
		return 0;
	}
	fd = open_locked(path, O_RDWR | O_APPEND | O_CREAT, LOCK_EX);
	if (fd < 0) {
		msg_warnerr("cannot open %s", path);
		r = EX_IOERR;
		goto out;
	}
	if (fstat(fd, &st) < 0) {
		msg_warnerr("%s", path);
		r = EX_IOERR;
		goto out;
	}
	size = st.st_size;
	if (size > 0 && cut_torn_tail(fd, path, &size) < 0) {
		r = EX_IOERR;
		goto out;
	}
	if (write_all(fd, b.s, b.len) < 0) {
		msg_warnerr("cannot write %s", path);
		r = EX_IOERR;
	} else if (fsync(fd) < 0) {
		msg_warnerr("cannot fsync %s", path);
		r = EX_IOERR;
	} else if (st.st_size == 0) {
		/* Possibly a new file: make its name durable too. */
		dir = xasprintf("%s/state", spooldir);
		if (fsync_dir(dir) < 0) {
			msg_warnerr("cannot fsync %s", dir);
			r = EX_IOERR;
		}
		free(dir);
	}
out:
	if (fd >= 0)
		close(fd);
	buf_free(&b);
	free(path);
	return r;
}

/* The current records of the wanted POs, in first-seen order. */
struct ent {
	char *key;		/* "PO\tLINE" as escaped in the file */
	struct poline rec;	/* po, line point into malloc'd copies */
};
struct table {
	struct ent *v;
	size_t n, cap;
	uint32_t *idx;		/* open addressing: entry index + 1, 0 empty */
	size_t nidx;
};

static uint32_t *
slot(struct table *t, const char *key, size_t klen)
{
	uint64_t h = fnv64(FNV64_INIT, key, klen);
	size_t i = (size_t)h & (t->nidx - 1);

	while (t->idx[i]) {
		const char *k = t->v[t->idx[i] - 1].key;

		if (strlen(k) == klen && memcmp(k, key, klen) == 0)
			break;
		i = (i + 1) & (t->nidx - 1);
	}
	return &t->idx[i];
}

static void
grow(struct table *t)
{
	size_t i;

	free(t->idx);
	t->nidx = t->nidx ? t->nidx * 2 : 64;
	t->idx = xcalloc(t->nidx, sizeof *t->idx);
	for (i = 0; i < t->n; i++)
		*slot(t, t->v[i].key, strlen(t->v[i].key)) = (uint32_t)(i + 1);
}

static void
table_free(struct table *t)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		free(t->v[i].key);
		free((char *)t->v[i].rec.po);
		free((char *)t->v[i].rec.line);
	}
	free(t->v);
	free(t->idx);
	memset(t, 0, sizeof *t);
}

/* What next_line found. */
enum { LN_EOF, LN_OK, LN_TORN, LN_LONG, LN_NUL };

/*
 * Read one line into line[0..LINE_MAX_BYTES] (NUL-terminated, LF cut),
 * counting the bytes themselves: fgets() cannot tell a NUL byte from the
 * end of what it read, and a line cut at the buffer's size would leave
 * its tail to be read as a record of its own.  A line too long or holding
 * a NUL byte is read to its LF and refused whole; so is a last line
 * without its LF (a writer died mid-record).
 */
static int
next_line(FILE *fp, char *line, size_t *lenp)
{
	size_t len = 0;
	int c, nul = 0;

	while ((c = getc_unlocked(fp)) != EOF && c != '\n') {
		if (c == 0)
			nul = 1;
		if (len < LINE_MAX_BYTES)
			line[len] = (char)c;
		len++;
	}
	if (c == EOF && len == 0)
		return LN_EOF;
	if (c == EOF)
		return LN_TORN;
	if (len > LINE_MAX_BYTES)
		return LN_LONG;
	line[len] = 0;
	*lenp = len;
	return nul ? LN_NUL : LN_OK;
}

/*
 * Read the ledger from fd (which the caller has locked) into t, keeping
 * the POs want() accepts.  A line without its LF at the end of the file
 * is torn and ignored; a malformed line elsewhere is reported and
 * ignored (the rest of the ledger is still good).
 */
static int
read_ledger(int fd, const char *path, polines_want_fn *want, void *arg, struct table *t)
{
	char line[LINE_MAX_BYTES + 1], *t1, *t2, *po = NULL, *ln = NULL;
	char *lastpo = NULL;
	int lastwant = 0, nwarn = 0, dfd, k;
	unsigned long lineno = 0;
	size_t len, klen;
	FILE *fp;
	struct poline rec;
	uint32_t *s;

	if ((dfd = dup(fd)) < 0 || !(fp = fdopen(dfd, "r"))) {
		msg_warnerr("cannot read %s", path);
		if (dfd >= 0)
			close(dfd);
		return EX_IOERR;
	}
	while ((k = next_line(fp, line, &len)) != LN_EOF) {
		lineno++;
		if (k == LN_TORN)
			break;	/* ignored: the next writer cuts it */
		if (k == LN_LONG || k == LN_NUL) {
			if (nwarn++ < WARN_MAX)
				msg_warn("%s:%lu: %s, ignored", path, lineno,
				    k == LN_LONG ? "record longer than 4096 bytes" :
				    "record holding a NUL byte");
			continue;
		}
		t1 = strchr(line, '\t');
		t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
		if (!t1 || !t2 || strchr(t2 + 1, '\t') || t1 == line || t2 == t1 + 1)
			goto bad;
		if (strcmp(t2 + 1, "?") == 0) {
			rec.has_qty = 0;
			rec.qty = 0;
		} else if (dec_parse(t2 + 1, strlen(t2 + 1), &rec.qty) == 0) {
			rec.has_qty = 1;
		} else {
			goto bad;
		}
		if (!(po = unescape(line, (size_t)(t1 - line))) ||
		    !(ln = unescape(t1 + 1, (size_t)(t2 - t1 - 1))))
			goto bad;
		/* Lines of one PO usually come together: ask want() once. */
		if (!lastpo || strcmp(lastpo, po) != 0) {
			free(lastpo);
			lastpo = xstrdup(po);
			lastwant = !want || want(po, arg);
		}
		if (!lastwant) {
			free(po);
			free(ln);
			po = ln = NULL;
			continue;
		}
		klen = (size_t)(t2 - line);
		if ((t->n + 1) * 2 > t->nidx)
			grow(t);
		s = slot(t, line, klen);
		if (*s) {	/* last record wins */
			struct ent *e = &t->v[*s - 1];

			e->rec.has_qty = rec.has_qty;
			e->rec.qty = rec.qty;
			free(po);
			free(ln);
		} else {
			if (t->n == t->cap) {
				t->cap = t->cap ? t->cap * 2 : 64;
				t->v = xrealloc(t->v, t->cap * sizeof *t->v);
			}
			t->v[t->n].key = xstrndup(line, klen);
			rec.po = po;
			rec.line = ln;
			t->v[t->n].rec = rec;
			t->n++;
			*s = (uint32_t)t->n;
		}
		po = ln = NULL;
		continue;
bad:
		free(po);
		free(ln);
		po = ln = NULL;
		if (nwarn++ < WARN_MAX)
			msg_warn("%s:%lu: malformed record ignored", path, lineno);
	}
	if (nwarn > WARN_MAX)
		msg_warn("%s: %d malformed records in all", path, nwarn);
	free(lastpo);
	if (ferror(fp)) {
		msg_warnerr("cannot read %s", path);
		fclose(fp);
		return EX_IOERR;
	}
	fclose(fp);
	return 0;
}

int
polines_load(const char *spooldir, polines_want_fn *want, polines_fn *fn, void *arg)
{
	char *path = ledger_path(spooldir);
	struct table t = {0};
	size_t i;
	int fd, r;

	fd = open_locked(path, O_RDONLY, LOCK_SH);
	if (fd < 0) {
		r = 0;
		if (errno != ENOENT) {	/* no ledger yet: no lines seen */
			msg_warnerr("cannot open %s", path);
			r = EX_IOERR;
		}
		free(path);
		return r;
	}
	r = read_ledger(fd, path, want, arg, &t);
	close(fd);	/* the records are ours now: let writers go on */
	for (i = 0; !r && i < t.n; i++)
		r = fn(&t.v[i].rec, arg);
	table_free(&t);
	free(path);
	return r;
}

int
polines_compact(const char *spooldir, polines_want_fn *keep, void *arg)
{
	char *path = ledger_path(spooldir);
	struct table t = {0};
	struct buf b = {0};
	size_t i;
	int fd, r;

	fd = open_locked(path, O_RDONLY, LOCK_EX);
	if (fd < 0) {
		r = 0;
		if (errno != ENOENT) {
			msg_warnerr("cannot open %s", path);
			r = EX_IOERR;
		}
		free(path);
		return r;
	}
	r = read_ledger(fd, path, keep, arg, &t);
	if (!r) {
		for (i = 0; i < t.n; i++)
			add_record(&b, &t.v[i].rec);
		/* Replaced while we hold the lock on the old file: a writer
		 * waiting for it finds the new file when it gets the lock. */
		r = spool_write_atomic(path, b.s ? b.s : "", b.len);
	}
	close(fd);
	buf_free(&b);
	table_free(&t);
	free(path);
	return r;
}
