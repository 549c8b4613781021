/*
 * receipt_journal -- see receipt_journal.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "lock.h"
#include "map.h"
#include "metrics.h"
#include "msg.h"
#include "polines.h"
#include "receipt_excess.h"
#include "receipt_fold.h"
#include "receipt_journal.h"
#include "receipt_rules.h"
#include "receipt_spool_impl.h"
#include "receipt_state.h"
#include "rfile.h"
#include "spill.h"
#include "spool.h"
#include "tsv.h"
#include "util.h"
#include "version.h"

#define JOURNAL_TAG	"posync receipt-export journal "
#define JOURNAL_V	1
#define JOURNAL_MAGIC	VERSION_LINE(JOURNAL_TAG, JOURNAL_V)
#define JOURNAL_PARTS	4		/* file, excess, state, drop */

struct rx_spool *
rx_spool_new(const struct config *cfg, int dry)
{
	struct rx_spool *sp = xcalloc(1, sizeof *sp);

	sp->cfg = cfg;
	sp->dry = dry;
	sp->pubfd = -1;
	sp->statedir = spool_state_path(cfg->spool.dir, NULL);
	sp->state_path = spool_state_path(cfg->spool.dir, "receipt-export.state");
	sp->journal_path = spool_state_path(cfg->spool.dir, RFILE_JOURNAL);
	sp->area = spool_area_path(cfg->spool.dir, "receipt", NULL);
	sp->excess_path = path_join(sp->area, "excess.csv");
	return sp;
}

const char *
rx_spool_state_path(const struct rx_spool *sp)
{
	return sp->state_path;
}

const char *
rx_spool_journal_path(const struct rx_spool *sp)
{
	return sp->journal_path;
}

const char *
rx_spool_state_dir(const struct rx_spool *sp)
{
	return sp->statedir;
}

void
rx_spool_unlock(struct rx_spool *sp)
{
	lock_drop(&sp->pubfd);
}

void
rx_spool_free(struct rx_spool *sp)
{
	if (!sp)
		return;
	lock_drop(&sp->pubfd);
	free(sp->statedir);
	free(sp->state_path);
	free(sp->journal_path);
	free(sp->area);
	free(sp->excess_path);
	free(sp);
}

static void
text_free(struct spill_text **t)
{
	if (*t) {
		spill_text_free(*t);
		free(*t);
		*t = NULL;
	}
}

/* Part i's length, wherever its bytes are. */
static size_t
part_len(const struct rx_journal *j, size_t i, const struct buf *b)
{
	if (i == 0 && j->ftext)
		return j->ftext->len;
	if (i == 2 && j->stext)
		return j->stext->len;
	return b->len;
}

/* Part i's temporary file, or NULL when its bytes are in memory. */
static struct spill_text *
part_text(const struct rx_journal *j, size_t i)
{
	return i == 0 ? j->ftext : i == 2 ? j->stext : NULL;
}

void
rx_journal_free(struct rx_journal *j)
{
	free(j->name);
	buf_free(&j->file);
	buf_free(&j->excess);
	buf_free(&j->state);
	buf_free(&j->drop);
	buf_free(&j->fold);
	text_free(&j->ftext);
	text_free(&j->stext);
	memset(j, 0, sizeof *j);
}

static const char *const part_names[JOURNAL_PARTS] =
    { "file", "excess", "state", "drop" };

/* Room for the journal's pieces: a head before each part (the first
 * with the magic and name), the parts, the fold's head and part, "end". */
#define JOURNAL_IOV	(2 * JOURNAL_PARTS + 3)

/* The journal's text as pieces in iov, the parts' own bytes not copied
 * (heads holds the lines between them, JOURNAL_PARTS + 2 buffers, freed
 * by the caller): how many.  A part in a temporary file is a piece with
 * no base, its file in src (else NULL).  The one place the layout is
 * written: rx_journal_format joins the pieces, rx_journal_commit writes
 * them. */
static int
journal_pieces(const struct rx_journal *j, struct buf *heads,
    struct iovec *iov, struct spill_text **src)
{
	const struct buf *parts[JOURNAL_PARTS + 1] =
	    { &j->file, &j->excess, &j->state, &j->drop, &j->fold };
	size_t i;
	int n = 0;

	buf_addf(&heads[0], "%s\nname\t%s\n", JOURNAL_MAGIC, j->name);
	/* the fold part only when folding: a journal without it reads as
	 * before */
	for (i = 0; i < JOURNAL_PARTS + (j->fold.len ? 1 : 0); i++) {
		buf_addf(&heads[i], "%s\t%zu\n", i < JOURNAL_PARTS ?
		    part_names[i] : "fold", part_len(j, i, parts[i]));
		src[n] = NULL;
		iov[n].iov_base = heads[i].s;
		iov[n++].iov_len = heads[i].len;
		if ((src[n] = i < JOURNAL_PARTS ? part_text(j, i) : NULL)) {
			iov[n].iov_base = NULL;
			iov[n].iov_len = src[n]->len;
			n++;
		} else if (parts[i]->len) {
			iov[n].iov_base = parts[i]->s;
			iov[n++].iov_len = parts[i]->len;
		}
	}
	src[n] = NULL;
	iov[n].iov_base = (void *)(uintptr_t)"end\n";
	iov[n++].iov_len = 4;
	return n;
}

static void
journal_heads_free(struct buf *heads)
{
	size_t i;

	for (i = 0; i < JOURNAL_PARTS + 2; i++)
		buf_free(&heads[i]);
}

void
rx_journal_format(const struct rx_journal *j, struct buf *out)
{
	struct buf heads[JOURNAL_PARTS + 2] = { { 0 } };
	struct iovec iov[JOURNAL_IOV];
	struct spill_text *src[JOURNAL_IOV];
	int i, n = journal_pieces(j, heads, iov, src);

	for (i = 0; i < n; i++)
		if (src[i]) {
			if (spill_text_read(src[i], out) != 0)
				msg_die(EX_IOERR, "cannot read back a journal's part");
		} else
			buf_add(out, iov[i].iov_base, iov[i].iov_len);
	journal_heads_free(heads);
}

/* spool_fill_fn: piece i from its temporary file. */
static int
fill_piece(int fd, int i, const char *what, void *arg)
{
	struct spill_text **src = arg;

	return spill_text_copy(src[i], fd, what);
}

/* The optional "fold" part: names of plain receipt files, one a line. */
static int
journal_fold_parse(struct rx_journal *j, const char **pp, const char *end)
{
	const char *p = *pp + 5, *nl, *q;
	size_t n;
	char *e;

	if (!(nl = memchr(p, '\n', end - p)))
		return -1;
	errno = 0;
	n = strtoul(p, &e, 10);
	if (e != nl || e == p || errno || n > (size_t)(end - nl - 1) ||
	    n == 0 || nl[n] != '\n')
		return -1;
	for (q = nl + 1; q < nl + 1 + n; q++)
		if (*q == '/' || *q == 0 || (*q == '.' && (q == nl + 1 || q[-1] == '\n')))
			return -1;
	buf_add(&j->fold, nl + 1, n);
	*pp = nl + 1 + n;
	return 0;
}

/* The four sized parts from *pp: 0, or -1 when malformed. */
static int
journal_parts_parse(struct rx_journal *j, const char **pp, const char *end)
{
	struct buf *parts[JOURNAL_PARTS] =
	    { &j->file, &j->excess, &j->state, &j->drop };
	const char *p = *pp, *nl;
	size_t i, n, k;
	char *e;

	for (i = 0; i < JOURNAL_PARTS; i++, *pp = p) {
		k = strlen(part_names[i]);
		if (!(nl = memchr(p, '\n', end - p)) || (size_t)(nl - p) <= k + 1 ||
		    strncmp(p, part_names[i], k) != 0 || p[k] != '\t')
			return -1;
		errno = 0;
		n = strtoul(p + k + 1, &e, 10);
		if (e != nl || errno || n > (size_t)(end - nl - 1))
			return -1;
		buf_add(parts[i], nl + 1, n);
		p = nl + 1 + n;
	}
	*pp = p;
	return 0;
}

/* "name\tNAME\n" from *pp: 0, -1 when malformed, or EX_CONFIG (said). */
static int
journal_name_parse(struct rx_journal *j, const char **pp, const char *end,
    const char *path)
{
	const char *p = *pp, *nl;

	if (!(nl = memchr(p, '\n', end - p)) || strncmp(p, "name\t", 5) != 0)
		return -1;
	if (memchr(p + 5, 0, nl - p - 5)) {
		/* xstrndup would stop there: a cut name, silently */
		msg_warn("%s:2: the file name holds a NUL byte; nothing "
		    "exported, the journal is left as it is: check it by hand "
		    "(receipt-export(1), CAVEATS)", path);
		return EX_CONFIG;
	}
	j->name = xstrndup(p + 5, nl - p - 5);
	if (strchr(j->name, '/') || j->name[0] == '.')
		return -1;
	*pp = nl + 1;
	return 0;
}

int
rx_journal_parse(struct rx_journal *j, const char *d, size_t len,
    const char *path)
{
	const char *p = d, *end = d + len;
	size_t k;
	char *e;
	int rc;

	memset(j, 0, sizeof *j);
	rc = version_check(d, len, JOURNAL_TAG, JOURNAL_V, VERSION_EXACT, NULL);
	if (rc == VERSION_LATER) {	/* a later posync's: not damaged */
		/* its first line alone: d need not end in a NUL (a fuzzed
		 * journal with no newline was read past its end) */
		e = memchr(d, '\n', len);
		e = xstrndup(d, e ? (size_t)(e - d) : len);
		version_later_said(path, NULL, e, JOURNAL_MAGIC, "nothing "
		    "exported, the journal is left as it is");
		free(e);
		return EX_CONFIG;
	}
	if (rc != VERSION_SAME || !(e = memchr(d, '\n', len)))
		goto bad;
	p = e + 1;
	if ((rc = journal_name_parse(j, &p, end, path)) > 0) {
		rx_journal_free(j);
		return rc;
	}
	if (rc < 0 || journal_parts_parse(j, &p, end) != 0)
		goto bad;
	if ((size_t)(end - p) > 5 && memcmp(p, "fold\t", 5) == 0 &&
	    journal_fold_parse(j, &p, end) != 0)
		goto bad;
	if ((size_t)(end - p) != 4 || memcmp(p, "end\n", 4) != 0)
		goto bad;
	return 0;
bad:
	/* EX_CONFIG: going on without it would export everything again */
	for (k = 1, e = (char *)d; e < p && (e = memchr(e, '\n', p - e)); e++)
		k++;
	msg_warn("%s:%zu: malformed journal (not written by this version?); "
	    "nothing exported, the journal is left as it is: check it by hand "
	    "(receipt-export(1), CAVEATS)", path, k);
	rx_journal_free(j);
	return EX_CONFIG;
}

void
rx_journal_set(struct rx_journal *j, const char *name, struct buf *file,
    struct buf *excess, struct buf *drop, const struct rx_state *st)
{
	free(j->name);
	j->name = xstrdup(name);
	buf_free(&j->file);
	buf_free(&j->excess);
	buf_free(&j->drop);
	j->file = *file;
	j->excess = *excess;
	j->drop = *drop;
	memset(file, 0, sizeof *file);
	memset(excess, 0, sizeof *excess);
	memset(drop, 0, sizeof *drop);
	buf_reset(&j->state);
	text_free(&j->ftext);
	text_free(&j->stext);
	if (st)
		rx_state_format(st, &j->state);
}

int
rx_journal_decided(struct rx_journal *j, struct rx_decision *d,
    struct spill_text *file, struct rx_state *st, const char *prefix,
    int64_t now)
{
	char name[RFILE_NAME_SIZE] = "";
	int rc;

	/* config.c bounds the prefix so that every name fits (rfile.h) */
	if ((file ? file->len : d->file.len) && (rc = rx_state_next_name(st,
	    now, prefix, name, sizeof name)) < 0) {
		if (rc == RX_NAME_NO_TIME)
			return EX_CONFIG;
		msg_die(EX_SOFTWARE, "a receipt file name for [netsuite] "
		    "receipt_prefix does not fit (a bug)");
	}
	rx_journal_set(j, name, &d->file, &d->excess, &d->drop, NULL);
	if (!file) {
		rx_state_format(st, &j->state);
		return 0;
	}
	j->ftext = xmalloc(sizeof *j->ftext);
	*j->ftext = *file;
	spill_text_init(file, j->ftext->dir);
	rx_journal_set_state(j, st);
	return 0;
}

void
rx_journal_set_state(struct rx_journal *j, struct rx_state *st)
{
	const char *dir = j->ftext ? j->ftext->dir : j->stext ?
	    j->stext->dir : NULL;

	text_free(&j->stext);
	buf_reset(&j->state);
	if (dir) {
		j->stext = xmalloc(sizeof *j->stext);
		spill_text_init(j->stext, dir);
		if (rx_state_format_text(st, j->stext) == 0)
			return;
		/* said; in memory, then: the journal's write says more */
		text_free(&j->stext);
	}
	rx_state_format(st, &j->state);
}

int
rx_journal_file_load(struct rx_journal *j)
{
	struct buf b = { 0 };
	int rc;

	if (!j->ftext)
		return 0;
	if ((rc = spill_text_read(j->ftext, &b)) != 0) {
		buf_free(&b);
		return rc;
	}
	buf_free(&j->file);
	j->file = b;
	text_free(&j->ftext);
	return 0;
}

const char *
rx_journal_name(const struct rx_journal *j)
{
	return j->name ? j->name : "";
}

int
rx_journal_empty(const struct rx_journal *j)
{
	return !part_len(j, 0, &j->file) && !j->excess.len;
}

int
rx_journal_has_excess(const struct rx_journal *j)
{
	return j->excess.len > 0;
}

int
rx_journal_show(const struct rx_journal *j)
{
	if (j->ftext)
		return spill_text_put(j->ftext, stdout);
	if (j->file.len)
		fwrite(j->file.s, 1, j->file.len, stdout);
	return 0;
}

int
rx_journal_state(const struct rx_journal *j, struct rx_state *st,
    const char *path)
{
	struct buf b = { 0 };
	int rc;

	if (!j->stext)
		return rx_state_parse(st, j->state.s ? j->state.s : "",
		    j->state.len, path);
	if ((rc = spill_text_read(j->stext, &b)) == 0)
		rc = rx_state_parse(st, b.s ? b.s : "", b.len, path);
	buf_free(&b);
	return rc;
}

static int journal_roll(struct rx_spool *, struct rx_journal *,
    struct rx_state *, int *);

int
rx_journal_commit(struct rx_spool *sp, struct rx_journal *j,
    struct rx_state *st, int *excess_said)
{
	struct buf heads[JOURNAL_PARTS + 2] = { { 0 } };
	struct iovec iov[JOURNAL_IOV];
	struct spill_text *src[JOURNAL_IOV];
	int rc, n = journal_pieces(j, heads, iov, src);

	/* written from j's parts: no joined copy of them */
	rc = spool_write_atomic_f(sp->journal_path, iov, n, fill_piece, src);
	journal_heads_free(heads);
	if (rc == 0) {
		test_point("journal");
		rc = journal_roll(sp, j, st, excess_said);
	}
	return rc;
}

struct recheck {
	struct map *drop;	/* PO -> char: 1 when kept after all */
	const struct rx_state *st;
};

static int
recheck_keep(const char *po, void *arg)
{
	const char *kept = map_get(((struct recheck *)arg)->drop, po);

	/* keep all but these (a PO recheck_rec finds open is kept) */
	return kept == NULL || *kept;
}

static int
recheck_rec(const struct poline *rec, void *arg)
{
	struct recheck *rc = arg;
	char *kept = map_get(rc->drop, rec->po);
	enum rx_qty ord;
	dec_t ordered, received;

	if (!kept)
		return 0;
	if (rx_state_line(rc->st, rec->po, rec->line, &ord, &ordered,
	    &received) == 0 && ord == RX_KNOWN && rec->has_qty &&
	    rec->qty <= received)
		return 0;
	msg_info("PO %s line %s: in the polines ledger and still open (the PO "
	    "was amended since it was completed); the PO is kept", rec->po,
	    rec->line);
	*kept = 1;		/* not dropped after all */
	return 0;
}

/*
 * The POs to drop were complete when the run looked at the polines
 * ledger; po-export-parse may have added lines to one since (NetSuite
 * amended the PO), above all when a crash left the compaction to a rerun
 * much later.  Compacting those away would leave the new lines out of
 * every later element, and NetSuite receives unlisted open lines in
 * full.  So the compaction looks again, under its lock (an append
 * waits for it): a PO with a line the state does not hold as fully
 * received stays in the ledger, and open in the state (*reopened set).
 */
static int
recheck_drop(struct rx_spool *sp, struct map *drop, struct rx_state *st,
    int *reopened)
{
	struct recheck rc = { drop, st };
	const char *po;
	const char *kept;
	size_t it = 0;
	int s;

	if ((s = polines_compact_checked(sp->cfg->spool.dir, recheck_keep,
	    recheck_rec, &rc, time(NULL), sp->cfg->spool.polines_keep_days)) != 0)
		return s;
	while ((kept = map_next(drop, &it, &po)) != NULL) {
		if (!*kept)
			continue;
		rx_state_close(st, po, 0, 0);
		*reopened = 1;
	}
	return 0;
}

/* The committed state's cursor, for the metrics (seconds). */
static void
cursor_gauge(const struct rx_state *st)
{
	metric_set(M_RECEIPT_CURSOR, rx_state_cursor(st) / 1000);
}

/* The state on disk was written by this journal already (its file went
 * into new/ before: never twice)?  0 or 1 in *applied; *fresh: the
 * receipts the journal's state exports that the one on disk has not
 * (each counted once, as the state is written).  Else a status:
 * a state that cannot be read or parsed stops the roll-forward before
 * anything moves, both files left as they are for a person. */
static int
roll_applied(struct rx_spool *sp, const struct rx_state *js, int *applied,
    size_t *fresh)
{
	int64_t last = 0;
	int rc;

	*applied = 0;
	*fresh = 0;
	/* read a piece at a time: not a second state in memory */
	if ((rc = rx_state_peek(sp->state_path, RX_STATE_MAX, js, &last,
	    fresh)) < 0) {
		if (errno != ENOENT) {
			msg_cannot_read(sp->state_path);
			return EX_IOERR;
		}
		*fresh = rx_state_ledger_new(js, NULL);
		return 0;
	}
	if (rc == 0 && last >= rx_state_last(js) && rx_state_last(js) > 0)
		*applied = 1;
	return rc;
}

/* The POs to drop, from the journal's part: one a line, tsv-escaped as
 * the rules wrote them, so unescaped to match the ledger's ids (a line
 * that is no valid escaping is taken as written). */
static struct map *
drop_set(const struct rx_journal *j)
{
	struct map *drop = map_new(1);
	char *copy = xstrndup(j->drop.s ? j->drop.s : "", j->drop.len);
	char *line, *nl;

	for (line = copy; *line && (nl = strchr(line, '\n')); line = nl + 1) {
		*nl = 0;
		if (tsv_unesc(NULL, line, nl - line) == 0)
			tsv_unesc(line, line, nl - line);	/* never longer */
		map_put(drop, line, NULL);
	}
	free(copy);
	return drop;
}

/* spool_fill_fn: the whole of one temporary file. */
static int
fill_text(int fd, int i, const char *what, void *arg)
{
	(void)i;
	return spill_text_copy(arg, fd, what);
}

/* The file into new/, unless it went there before. */
static int
roll_file(struct rx_spool *sp, const struct rx_journal *j, int applied)
{
	static const char *const subs[] = { "new", "cur", "failed", NULL };
	int rc;

	if (!*j->name || applied || spool_has(sp->area, subs, j->name))
		return 0;
	if (j->ftext)
		rc = spool_deliver_f(sp->area, "new", j->name, j->ftext->len,
		    fill_text, j->ftext);
	else
		rc = spool_deliver(sp->area, "new", j->name, j->file.s,
		    j->file.len);
	if (rc != 0)
		return rc;
	test_point("file");
	return 0;
}

/* The state file written, from t when not NULL, else from b. */
static int
write_state(struct rx_spool *sp, struct spill_text *t, const struct buf *b)
{
	struct iovec one = { NULL, 0 };

	if (!t)
		return spool_write_atomic(sp->state_path, b->s, b->len);
	one.iov_len = t->len;
	return spool_write_atomic_f(sp->state_path, &one, 1, fill_text, t);
}

/* The state, then the polines compaction of the POs now complete (a PO
 * amended since is kept, and opened again in the state: a crash before
 * that leaves the journal, and its rerun finds the PO kept again). */
static int
roll_state(struct rx_spool *sp, const struct rx_journal *j,
    struct rx_state *js)
{
	struct map *drop = drop_set(j);
	struct spill_text t;
	int rc, reopened = 0;

	if ((rc = write_state(sp, j->stext, &j->state)) != 0)
		goto out;
	test_point("state");
	if (!j->drop.len)
		goto out;
	if ((rc = recheck_drop(sp, drop, js, &reopened)) != 0)
		goto out;
	if (reopened) {
		/* as the run wrote it: a piece at a time */
		spill_text_init(&t, sp->statedir);
		if ((rc = rx_state_format_text(js, &t)) == 0)
			rc = write_state(sp, &t, NULL);
		spill_text_free(&t);
		if (rc != 0)
			goto out;
	}
	test_point("compact");
out:
	map_free(drop);
	return rc;
}

int
rx_journal_roll(struct rx_spool *sp, struct rx_journal *j, int *excess_said)
{
	struct rx_state *js = rx_state_new();
	int rc;

	if ((rc = rx_journal_state(j, js, sp->journal_path)) == 0)
		rc = journal_roll(sp, j, js, excess_said);
	rx_state_free(js);
	return rc;
}

/* rx_journal_roll with js, the state the journal holds (parsed, or the
 * run's own that was formatted into it: one copy, not two, of a state
 * that may hold 100,000 receipts and lines); js may be changed. */
static int
journal_roll(struct rx_spool *sp, struct rx_journal *j, struct rx_state *js,
    int *excess_said)
{
	char *path;
	int rc, applied = 0, added = 0;
	size_t fresh = 0;

	if ((rc = roll_applied(sp, js, &applied, &fresh)) != 0)
		return rc;
	if (j->fold.len && (rc = rx_unfold(sp, &j->fold)) != 0)
		return rc;
	if ((rc = roll_file(sp, j, applied)) != 0 ||
	    (rc = rx_excess_write(sp->excess_path, &j->excess, &added)) != 0)
		return rc;
	*excess_said += added;
	metric_add(M_EXCESS_ROWS, added);	/* rows new to excess.csv */
	if ((rc = roll_state(sp, j, js)) != 0)
		return rc;
	metric_add(M_RECEIPTS_EXPORTED, (long long)fresh);
	cursor_gauge(js);
	if (unlink(sp->journal_path) < 0 || fsync_dir(sp->statedir) < 0) {
		msg_warnerr("%s", sp->journal_path);
		return EX_IOERR;
	}
	lock_drop(&sp->pubfd);	/* the fold is done: receipt-push may choose */
	if (*j->name) {
		path = xasprintf("%s/new/%s", sp->area, j->name);
		if (access(path, F_OK) == 0) {
			printf("%s\n", path);
			fflush(stdout);
		}
		free(path);
	}
	return 0;
}

/* -n with a journal: the state it would leave. */
static int
load_dry(struct rx_spool *sp, struct rx_journal *j, struct rx_state *st)
{
	const char *name = rx_journal_name(j);

	msg_warn("%s: an interrupted run would be finished first%s%s",
	    sp->journal_path, *name ? ", writing " : "", name);
	return rx_journal_state(j, st, sp->journal_path);
}

/* An interrupted run's journal, if one is there: finished; with -n, the
 * state it would leave read into st instead (*read set: st is loaded).
 * 0, or a status. */
static int
load_journal(struct rx_spool *sp, struct rx_state *st, int *excess_said,
    int *read)
{
	struct rx_journal j;
	char *data = NULL;
	size_t len;
	int rc, said = 0;

	if (read_file(sp->journal_path, RX_STATE_MAX, &data, &len) < 0) {
		if (errno == ENOENT)
			return 0;
		msg_cannot_read(sp->journal_path);
		return EX_IOERR;
	}
	rc = rx_journal_parse(&j, data, len, sp->journal_path);
	free(data);
	if (rc)
		return rc;
	if (sp->dry) {
		rc = load_dry(sp, &j, st);
		rx_journal_free(&j);
		*read = 1;
		return rc;
	}
	msg_info("%s: finishing an interrupted run", sp->journal_path);
	rc = rx_journal_roll(sp, &j, &said);
	rx_journal_free(&j);
	if (!rc)
		*excess_said = said;
	return rc;
}

int
rx_journal_load(struct rx_spool *sp, struct rx_state *st, int *excess_said)
{
	int rc, read = 0;

	if ((rc = load_journal(sp, st, excess_said, &read)) != 0 || read)
		return rc;
	if ((rc = rx_state_load(st, sp->state_path, RX_STATE_MAX)) < 0) {
		if (errno == ENOENT)
			return 0;	/* the first run */
		msg_cannot_read(sp->state_path);
		return EX_IOERR;
	}
	if (rc == 0)
		cursor_gauge(st);
	return rc;
}
