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
 * Memory: the file is read one line at a time through a fixed buffer.
 * polines_load keeps only the records of the POs want() accepts, one per
 * (PO, LINE), in a hash table (receipt-export wants only the POs of the
 * run's receipts).  polines_compact keeps nothing per record: it is an
 * external merge sort (below, "Compaction").
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

#include "map.h"
#include "msg.h"
#include "polines.h"
#include "spill.h"
#include "spool.h"
#include "tsv.h"
#include "util.h"
#include "version.h"

#define LINE_MAX_BYTES	4096	/* a record longer than this is not ours */
#define SAY_MAX		10	/* dropped POs named without -v */
#define DAY		86400
#define VERSION		2	/* of the ledger's form: its header says it */
#define VERSION_TAG	"polines "
#define VERSION_HEAD	VERSION_LINE(VERSION_TAG, VERSION)	/* its field */

/* What a line of the ledger is (polines.h). */
enum { R_BAD, R_LINE, R_SEEN, R_HEAD };

static char *
ledger_path(const char *spooldir)
{
	return spool_state_path(spooldir, "polines");
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

/* SECS: 1 to 18 digits. */
static int
parse_secs(const char *s, size_t len, int64_t *v)
{
	size_t i;

	if (len == 0 || len > 18)
		return -1;
	for (*v = 0, i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

/* One line of the ledger, as found: the rules of polines.h in one place. */
struct parsed {
	int kind;		/* R_* */
	size_t polen;		/* the escaped PO: line[0..polen) */
	size_t klen;		/* the key: line[0..klen), "PO\tLINE" or "PO\t" */
	int has_qty;		/* R_LINE */
	dec_t qty;
	int64_t secs;		/* R_SEEN, R_HEAD */
	int64_t version;	/* R_HEAD: 1 without its version field */
};

/* The header's "SECS" or "SECS<TAB>polines N" (s[0..len)): 0, or -1. */
static int
parse_head(const char *s, size_t len, struct parsed *p)
{
	const char *t = memchr(s, '\t', len), *end = s + len;
	enum version_is k;
	long v;

	p->version = 1;
	if (!t)
		return parse_secs(s, len, &p->secs);
	/* exact: the ledger is posync's own, read strictly */
	k = version_check(t + 1, (size_t)(end - t - 1), VERSION_TAG, VERSION,
	    VERSION_EXACT, &v);
	if (k != VERSION_SAME && k != VERSION_LATER)
		return -1;
	p->version = v;
	return parse_secs(s, (size_t)(t - s), &p->secs);
}

static int
parse_line(const char *line, size_t len, struct parsed *p)
{
	const char *t1, *t2, *v, *end = line + len;

	p->kind = R_BAD;
	if (!(t1 = memchr(line, '\t', len)) ||
	    !(t2 = memchr(t1 + 1, '\t', (size_t)(end - t1 - 1))))
		return R_BAD;
	v = t2 + 1;
	p->polen = (size_t)(t1 - line);
	p->klen = (size_t)(t2 - line);
	if (t1 == line) {	/* the header: no PO, no line */
		if (t2 == t1 + 1 && parse_head(v, (size_t)(end - v), p) == 0)
			p->kind = R_HEAD;
		return p->kind;
	}
	if (memchr(v, '\t', (size_t)(end - v)))
		return R_BAD;
	if (tsv_unesc(NULL, line, p->polen) < 0)
		return R_BAD;
	if (t2 == t1 + 1) {	/* no line: the PO was seen at SECS */
		if (parse_secs(v, (size_t)(end - v), &p->secs) == 0)
			p->kind = R_SEEN;
		return p->kind;
	}
	if (tsv_unesc(NULL, t1 + 1, (size_t)(t2 - t1 - 1)) < 0)
		return R_BAD;
	if (end - v == 1 && *v == '?') {
		p->has_qty = 0;
		p->qty = 0;
	} else if (dec_parse(v, (size_t)(end - v), &p->qty) == 0) {
		p->has_qty = 1;
	} else {
		return R_BAD;
	}
	return p->kind = R_LINE;
}

/* "PO\tLINE\tQTY\n", written in place at the end of t's text (po-export-parse
 * adds one a row); a PO not the same as the record's before is noted,
 * for its seen record (a CSV's rows come PO by PO). */
int
polines_text_put(struct polines_text *t, const struct poline *r, size_t lpo,
    size_t lline)
{
	char *s, *d;
	size_t n;

	if (!lpo || !lline)
		return -1;
	s = d = buf_room(&t->text, TSV_PUT_MAX(lpo + lline) + DEC_BUFSZ + 3);
	d = tsv_put(d, r->po, lpo);
	n = (size_t)(d - s);	/* escaped, as the POs noted are compared */
	if (!t->npo || t->lastlen != n ||
	    memcmp(t->text.s + t->po[t->npo - 1], s, n) != 0) {
		if (t->npo == t->pocap) {
			t->pocap = t->pocap ? 2 * t->pocap : 256;
			t->po = xrealloc(t->po, t->pocap * sizeof *t->po);
		}
		t->po[t->npo++] = t->text.len;
		t->lastlen = n;
	}
	*d++ = '\t';
	d = tsv_put(d, r->line, lline);
	*d++ = '\t';
	if (r->has_qty)
		d += strlen(dec_format(r->qty, d));
	else
		*d++ = '?';
	*d++ = '\n';
	buf_grew(&t->text, (size_t)(d - s));
	t->n++;
	return 0;
}

/* The raw byte an escaped PO has at c (c[-1] was a backslash when esc;
 * its TAB, the end, is 0): tsv.h's escapes keep the order of raw bytes
 * everywhere but inside an escape. */
static int
po_raw(const unsigned char *c, int esc)
{
	if (!esc && *c == '\\')
		esc = 1, c++;
	if (esc)
		return *c == 't' ? '\t' : *c == 'n' ? '\n' : *c;
	return *c == '\t' ? 0 : *c;
}

/* A record's PO, escaped, and its length (to its TAB). */
struct po {
	const char *s;
	size_t n;
};

/* Two records' POs in the order of their own bytes (strcmp's).  Without
 * a backslash before they differ, their escaped bytes compare as the raw
 * ones do (memcmp); else they are walked to the first byte that differs,
 * and only there read as raw bytes. */
static int
po_cmp(const void *a, const void *b)
{
	const struct po *p = a, *q = b;
	const unsigned char *x = (const unsigned char *)p->s;
	const unsigned char *y = (const unsigned char *)q->s;
	size_t i, m = p->n < q->n ? p->n : q->n;
	int r = memcmp(x, y, m), esc = 0;	/* x[i], y[i] end an escape */

	if (r == 0)
		return p->n < q->n ? -1 : p->n > q->n;
	if (!memchr(x, '\\', m) && !memchr(y, '\\', m))
		return r;
	for (i = 0; x[i] == y[i]; i++)
		esc = !esc && x[i] == '\\';
	return po_raw(x + i, esc) - po_raw(y + i, esc);
}

/* "PO\t\tSECS" once for each PO of the text: seen in a CSV at seen. */
void
polines_text_seal(struct polines_text *t, time_t seen)
{
	struct po *v;
	struct buf b = {0};
	char secs[32];
	size_t i;
	int sorted;

	if (!t->n)
		return;
	v = xcalloc(t->npo, sizeof *v);
	for (i = 0, sorted = 1; i < t->npo; i++) {
		v[i].s = t->text.s + t->po[i];
		v[i].n = (size_t)(strchr(v[i].s, '\t') - v[i].s);
		if (i > 0 && sorted && po_cmp(&v[i - 1], &v[i]) > 0)
			sorted = 0;
	}
	if (!sorted)	/* NetSuite's exports come sorted by PO, as a rule */
		qsort(v, t->npo, sizeof *v, po_cmp);
	snprintf(secs, sizeof secs, "\t\t%lld\n",
	    (long long)(seen > 0 ? seen : time(NULL)));
	/* into b first: v points into t->text, which growing would move */
	for (i = 0; i < t->npo; i++) {
		if (i > 0 && po_cmp(&v[i - 1], &v[i]) == 0)
			continue;
		buf_add(&b, v[i].s, v[i].n);
		buf_adds(&b, secs);
	}
	buf_add(&t->text, b.s, b.len);
	buf_free(&b);
	free(v);
	t->npo = 0;
}

void
polines_text_reset(struct polines_text *t)
{
	buf_reset(&t->text);
	t->n = t->npo = 0;
}

void
polines_text_free(struct polines_text *t)
{
	buf_free(&t->text);
	free(t->po);
	memset(t, 0, sizeof *t);
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

static int append(const char *spooldir, const struct poline *recs, size_t n,
    time_t seen, int sync);
static int append_text(const char *spooldir, const struct polines_text *t,
    int sync);

int
polines_append(const char *spooldir, const struct poline *recs, size_t n)
{
	return polines_append_at(spooldir, recs, n, 0);
}

int
polines_append_at(const char *spooldir, const struct poline *recs, size_t n,
    time_t seen)
{
	return append(spooldir, recs, n, seen, 1);
}

int
polines_append_unsynced(const char *spooldir, const struct poline *recs,
    size_t n, time_t seen)
{
	return append(spooldir, recs, n, seen, 0);
}

/* The ledger and its folder (it may be new) to disk. */
int
polines_sync(const char *spooldir)
{
	char *path = ledger_path(spooldir), *dir = spool_state_path(spooldir, NULL);
	int fd, r = 0;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 && errno != ENOENT) {
		msg_warnerr("cannot open %s", path);
		r = EX_IOERR;
	} else if (fd >= 0 && fsync(fd) < 0) {
		msg_warnerr("cannot fsync %s", path);
		r = EX_IOERR;
	} else if (fsync_dir(dir) < 0) {
		msg_warnerr("cannot fsync %s", dir);
		r = EX_IOERR;
	}
	if (fd >= 0)
		close(fd);
	free(dir);
	free(path);
	return r;
}

/* n records and their POs' seen records, appended (sync: durably). */
static int
append(const char *spooldir, const struct poline *recs, size_t n,
    time_t seen, int sync)
{
	struct polines_text t = {0};
	size_t i;
	int r = 0;

	for (i = 0; i < n && r == 0; i++)
		if (!recs[i].po || !recs[i].line ||
		    polines_text_put(&t, &recs[i], strlen(recs[i].po),
		    strlen(recs[i].line)) < 0) {
			msg_warn("internal error: empty PO or line id for the "
			    "ledger in %s", spooldir);
			r = EX_SOFTWARE;
		}
	if (r == 0) {
		polines_text_seal(&t, seen);
		r = append_text(spooldir, &t, sync);
	}
	polines_text_free(&t);
	return r;
}

int
polines_append_text(const char *spooldir, const struct polines_text *t)
{
	return append_text(spooldir, t, 0);
}

/* t's sealed text at the ledger's end (a torn tail cut first); sync:
 * durably. */
static int
append_text(const char *spooldir, const struct polines_text *t, int sync)
{
	char *path, *dir;
	struct stat st;
	off_t size;
	int fd, r = 0;

	if (!t->text.len)
		return 0;
	path = ledger_path(spooldir);
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
	if (write_all(fd, t->text.s, t->text.len) < 0) {
		msg_warnerr("cannot write %s", path);
		r = EX_IOERR;
	} else if (!sync) {
		;	/* polines_sync's */
	} else if (fsync(fd) < 0) {
		msg_warnerr("cannot fsync %s", path);
		r = EX_IOERR;
	} else if (st.st_size == 0) {
		/* Possibly a new file: make its name durable too. */
		dir = spool_state_path(spooldir, NULL);
		if (fsync_dir(dir) < 0) {
			msg_warnerr("cannot fsync %s", dir);
			r = EX_IOERR;
		}
		free(dir);
	}
out:
	if (fd >= 0)
		close(fd);
	free(path);
	return r;
}

/* The current records of the wanted POs, keyed "PO\tLINE" as escaped in
 * the file: map.h walks them in first-put order.  po and line point into
 * malloc'd copies, freed by table_free. */
static struct map *
table_new(void)
{
	return map_new(sizeof(struct poline));
}

static void
table_free(struct map *t)
{
	struct poline *rec;
	size_t it = 0;

	while ((rec = map_next(t, &it, NULL)) != NULL) {
		free((char *)rec->po);
		free((char *)rec->line);
	}
	map_free(t);
}

/* Record line (parsed as p) in t: the last record of a key wins. */
static void
table_put(struct map *t, const char *line, const struct parsed *p)
{
	const char *t1 = line + p->polen;
	struct poline *rec;
	int isnew;

	rec = map_putn(t, line, p->klen, &isnew);
	if (isnew) {
		rec->po = tsv_unesc_dup(line, p->polen);
		rec->line = tsv_unesc_dup(t1 + 1, p->klen - p->polen - 1);
	}
	rec->has_qty = p->has_qty;
	rec->qty = p->qty;
}

/* fn for each record of t, in first-seen order, until one says non-zero. */
static int
table_walk(struct map *t, polines_fn *fn, void *arg)
{
	const struct poline *rec;
	size_t it = 0;
	int r = 0;

	while (!r && (rec = map_next(t, &it, NULL)) != NULL)
		r = fn(rec, arg);
	return r;
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
	*lenp = len;
	if (c == EOF && len == 0)
		return LN_EOF;
	if (c == EOF)
		return LN_TORN;
	if (len > LINE_MAX_BYTES)
		return LN_LONG;
	line[len] = 0;
	return nul ? LN_NUL : LN_OK;
}

/* A reader of the ledger: its lines, and the first bad one said. */
struct reader {
	FILE *fp;
	const char *path;
	unsigned long lineno;
	int status;		/* when reader_next gave -1 */
};

static int
reader_open(struct reader *rd, int fd, const char *path)
{
	int dfd;

	memset(rd, 0, sizeof *rd);
	rd->path = path;
	if ((dfd = dup(fd)) < 0 || lseek(dfd, 0, SEEK_SET) < 0 ||
	    !(rd->fp = fdopen(dfd, "r"))) {
		msg_warnerr("cannot read %s", path);
		if (dfd >= 0)
			close(dfd);
		return EX_IOERR;
	}
	return 0;
}

/*
 * The next line into line (parsed into p), its length in *lenp.  1, 0 at
 * the end, -1 with rd->status set: EX_IOERR on a read error, EX_CONFIG
 * on a malformed line, said with its number.  A malformed line is never
 * skipped: the line it held may be open in NetSuite, and a receipt file
 * that leaves it out has NetSuite receive it in full.  Only a torn last
 * line (no LF: an append cut short by a kill or a full disk, whose
 * writer failed and will append it again) is ignored; the next writer
 * cuts it.
 */
static int
reader_next(struct reader *rd, char *line, size_t *lenp, struct parsed *p)
{
	char *who;
	int k;

	if ((k = next_line(rd->fp, line, lenp)) != LN_EOF && k != LN_TORN) {
		rd->lineno++;
		if (k == LN_OK && parse_line(line, *lenp, p) != R_BAD &&
		    (p->kind != R_HEAD || p->version <= VERSION))
			return 1;
		if (k == LN_OK && p->kind == R_HEAD) {
			who = xasprintf("%s:%lu", rd->path, rd->lineno);
			version_later_said(who, NULL, NULL, VERSION_HEAD,
			    "nothing done");
			free(who);
		} else
			msg_warn("%s:%lu: %s; nothing done: mend the ledger by "
			    "hand (posync(7) ASSUMPTIONS)", rd->path, rd->lineno,
			    k == LN_LONG ? "record longer than 4096 bytes" :
			    k == LN_NUL ? "record holding a NUL byte" :
			    "malformed record");
		rd->status = EX_CONFIG;
		return -1;
	}
	if (ferror(rd->fp)) {
		msg_warnerr("cannot read %s", rd->path);
		rd->status = EX_IOERR;
		return -1;
	}
	return 0;
}

static int
reader_close(struct reader *rd, int r)
{
	if (rd->fp)
		fclose(rd->fp);
	rd->fp = NULL;
	return r;
}

struct sink;
static int ledger_read(const char *, polines_want_fn *, void *,
    struct sink *);

/* Where read_ledger puts the records it keeps: into a table (the last
 * of a key wins, walked after), or, with t NULL, to fn as they are read
 * (polines_each: no table of the whole ledger). */
struct sink {
	struct map *t;
	polines_fn *fn;
	void *arg;
};

static int
sink_put(struct sink *sk, const char *line, const struct parsed *p)
{
	char po[LINE_MAX_BYTES + 1], ln[LINE_MAX_BYTES + 1];
	struct poline rec;

	if (sk->t) {
		table_put(sk->t, line, p);
		return 0;
	}
	rec.po = tsv_unesc(po, line, p->polen) == 0 ? po : NULL;
	rec.line = tsv_unesc(ln, line + p->polen + 1, p->klen - p->polen - 1)
	    == 0 ? ln : NULL;
	rec.has_qty = p->has_qty;
	rec.qty = p->qty;
	return sk->fn(&rec, sk->arg);
}

/* Read the ledger from fd (which the caller has locked) into sk, keeping
 * the lines of the POs want() accepts; fn's non-zero stops it. */
static int
read_ledger(int fd, const char *path, polines_want_fn *want, void *arg,
    struct sink *sk)
{
	char line[LINE_MAX_BYTES + 1], *po = NULL;
	struct reader rd;
	struct parsed p;
	size_t len;
	int lastwant = 0, k, r = 0;

	if (reader_open(&rd, fd, path) != 0)
		return EX_IOERR;
	while (!r && (k = reader_next(&rd, line, &len, &p)) > 0) {
		if (p.kind != R_LINE)
			continue;
		/* Lines of one PO usually come together: ask want() once. */
		if (!po || strlen(po) != p.polen || memcmp(po, line, p.polen) != 0) {
			free(po);
			po = xstrndup(line, p.polen);
			if (want) {
				char *plain = tsv_unesc_dup(line, p.polen);

				lastwant = want(plain, arg);
				free(plain);
			} else {
				lastwant = 1;
			}
		}
		if (lastwant)
			r = sink_put(sk, line, &p);
	}
	free(po);
	if (r) {
		reader_close(&rd, 0);
		return r;
	}
	return reader_close(&rd, k < 0 ? rd.status : 0);
}

int
polines_load(const char *spooldir, polines_want_fn *want, polines_fn *fn, void *arg)
{
	struct sink sk = { table_new(), NULL, NULL };
	int r;

	r = ledger_read(spooldir, want, arg, &sk);
	if (!r)
		r = table_walk(sk.t, fn, arg);
	table_free(sk.t);
	return r;
}

int
polines_each(const char *spooldir, polines_want_fn *want, polines_fn *fn,
    void *arg)
{
	struct sink sk = { NULL, fn, arg };

	return ledger_read(spooldir, want, arg, &sk);
}

/* The ledger, locked shared while it is read, into sk. */
static int
ledger_read(const char *spooldir, polines_want_fn *want, void *arg,
    struct sink *sk)
{
	char *path = ledger_path(spooldir);
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
	r = read_ledger(fd, path, want, arg, sk);
	close(fd);	/* the records are ours now: let writers go on */
	free(path);
	return r;
}

/* ---------------------------------------------------------------- compaction
 *
 * An external merge sort, so that memory does not grow with the ledger.
 *  1. split: the ledger is read once.  Its longest sorted beginning
 *     (keys strictly increasing: what the last compaction wrote) stays
 *     where it is, the first sorted run.  The rest is cut into chunks of
 *     at most chunk_bytes and chunk_recs, each sorted in memory by key and
 *     position, its keys folded to one record (below), and written to a
 *     nameless temporary file in state/: a sorted run.  When fanin runs
 *     wait, they are merged into one.
 *  2. merge: the runs are merged by key into PATH.tmp.PID, under a
 *     header; it is fsync'd and renamed over PATH.  The lock is held
 *     throughout, so the runs are what the ledger holds.
 * Folding one key: the later record of a line wins (a later run, or a
 * later position in a chunk); of a PO's "seen" records the latest time.
 * A key is "PO\tLINE" or, for a seen record, "PO\t": a PO's seen record
 * sorts before its lines, so the merge knows when the PO was last seen
 * before it writes any of them.  An escaped id holds no TAB, so the keys
 * of one PO are next to each other.
 * Memory: the chunk (chunk_bytes), its index (chunk_recs * 12 bytes),
 * and fanin + 1 sources of one line buffer and one stdio buffer each:
 * 8 + 3 + 0.3 MiB with the values below, under POLINES_MEM.
 */
static size_t chunk_bytes = 8 << 20, chunk_recs = 256 << 10, fanin = 32;

void
polines_tune(size_t bytes, size_t recs, size_t fan)
{
	if (bytes)
		chunk_bytes = bytes < LINE_MAX_BYTES + 1 ? LINE_MAX_BYTES + 1 : bytes;
	if (recs)
		chunk_recs = recs < 2 ? 2 : recs;
	if (fan)
		fanin = fan < 2 ? 2 : fan;
}

struct cent {			/* a record in the chunk */
	uint32_t off, len, klen;
};

struct src {			/* a sorted run being merged */
	FILE *fp;
	long long left;		/* bytes still to read; -1: to the end */
	int live;		/* line holds its next record */
	size_t len;
	struct parsed p;
	char line[LINE_MAX_BYTES + 1];
};

struct compactor {
	const char *path;
	char *statedir;
	int fd;			/* the ledger, locked */
	off_t prefix;		/* its sorted beginning, in bytes */
	char *mem;		/* the chunk */
	size_t used, n;
	struct cent *v;
	int *runs;		/* temporary files, oldest first */
	size_t nruns;
	struct src *src;	/* fanin + 1 */
	char line[LINE_MAX_BYTES + 1];	/* split's */
	char prev[LINE_MAX_BYTES + 1];	/* the last key of the beginning */
	size_t prevlen;
	char cur[LINE_MAX_BYTES + 1];	/* merge's winner */
	size_t curlen;
	struct parsed curp;
	int64_t newest;		/* the latest seen time in the ledger */
	int oldform;		/* its header has no version */
};

static int
keycmp(const char *a, size_t al, const char *b, size_t bl)
{
	int c = memcmp(a, b, al < bl ? al : bl);

	return c ? c : (al > bl) - (al < bl);
}

/* Of two records of one key, b (the later) replaces a. */
static int
later_wins(const struct parsed *a, const struct parsed *b)
{
	return b->kind != R_SEEN || b->secs > a->secs;
}

static int
cent_cmp(const void *x, const void *y, void *arg)
{
	const struct cent *a = x, *b = y;
	const char *m = arg;
	int c = keycmp(m + a->off, a->klen, m + b->off, b->klen);

	return c ? c : (a->off > b->off) - (a->off < b->off);
}

static FILE *
run_writer(struct compactor *c, int *fdp)
{
	FILE *fp;
	int dfd;

	/* nameless (spill.h): a kill leaves nothing behind */
	if ((*fdp = spill_tmpfile(c->statedir)) < 0)
		return NULL;
	if ((dfd = dup(*fdp)) < 0 || !(fp = fdopen(dfd, "w"))) {
		msg_warnerr("cannot write a temporary file in %s", c->statedir);
		if (dfd >= 0)
			close(dfd);
		close(*fdp);
		return NULL;
	}
	return fp;
}

static int
run_done(struct compactor *c, FILE *fp, int fd)
{
	if (fclose(fp) != 0) {
		msg_warnerr("cannot write a temporary file in %s", c->statedir);
		close(fd);
		return EX_IOERR;
	}
	return 0;
}

/* The next record of s (a header skipped); s->live 0 at its end. */
static int
src_next(struct src *s)
{
	int k;

	for (;;) {
		s->live = 0;
		if (s->left == 0)
			return 0;
		k = next_line(s->fp, s->line, &s->len);
		if (k == LN_EOF || k == LN_TORN)
			return ferror(s->fp) ? -1 : 0;
		if (s->left > 0)
			s->left -= (long long)s->len + 1;
		if (k == LN_OK && parse_line(s->line, s->len, &s->p) != R_BAD &&
		    s->p.kind != R_HEAD) {
			s->live = 1;
			return 0;
		}
	}
}

static int
src_open(struct src *s, int fd, long long left)
{
	int dfd;

	s->fp = NULL;
	s->live = 0;
	if (lseek(fd, 0, SEEK_SET) < 0 || (dfd = dup(fd)) < 0)
		return -1;
	if (!(s->fp = fdopen(dfd, "r"))) {
		close(dfd);
		return -1;
	}
	s->left = left;
	return src_next(s);
}

static void
src_close(struct src *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i].fp)
			fclose(s[i].fp);
}

typedef int emit_fn(struct compactor *, void *);

/* Merge the sources c->src[0..n) (each sorted, each key once, later
 * sources later in the ledger), calling emit for each key's winner in
 * c->cur. */
static int
merge(struct compactor *c, size_t n, emit_fn *emit, void *arg)
{
	struct src *s = c->src;
	size_t i, m, w;
	int r;

	for (;;) {
		for (m = n, i = 0; i < n; i++)
			if (s[i].live && (m == n || keycmp(s[i].line, s[i].p.klen,
			    s[m].line, s[m].p.klen) < 0))
				m = i;
		if (m == n)
			return 0;
		for (w = m, i = m + 1; i < n; i++)
			if (s[i].live && keycmp(s[i].line, s[i].p.klen, s[m].line,
			    s[m].p.klen) == 0 && later_wins(&s[w].p, &s[i].p))
				w = i;
		memcpy(c->cur, s[w].line, s[w].len);
		c->curlen = s[w].len;
		c->curp = s[w].p;
		for (i = m; i < n; i++)
			if (s[i].live && keycmp(s[i].line, s[i].p.klen, c->cur,
			    c->curp.klen) == 0 && src_next(&s[i]) < 0) {
				msg_warnerr("cannot read %s while compacting it", c->path);
				return EX_IOERR;
			}
		if ((r = emit(c, arg)) != 0)
			return r;
	}
}

static int
emit_run(struct compactor *c, void *arg)
{
	FILE *fp = arg;

	fwrite(c->cur, 1, c->curlen, fp);
	putc('\n', fp);
	return 0;
}

/* The runs waiting, merged into one. */
static int
merge_runs(struct compactor *c)
{
	FILE *fp;
	size_t i;
	int fd, r = 0;

	if (!(fp = run_writer(c, &fd)))
		return EX_IOERR;
	for (i = 0; !r && i < c->nruns; i++)
		if (src_open(&c->src[i], c->runs[i], -1) < 0) {
			msg_warnerr("cannot read a temporary file in %s", c->statedir);
			r = EX_IOERR;
		}
	if (!r)
		r = merge(c, c->nruns, emit_run, fp);
	src_close(c->src, c->nruns);
	if (r) {
		fclose(fp);
		close(fd);
		return r;
	}
	if ((r = run_done(c, fp, fd)) != 0)
		return r;
	for (i = 0; i < c->nruns; i++)
		close(c->runs[i]);
	c->runs[0] = fd;
	c->nruns = 1;
	return 0;
}

/* The chunk, sorted and folded, as a new run. */
static int
chunk_flush(struct compactor *c)
{
	struct parsed a, b;
	size_t i, j, w;
	FILE *fp;
	int fd;

	if (c->n == 0)
		return 0;
	qsort_r(c->v, c->n, sizeof *c->v, cent_cmp, c->mem);
	if (!(fp = run_writer(c, &fd)))
		return EX_IOERR;
	for (i = 0; i < c->n; i = j) {
		w = i;
		parse_line(c->mem + c->v[w].off, c->v[w].len, &a);
		for (j = i + 1; j < c->n && keycmp(c->mem + c->v[i].off, c->v[i].klen,
		    c->mem + c->v[j].off, c->v[j].klen) == 0; j++) {
			parse_line(c->mem + c->v[j].off, c->v[j].len, &b);
			if (later_wins(&a, &b)) {
				w = j;
				a = b;
			}
		}
		fwrite(c->mem + c->v[w].off, 1, c->v[w].len, fp);
		putc('\n', fp);
	}
	c->n = c->used = 0;
	if (run_done(c, fp, fd) != 0)
		return EX_IOERR;
	c->runs[c->nruns++] = fd;
	return c->nruns == fanin ? merge_runs(c) : 0;
}

static int
chunk_add(struct compactor *c, const char *line, size_t len, size_t klen)
{
	int r;

	if (!c->mem) {
		c->mem = xmalloc(chunk_bytes);
		c->v = xcalloc(chunk_recs, sizeof *c->v);
	}
	if ((c->n == chunk_recs || c->used + len > chunk_bytes) &&
	    (r = chunk_flush(c)) != 0)
		return r;
	memcpy(c->mem + c->used, line, len);
	c->v[c->n++] = (struct cent){ (uint32_t)c->used, (uint32_t)len, (uint32_t)klen };
	c->used += len;
	return 0;
}

/* Step 1: the sorted beginning measured, the rest cut into runs. */
static int
split(struct compactor *c)
{
	struct reader rd;
	struct parsed p;
	size_t len;
	int k, sorted = 1, r = 0, have = 0;
	long long at = 0;

	if (reader_open(&rd, c->fd, c->path) != 0)
		return EX_IOERR;
	while ((k = reader_next(&rd, c->line, &len, &p)) > 0) {
		/* a header without the version: an older posync compacted
		 * it (a ledger with no header yet is only appends, written
		 * the same by every version: nothing to say) */
		if (rd.lineno == 1)
			c->oldform = p.kind == R_HEAD && p.version < 2;
		if (p.kind == R_SEEN && p.secs > c->newest)
			c->newest = p.secs;
		if (sorted && (p.kind == R_HEAD || !have ||
		    keycmp(c->prev, c->prevlen, c->line, p.klen) < 0)) {
			if (p.kind != R_HEAD) {
				memcpy(c->prev, c->line, p.klen);
				c->prevlen = p.klen;
				have = 1;
			}
			at += (long long)len + 1;
			c->prefix = (off_t)at;
			continue;
		}
		sorted = 0;
		if (p.kind != R_HEAD && (r = chunk_add(c, c->line, len, p.klen)) != 0)
			break;
	}
	if (!r && k < 0)
		r = rd.status;
	if (!r)
		r = chunk_flush(c);
	return reader_close(&rd, r);
}

/* Step 2's writer: one PO at a time, kept, expired or dropped whole. */
struct out {
	FILE *fp;
	const char *path;
	polines_want_fn *keep;
	void *arg;
	time_t now;		/* this host's clock: the header's time */
	time_t at;		/* ages are measured at: see polines_compact */
	int keep_days;
	int have, keepit, expired;
	size_t polen, ndropped;
	int dropfd;		/* the dropped POs, said once the rename is done */
	FILE *dropped;
	char po[LINE_MAX_BYTES + 1];	/* escaped, as in the ledger */
	char plain[LINE_MAX_BYTES + 1];
};

#define DROPPED_FMT "%s: PO %s dropped: not in a NetSuite export since %s " \
	"(polines_keep_days %d), and never fully received"

static void
say_dropped(const struct out *o, const char *po, int64_t secs, size_t i)
{
	char day[32];
	time_t t = (time_t)secs;
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(day, sizeof day, "%Y-%m-%d", &tm))
		snprintf(day, sizeof day, "%lld", (long long)secs);
	if (i <= SAY_MAX)
		msg_warn(DROPPED_FMT, o->path, po, day, o->keep_days);
	else
		msg_info(DROPPED_FMT, o->path, po, day, o->keep_days);
}

/* The expired PO's seen record (c->cur), noted to be said once the new
 * ledger is in place: said before, a compaction that then fails (a full
 * disk) would announce on every run a drop that never happens. */
static int
note_dropped(struct compactor *c, struct out *o)
{
	if (!o->dropped && !(o->dropped = run_writer(c, &o->dropfd)))
		return EX_IOERR;
	o->ndropped++;
	fwrite(c->cur, 1, c->curlen, o->dropped);
	putc('\n', o->dropped);
	return 0;
}

/* The noted POs, said: the rename is done.  Memory stays bounded however
 * many expire at once. */
static void
say_all_dropped(struct compactor *c, struct out *o)
{
	struct src s = { 0 };
	char *po;
	size_t i = 0;

	if (!o->dropped)
		return;
	if (fflush(o->dropped) != 0 || src_open(&s, o->dropfd, -1) < 0) {
		msg_warnerr("%s: %zu POs dropped, but a temporary file in %s "
		    "cannot be read to name them", c->path, o->ndropped, c->statedir);
		src_close(&s, 1);
		return;
	}
	for (; s.live; src_next(&s)) {
		po = tsv_unesc_dup(s.line, s.p.polen);
		say_dropped(o, po ? po : "?", s.p.secs, ++i);
		free(po);
	}
	src_close(&s, 1);
}

/* A new PO in c->cur: keep it?  Its seen record, when it has one, is
 * its first key. */
static int
po_start(struct compactor *c, struct out *o)
{
	const struct parsed *p = &c->curp;

	memcpy(o->po, c->cur, p->polen);
	o->polen = p->polen;
	o->have = 1;
	tsv_unesc(o->plain, c->cur, p->polen);
	o->keepit = !o->keep || o->keep(o->plain, o->arg);
	o->expired = 0;
	if (!o->keepit)
		return 0;
	if (p->kind != R_SEEN) {
		/* written before seen records existed: its clock starts now */
		fwrite(o->po, 1, o->polen, o->fp);
		fprintf(o->fp, "\t\t%lld\n", (long long)o->at);
	} else if (o->keep_days > 0 &&
	    p->secs < (int64_t)o->at - (int64_t)o->keep_days * DAY) {
		o->expired = 1;
		return note_dropped(c, o);
	}
	return 0;
}

static int
emit_out(struct compactor *c, void *arg)
{
	struct out *o = arg;

	int r;

	if ((!o->have || o->polen != c->curp.polen ||
	    memcmp(o->po, c->cur, o->polen) != 0) && (r = po_start(c, o)) != 0)
		return r;
	if (o->keepit && !o->expired) {
		fwrite(c->cur, 1, c->curlen, o->fp);
		putc('\n', o->fp);
	}
	return 0;
}

/* Step 2: the runs merged into tmp, durably. */
static int
write_out(struct compactor *c, struct out *o, const char *tmp)
{
	size_t n = 0, i;
	int fd, r = 0;

	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640)) < 0 ||
	    !(o->fp = fdopen(fd, "w"))) {
		msg_warnerr("cannot create %s", tmp);
		if (fd >= 0)
			close(fd);
		return EX_IOERR;
	}
	fprintf(o->fp, "\t\t%lld\t%s\n", (long long)o->now, VERSION_HEAD);
	if (c->prefix > 0 && src_open(&c->src[n++], c->fd, (long long)c->prefix) < 0)
		r = EX_IOERR;
	for (i = 0; !r && i < c->nruns; i++)
		if (src_open(&c->src[n++], c->runs[i], -1) < 0)
			r = EX_IOERR;
	if (r)
		msg_warnerr("cannot read %s while compacting it", c->path);
	if (!r)
		r = merge(c, n, emit_out, o);
	src_close(c->src, n);
	if (!r && (fflush(o->fp) != 0 || ferror(o->fp) || fsync(fd) < 0)) {
		msg_warnerr("cannot write %s", tmp);
		r = EX_IOERR;
	}
	if (fclose(o->fp) != 0 && !r) {
		msg_warnerr("cannot write %s", tmp);
		r = EX_IOERR;
	}
	return r;
}

static int
replace(struct compactor *c, struct out *o)
{
	char *tmp = xasprintf("%s.tmp.%ld", c->path, (long)getpid());
	int r;

	/* Replaced while we hold the lock on the old file: a writer
	 * waiting for it finds the new file when it gets the lock. */
	if ((r = write_out(c, o, tmp)) == 0 && rename(tmp, c->path) < 0) {
		msg_warnerr("cannot rename %s to %s", tmp, c->path);
		r = EX_IOERR;
	}
	if (r)
		unlink(tmp);
	else if (fsync_dir(c->statedir) < 0) {
		msg_warnerr("cannot fsync %s", c->statedir);
		r = EX_IOERR;
	}
	if (!r)
		say_all_dropped(c, o);
	if (!r && o->ndropped > SAY_MAX)
		msg_warn("%s: %zu POs dropped in all, not in a NetSuite export for "
		    "%d days%s", c->path, o->ndropped, o->keep_days,
		    verbose ? "" : " (-v names each)");
	free(tmp);
	return r;
}

/* keep() refused, for the check of polines_compact_checked. */
struct refused {
	polines_want_fn *keep;
	void *arg;
};

static int
refused(const char *po, void *arg)
{
	struct refused *f = arg;

	return !f->keep(po, f->arg);
}

/* check() for each current record of the POs keep() refuses, under the
 * compaction's lock (c->fd), before anything is written. */
static int
check_refused(struct compactor *c, polines_want_fn *keep, polines_fn *check,
    void *arg)
{
	struct refused f = { keep, arg };
	struct sink sk = { table_new(), NULL, NULL };
	int r;

	r = read_ledger(c->fd, c->path, refused, &f, &sk);
	if (!r)
		r = table_walk(sk.t, check, arg);
	table_free(sk.t);
	return r;
}

int
polines_compact(const char *spooldir, polines_want_fn *keep, void *arg,
    time_t now, int keep_days)
{
	return polines_compact_checked(spooldir, keep, NULL, arg, now, keep_days);
}

int
polines_compact_checked(const char *spooldir, polines_want_fn *keep,
    polines_fn *check, void *arg, time_t now, int keep_days)
{
	struct compactor c = { 0 };
	struct out o = { 0 };
	char *path = ledger_path(spooldir);
	size_t i;
	int r = 0;

	if ((c.fd = open_locked(path, O_RDONLY, LOCK_EX)) < 0) {
		r = 0;
		if (errno != ENOENT) {
			msg_warnerr("cannot open %s", path);
			r = EX_IOERR;
		}
		free(path);
		return r;
	}
	c.path = o.path = path;
	c.statedir = spool_state_path(spooldir, NULL);
	c.runs = xcalloc(fanin, sizeof *c.runs);
	c.src = xcalloc(fanin + 1, sizeof *c.src);
	o.keep = keep;
	o.arg = arg;
	o.now = now;
	o.keep_days = keep_days;
	if (keep && check)
		r = check_refused(&c, keep, check, arg);
	if (!r && (r = split(&c)) == 0) {
		/* ages by the ledger's own clock when this host's runs ahead:
		 * a clock jump forward, or a NetSuite that stopped exporting
		 * altogether, drops nothing */
		o.at = c.newest > 0 && c.newest < (int64_t)now ?
		    (time_t)c.newest : now;
		r = replace(&c, &o);
	}
	if (!r && c.oldform)	/* said once: the new ledger has its header */
		msg_info("%s: now in the %s form (its header says so)", path,
		    VERSION_HEAD);
	if (o.dropped) {
		fclose(o.dropped);
		close(o.dropfd);
	}
	for (i = 0; i < c.nruns; i++)
		close(c.runs[i]);
	close(c.fd);
	free(c.runs);
	free(c.src);
	free(c.mem);
	free(c.v);
	free(c.statedir);
	free(path);
	return r;
}

int
polines_tidy(const char *spooldir, time_t now, int keep_days)
{
	char *path = ledger_path(spooldir), line[64];
	struct parsed p;
	size_t len;
	FILE *fp;
	int due = 1;

	/* the first line is whole: appends go to the end, compactions
	 * rename; a torn one only makes the compaction due */
	if (!(fp = fopen(path, "re"))) {
		int e = errno;

		if (e != ENOENT)
			msg_warnerr("cannot open %s", path);
		free(path);
		return e == ENOENT ? 0 : EX_IOERR;
	}
	if (fgets(line, sizeof line, fp) && (len = strlen(line)) > 1 &&
	    line[len - 1] == '\n' && parse_line(line, len - 1, &p) == R_HEAD &&
	    now - p.secs < DAY && p.secs - now < DAY)
		due = 0;
	fclose(fp);
	free(path);
	return due ? polines_compact(spooldir, NULL, NULL, now, keep_days) : 0;
}
