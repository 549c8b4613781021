/*
 * po-export-parse -- NetSuite's purchase-order CSVs from the SFTP inbox to
 * JSON batches in SPOOL/po/new, one path per batch on stdout.
 *
 * Promises (design.md, contracts.md sections 1, 2, 5):
 * - A remote file is read only once it is complete: unchanged for
 *   po_min_age seconds by the SFTP server's clock (future.h), and the same
 *   size and mtime after the download as in the listing.  It is moved to
 *   po_archive_dir only after every batch made from it is durable in new/
 *   and its PO lines are in the ledger, and only while it is still the
 *   file read: one rewritten under the same name since is left (or put
 *   back) in the inbox for the next run; a rewrite that went with the
 *   move and cannot go back is parsed from the archive at once.  Never
 *   exit 73: all archive names taken is 78, a name taken during the
 *   move the next free one.
 * - The folders it moves files into are made when missing.  A file gone
 *   since the listing is skipped; only a server out of reach stops the
 *   run (69).
 * - Batch names are deterministic: <safename>.<hash16>.<NNNNN>.json, the
 *   hash covering the file's name and content.  A batch already in new/,
 *   cur/ or failed/ is never written again; after all batches of a file,
 *   SPOOL/state/parsed/<hash16> is written, and a file whose marker exists
 *   is only archived.  So kill -9 anywhere and a rerun give each row
 *   exactly once.  A marker lives while its file is in po_dir (a CSV that
 *   cannot be archived is never parsed twice), and keep_days after.
 * - A bad row is rejected alone (stderr, SPOOL/po/rejects/<name>.csv) and
 *   the run exits 65; a file that cannot be used at all (header, not
 *   text, too big) goes to po_error_dir.
 * - Memory does not grow with the file: rows stream through pocsv, at
 *   most PEND_MAX ledger records and OUT_CHUNK bytes of a batch are held.
 * - One read of a file (issue 12, P2): a remote file is parsed as it
 *   downloads (follow), and the hash is computed by the parser's reads
 *   (feed).  A file whole before its parse (read ahead, downloaded, or
 *   local) is hashed first (parsed_before): one parsed before is not
 *   parsed again, and the parse then reads from the page cache.  Until
 *   the last byte is in, the batches and side CSVs are in tmp/ under a
 *   provisional hash, the ledger records held (pend_hold);
 *   then the marker decides (settle): parsed before, all of it is dropped
 *   and no ledger record of the file is ever appended; else it takes its
 *   own names (promote) and is staged.  A download that fails or a file
 *   that changed as it was read leaves none of it.
 * - Flushes grow neither with the batches nor with the files: a run's
 *   files (STAGE_MAX at a time) are written unsynced, batches in tmp/
 *   (stage), then one sync, the batches into new/ and the markers into
 *   parsed/ with one fsync of each (commit_jobs), then the archiving
 *   (commit_run).
 */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "flusher.h"
#include "future.h"
#include "input.h"
#include "lock.h"
#include "metrics.h"
#include "msg.h"
#include "parsedmark.h"
#include "pohash.h"
#include "pocsv.h"
#include "polines.h"
#include "prog.h"
#include "safename.h"
#include "sftp.h"
#include "spool.h"
#include "util.h"
#include "version.h"

#define REJECT_SHOWN	20	/* rejected rows said one by one on stderr */
#define UNIQUE_MAX	1000	/* NAME.1 .. NAME.999 in the archive */
#define PEND_MAX	10000	/* ledger records held before an append */
#define OUT_CHUNK	(64 * 1024)	/* batch bytes written at a time */
#define STAGE_MAX	1000	/* files parsed before their one sync */
#define AHEAD_FILES	64	/* small files read ahead together, at most */
#define AHEAD_FIRST	8	/* ...in a run's first batch, growing or
				 * shrinking with the time one takes (ahead_pace) */
#define AHEAD_BYTES	(2 << 20)	/* bytes of a batch, a file's size each
				 * (the first batch's; grows and shrinks with it) */
#define AHEAD_MS	1000	/* a batch should take no longer: work is
				 * durable only once its batch is in (STAGE_MS) */
#define AHEAD_SIZE	(1 << 20)	/* bytes: a larger file is read alone */
#define AHEAD_SPARE	16	/* fds the run keeps for its own files */
#define STREAM_MIN	(4 << 20)	/* bytes from which a file is parsed as
				 * it downloads (follow): below, the gain is
				 * under a tenth of a second, and a backlog
				 * of small files pays no thread a file */
#define STAGE_MS	2000	/* ...or this long since the first of them:
				 * a kill loses no more than that of work */

struct run {
	struct config cfg;
	int dry;
	char *po_area;		/* SPOOL/po */
	char *parsed_dir;	/* SPOOL/state/parsed */
	struct sftp *sftp;
	struct pohash_old old;	/* files the spool may hold by the old
				 * hash's names (pohash_legacy) */
	int hash_st;		/* EX_IOERR: SPOOL/state/po-hash not written */
	struct future future;	/* SPOOL/state/po-future (future.h) */
	struct flusher *fl;	/* closes the batches (flusher.h) */
	unsigned long made;	/* batches made this run: their mtimes' ns */
	unsigned long nprov;	/* files parsed this run: provisional names */
	int archive_st, error_st;	/* po_archive_dir, po_error_dir:
					 * FOLDER_UNSEEN, 0 there, else why not */
	int raw_unsynced;	/* raw copies not fsync'd yet (download) */
	struct staged *stg;	/* files parsed, waiting for the run's sync */
	size_t nstg, stgcap;
	int64_t stg_since;	/* mono_ms() when the first was staged */
	struct ahead *ahead;	/* small files read ahead (read_ahead) */
	struct sftp_req *areq;	/* their reads, as sftp_fetch_many answered */
	size_t nahead;
	size_t ahead_end;	/* the listing's index read_ahead looked to */
	size_t ahead_want;	/* files the next batch may hold (ahead_pace) */
};

/* What became of a CSV read (parse_file). */
enum outcome {
	DONE,		/* parsed, now or by an earlier run: archive it */
	UNUSABLE,	/* not usable at all: to po_error_dir */
	RETRY,		/* a local error (said): stays, read again next run */
	UNREAD		/* its download failed, or it changed as it was
			 * read: *status the download's (future_fetch) */
};

/* A folder posync moves files into, not looked at yet this run
 * (folder_ready); once looked at, 0 or the exit status saying why not. */
#define FOLDER_UNSEEN	(-1)

/* A CSV beside the rejects (rejected rows, recovered rows), opened at its
 * first row and committed with the file's last batch: SAFE.HASH16 and
 * suffix, in tmp/ under the provisional hash until the file's end. */
struct side {
	FILE *fp;		/* NULL: not open */
	const char *suffix;
	int named;	/* in tmp/ under the file's own hash (promote) */
	int err;	/* the first write's errno that failed, else 0 */
};

struct feed;

/* One CSV being turned into batches. */
struct job {
	char *mtmp;		/* its marker, written but not renamed yet */
	struct run *run;
	const char *name;	/* as NetSuite named it (any bytes) */
	char *qname;		/* quoted for messages */
	char *safe;
	char hash[17];		/* "" until the whole file is read (feed) */
	char old[17];		/* the old hash too, "" unless legacy
				 * (pohash.h): marker_settles or old_names
				 * may name the file by it */
	char prov[17];		/* its output's hash until then: provisional */
	unsigned long serial;	/* this run's number for it: its prov, the
				 * flusher's tag */
	struct feed *feed;	/* where its bytes come from */
	unsigned long rows, good, rejected, recovered, batches;
	unsigned long written;	/* batches this run wrote in tmp/ */
	/* the batch being written: in tmp/ until the file's end (publish) */
	int bfd;		/* -1: none open */
	char *btmp;		/* its path */
	struct buf out;		/* its bytes not written yet */
	int open, published;
	size_t inbatch;
	struct polines_text pend;	/* ledger records not appended yet */
	int held;		/* records held until the hash is known: an
				 * unnamed file in tmp/ (pend_hold); -1 none */
	struct buf said;	/* rows to say once the hash is known */
	time_t exported;	/* when NetSuite exported it, by the server's
				 * clock: its batches' order (batch_close) */
	time_t seen;		/* when posync took it: its polines records'
				 * time (polines.h), never before exported */
	struct side rej, rec;	/* rejected rows, recovered rows */
	int status;
};

/* A remote file parsed this run, its batches, ledger records, side CSVs
 * and marker written but not durable yet: archived only after the run's
 * sync (commit_run), never before. */
struct staged {
	struct job *job;
	const struct sftp_entry *e;	/* as listed: put_away's recheck */
	char *remote;
	int st;			/* its status so far */
};

/* A small file read ahead (read_ahead) into po/tmp, not taken yet. */
struct ahead {
	const struct sftp_entry *e;
	struct spool_file sf;
	int open;		/* sf still to commit or abort */
};

/* ---------------------------------------------------------------- output */

static void
print_path(const char *dir, const char *name)
{
	printf("%s/new/%s\n", dir, name);
	fflush(stdout);		/* the consumer may act on it at once */
}

/* ---------------------------------------------------------------- ledger */

static int pend_hold(struct job *j);

/*
 * A row's ledger record waits until the file's hash is known: a file
 * whose marker exists (an old file uploaded again) never appends its
 * records, which would set its lines' quantities back.  PEND_MAX of them
 * wait in memory, then in an unnamed file in tmp/ (pend_hold: memory
 * stays flat for millions of rows).  At the file's end they are all
 * appended, unsynced (pend_flush), and the run's sync makes them durable
 * (commit_jobs) before any batch of the file goes into new/ (publish):
 * so the ledger is always ahead of new/.
 */
static int
pend_add(struct job *j, const struct pocsv_row *row)
{
	struct poline rec;
	int r;

	if (j->run->dry || !pocsv_poline(row, &rec))
		return 0;
	if (j->pend.n >= PEND_MAX && (r = pend_hold(j)) != 0)
		return r;
	if (polines_text_put(&j->pend, &rec, row->polen, row->itemlen) < 0) {
		msg_warn("internal error: %s: line %lu: an empty PO or line id "
		    "for the ledger", j->qname, row->line);
		return EX_SOFTWARE;
	}
	return 0;
}

static char *out_name(const struct job *j, const char *hash,
    const char *suffix);

/*
 * The job's file SAFE.PROV and suffix created in tmp/ (job_new: a name
 * no remote file's can be), O_EXCL all the same: a name met there is
 * said, never a file overwritten.  rw: read back too, and the process's
 * own (the held records).  The fd, *tmp its path; -1 said.
 */
static int
prov_create(const struct job *j, const char *suffix, int rw, char **tmp)
{
	char *name = out_name(j, j->prov, suffix);
	int fd = -1;

	*tmp = spool_tmp_path(j->run->po_area, name);
	if (!spool_name_ok(name, NULL))
		msg_warn("internal error: %s is not a valid spool file name",
		    *tmp);
	else if ((fd = open(*tmp, (rw ? O_RDWR : O_WRONLY) | O_CREAT | O_EXCL |
	    O_CLOEXEC | O_NOFOLLOW, rw ? 0600 : 0640)) < 0)
		msg_warnerr("cannot create %s", *tmp);
	if (fd < 0) {
		free(*tmp);
		*tmp = NULL;
	}
	free(name);
	return fd;
}

/* The held records' file: no name, gone with the process however it ends. */
static int
held_open(struct job *j)
{
	char *tmp;
	int fd;

	if ((fd = prov_create(j, ".ledger", 1, &tmp)) >= 0 && unlink(tmp) < 0) {
		msg_warnerr("cannot remove %s", tmp);
		close(fd);
		fd = -1;
	}
	free(tmp);
	return fd;
}

/* The records in memory, sealed, to the held file: their length, then
 * the ledger's text. */
static int
pend_hold(struct job *j)
{
	size_t len;

	if (!j->pend.n)
		return 0;
	if (j->held < 0 && (j->held = held_open(j)) < 0)
		return EX_IOERR;
	polines_text_seal(&j->pend, j->seen);
	len = j->pend.text.len;
	if (write_all(j->held, &len, sizeof len) < 0 ||
	    write_all(j->held, j->pend.text.s, len) < 0) {
		msg_warnerr("cannot write the ledger records of %s held in %s/tmp",
		    j->qname, j->run->po_area);
		return EX_IOERR;
	}
	polines_text_reset(&j->pend);
	return 0;
}

/* n bytes from fd: 1, 0 at its end before any, -1 (errno; EIO when cut). */
static int
read_exact(int fd, void *p, size_t n)
{
	size_t got = 0;
	ssize_t r;

	while (got < n) {
		r = read(fd, (char *)p + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r == 0 && got == 0)
				return 0;
			if (r == 0)
				errno = EIO;
			return -1;
		}
		got += (size_t)r;
	}
	return 1;
}

/* Every record of the file, held and in memory, into the ledger: only
 * once its hash is known and its marker is not there (stage).  The held
 * texts are read back into the text in memory, one at a time. */
static int
pend_flush(struct job *j)
{
	const char *spool = j->run->cfg.spool.dir;
	struct polines_text t = {0};
	size_t len;
	int r = 0, k = 0;

	if (j->held >= 0 && lseek(j->held, 0, SEEK_SET) < 0)
		k = -1;
	while (j->held >= 0 && r == 0 && k == 0 &&
	    (k = read_exact(j->held, &len, sizeof len)) > 0) {
		polines_text_reset(&t);
		if ((k = read_exact(j->held, buf_room(&t.text, len), len)) > 0) {
			buf_grew(&t.text, len);
			r = polines_append_text(spool, &t);
		}
		k = k > 0 ? 0 : -1;
	}
	if (k < 0) {
		msg_warnerr("cannot read back the ledger records of %s held "
		    "in %s/tmp", j->qname, j->run->po_area);
		r = EX_IOERR;
	}
	polines_text_free(&t);
	if (r == 0) {
		polines_text_seal(&j->pend, j->seen);
		r = polines_append_text(spool, &j->pend);
	}
	polines_text_reset(&j->pend);
	/* read back: its descriptor and its space go now, not at the
	 * commit (STAGE_MAX staged files would hold as many fds) */
	if (j->held >= 0)
		close(j->held);
	j->held = -1;
	return r;
}

/* ---------------------------------------------------------------- batches */

/* A file's output names: SAFE.HASH16 and a suffix, hash its own once
 * the file was read whole (j->hash), else its provisional one. */
static char *
out_name(const struct job *j, const char *hash, const char *suffix)
{
	return xasprintf("%s.%s%s", j->safe, hash, suffix);
}

/* Batch n's suffix: .NNNNN.json */
#define BATCH_SFX_MAX	32
static void
batch_sfx(char sfx[BATCH_SFX_MAX], unsigned long n)
{
	snprintf(sfx, BATCH_SFX_MAX, ".%05lu.json", n);
}

static char *
batch_name(const struct job *j, const char *hash, unsigned long n)
{
	char sfx[BATCH_SFX_MAX];

	batch_sfx(sfx, n);
	return out_name(j, hash, sfx);
}

/* Each batch is written under the provisional hash (job_new): its own
 * is known only at the file's end, when promote names it. */
static int
batch_open(struct job *j)
{
	char sfx[BATCH_SFX_MAX], *name;
	int r = 0;

	j->batches++;
	j->inbatch = 0;
	j->open = 1;
	if (j->run->dry)
		return 0;
	batch_sfx(sfx, j->batches);
	name = out_name(j, j->prov, sfx);
	if (!spool_name_ok(name, ".json") || strlen(name) > SPOOL_BATCH_MAX) {
		/* only past 999,999 batches of one file (safename.h): the
		 * name must leave room for po-import's STEM.rows.json */
		msg_warn("%s: more batches than a spool name can number", j->qname);
		free(name);
		j->open = 0;
		return EX_SOFTWARE;
	}
	free(name);
	if ((j->bfd = prov_create(j, sfx, 0, &j->btmp)) < 0) {
		r = EX_IOERR;
		j->open = 0;
	} else {
		j->written++;
		buf_addc(&j->out, '[');
	}
	return r;
}

static int
batch_write(struct job *j)
{
	if (j->out.len && write_all(j->bfd, j->out.s, j->out.len) < 0) {
		msg_warnerr("cannot write %s", j->btmp);
		return EX_IOERR;
	}
	buf_reset(&j->out);
	return 0;
}

/* The batch written out and closed, in tmp/ until publish, with the time
 * it is to have in new/: new/'s order is NetSuite's (spool.h,
 * spool_list_entered): the export's time, and the ns count the batches of
 * the run. */
static int
batch_close(struct job *j)
{
	struct timespec t[2] = { { 0, UTIME_OMIT },
	    { j->exported, (long)(++j->run->made % 1000000000) } };
	int r;

	j->open = 0;
	if (j->run->dry)
		return 0;
	buf_adds(&j->out, "\n]\n");
	if ((r = batch_write(j)) == 0 && futimens(j->bfd, t) < 0) {
		msg_warnerr("cannot set the time of %s", j->btmp);
		r = EX_IOERR;
	}
	/* closed, its writeback begun, on the flusher's thread: a failed
	 * close fails this file alone (commit_jobs) */
	flusher_close(j->run->fl, j->bfd,
	    xasprintf("batch %lu of %s", j->batches, j->qname), j->serial);
	j->bfd = -1;
	free(j->btmp);
	j->btmp = NULL;
	/* a crash with a file part parsed: issue 12's tests */
	test_point("batch-closed");
	return r;
}

static int
batch_add(struct job *j, const struct pocsv_row *row)
{
	int r;

	if (!j->open && (r = batch_open(j)) != 0)
		return r;
	if (!j->run->dry) {
		if (j->inbatch)
			buf_add(&j->out, ",\n", 2);
		else
			buf_addc(&j->out, '\n');
		pocsv_json(&j->out, row);
		if (j->out.len >= OUT_CHUNK && (r = batch_write(j)) != 0)
			return r;
	}
	j->good++;
	if (++j->inbatch >= (size_t)j->run->cfg.hotwax.batch_size)
		return batch_close(j);
	return 0;
}

/*
 * A file's batches from tmp/ into new/, once the run's sync made their
 * content and the ledger durable (commit_jobs); *wrote when one moved.
 * new/ is fsync'd once for all files.  A crash anywhere leaves batches in
 * new/ whole or not there, and the marker not there: the rerun writes
 * the missing ones (the names are the same) and names again those still
 * in new/.
 */
static int
publish(struct job *j, int *wrote)
{
	const char *area = j->run->po_area;
	unsigned long n, moved = 0;
	char *name;
	int r = 0;

	for (n = 1; n <= j->batches && r == 0; n++) {
		name = batch_name(j, j->hash, n);
		if ((r = spool_publish(area, "new", name)) == 0) {
			*wrote = 1;
			moved++;
			msg_info("%s: wrote %s/new/%s", j->qname, area, name);
		}
		r = r == SPOOL_NO_TMP ? 0 : r;
		free(name);
	}
	/* a batch this run wrote is gone from tmp/ (removed by hand, or by
	 * another program's clean-up): the file is not marked nor archived,
	 * and the next run writes the batch again */
	if (r == 0 && moved != j->written) {
		msg_warn("%s: %lu of its %lu batches written in %s/tmp went "
		    "missing before they were published: it stays, to be "
		    "parsed again", j->qname, j->written - moved, j->written,
		    area);
		r = EX_IOERR;
	}
	j->published = r == 0;
	return r;
}

/* Each batch of the file in new/ named on stdout, in order. */
static void
name_batches(struct job *j)
{
	static const char *const newonly[] = { "new", NULL };
	unsigned long n;
	char *name;

	for (n = 1; n <= j->batches; n++) {
		name = batch_name(j, j->hash, n);
		if (spool_has(j->run->po_area, newonly, name))
			print_path(j->run->po_area, name);
		free(name);
	}
}

/* tmp/'s file of this process named SAFE.HASH16 and suffix removed. */
static void
unlink_tmp(const struct job *j, const char *hash, const char *suffix)
{
	char *name = out_name(j, hash, suffix);
	char *tmp = spool_tmp_path(j->run->po_area, name);

	if (unlink(tmp) < 0 && errno != ENOENT)
		msg_warnerr("cannot remove %s", tmp);
	free(tmp);
	free(name);
}

/* tmp/'s file of this process SAFE.PROV and suffix to SAFE.HASH16 and
 * suffix: 0 or EX_IOERR, said. */
static int
rename_tmp(const struct job *j, const char *suffix)
{
	char *from = out_name(j, j->prov, suffix), *to = out_name(j, j->hash, suffix);
	char *tf = spool_tmp_path(j->run->po_area, from);
	char *tt = spool_tmp_path(j->run->po_area, to);
	int r = 0;

	if (rename(tf, tt) < 0) {
		msg_warnerr("cannot rename %s to %s", tf, tt);
		r = EX_IOERR;
	}
	free(tf);
	free(tt);
	free(from);
	free(to);
	return r;
}

/* A file given up: its batches not published are removed from tmp/,
 * under either name (promote may have named some). */
static void
unpublish(struct job *j)
{
	char sfx[BATCH_SFX_MAX];
	unsigned long n;

	if (j->bfd >= 0)
		close(j->bfd);
	j->bfd = -1;
	free(j->btmp);
	j->btmp = NULL;
	if (j->run->dry || j->published)
		return;
	for (n = 1; n <= j->batches; n++) {
		batch_sfx(sfx, n);
		unlink_tmp(j, j->prov, sfx);
		if (j->hash[0])
			unlink_tmp(j, j->hash, sfx);
	}
}

static int side_name(struct job *j, struct side *sd);

/* The rows of the batch at path (a row a line of its own, "{..."), or
 * -1 when it cannot be read. */
static long
batch_rows(const char *path)
{
	char b[65536];
	ssize_t r, i;
	long rows = 0;
	int fd, nl = 0;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	while ((r = read(fd, b, sizeof b)) > 0 || (r < 0 && errno == EINTR))
		for (i = 0; i < r; i++) {
			rows += nl && b[i] == '{';
			nl = b[i] == '\n';
		}
	close(fd);
	return r < 0 ? -1 : rows;
}

/*
 * Batch n (name, in po/sub) was published by a run killed before the
 * file's marker, and this run cut batch n again: the same rows only if
 * the batch size did not change in between (the rows counted, not the
 * bytes: a date format changed since writes the same rows otherwise).  Were it
 * changed, skipping the batch would lose rows and writing it would send
 * some twice: the file stays in the inbox (78, said) until batch_size
 * is what it was.  0 when the same.
 */
static int
same_cut(struct job *j, const char *sub, const char *name, unsigned long n)
{
	long bs = j->run->cfg.hotwax.batch_size, was, now;
	char *pub = xasprintf("%s/%s/%s", j->run->po_area, sub, name);

	/* this run's batch n: full but the last (still open, maybe) */
	now = n < j->batches ? bs : (long)j->good - (long)(j->batches - 1) * bs;
	was = batch_rows(pub);
	if (was < 0 || was == now) {
		free(pub);
		return 0;	/* unreadable: as before, by name */
	}
	msg_warn("%s: %s holds %ld rows where this run cuts %ld: batch_size "
	    "changed since a run published it and was killed; the file stays "
	    "in the inbox until batch_size is set back (to %ld, unless that "
	    "was the file's last batch)", j->qname, pub, was, now, was);
	free(pub);
	return EX_CONFIG;
}

/*
 * The file read whole, its hash known (j->hash) and its marker not there:
 * its batches and side CSVs go from their provisional names to their own,
 * in tmp/.  A batch already in new/, cur/ or failed/ (a run that died
 * wrote it) is not written again: the provisional one is removed, and so
 * is a leftover of an earlier process of our pid under its own name in
 * tmp/ (never published as it); publish names again those in new/.
 */
static int
promote(struct job *j)
{
	static const char *const all[] = { "new", "cur", "failed", NULL };
	char sfx[BATCH_SFX_MAX], *name;
	const char *sub;
	unsigned long n;
	int r = 0;

	if (j->run->dry)
		return 0;
	for (n = 1; n <= j->batches && r == 0; n++) {
		batch_sfx(sfx, n);
		name = out_name(j, j->hash, sfx);
		if ((sub = spool_which(j->run->po_area, all, name))) {
			if ((r = same_cut(j, sub, name, n)) != 0) {
				free(name);
				break;
			}
			unlink_tmp(j, j->prov, sfx);
			unlink_tmp(j, j->hash, sfx);
			j->written--;
		} else
			r = rename_tmp(j, sfx);
		free(name);
	}
	if (r == 0)
		r = side_name(j, &j->rej);
	if (r == 0)
		r = side_name(j, &j->rec);
	return r;
}

/* ---------------------------------------------------------------- rejects */

#define REJECTS_SUFFIX	".csv"

static char *
rejects_name(struct job *j)
{
	return out_name(j, j->hash, REJECTS_SUFFIX);
}

static char *
recovered_name(struct job *j)
{
	return out_name(j, j->hash, SPOOL_RECOVERED_SUFFIX);
}

/* The side CSV's stream, created under the provisional hash with its
 * header line at the first row; NULL with *r set when it cannot be. */
static FILE *
side_fp(struct job *j, struct side *sd, const char *header, int *r)
{
	char *tmp;
	int fd;

	*r = 0;
	if (sd->fp)
		return sd->fp;
	if ((fd = prov_create(j, sd->suffix, 0, &tmp)) < 0)
		*r = EX_IOERR;
	else if (!(sd->fp = fdopen(fd, "w"))) {
		msg_warnerr("cannot create %s", tmp);
		close(fd);
		unlink(tmp);
		*r = EX_IOERR;
	} else
		fputs(header, sd->fp);
	free(tmp);
	return sd->fp;
}

/* The side CSV written out and given its own name in tmp/ (promote). */
static int
side_name(struct job *j, struct side *sd)
{
	int r = 0, e = 0;

	if (!sd->fp)
		return 0;
	/* the errno of the write that failed, not one left by a later call */
	if (fflush(sd->fp) != 0)
		e = errno;
	else if (ferror(sd->fp))
		e = sd->err ? sd->err : EIO;
	if (fclose(sd->fp) != 0 && !e)
		e = errno;
	if (e) {
		errno = e;
		msg_warnerr("cannot write %s/tmp/%s.%s%s.%ld", j->run->po_area,
		    j->safe, j->prov, sd->suffix, (long)getpid());
		r = EX_IOERR;
	}
	sd->fp = NULL;
	if (r == 0 && (r = rename_tmp(j, sd->suffix)) == 0)
		sd->named = 1;
	return r;
}

/* Into rejects/ when the file's rows were all read (r == 0), unsynced:
 * the run's sync (commit_jobs) makes it durable before the marker is
 * there, and until the marker is, a rerun writes it again.  Else (or a
 * file given up, r != 0) removed from tmp/ under either name. */
static int
side_finish(struct job *j, struct side *sd, int r)
{
	char *name;

	if (sd->fp) {
		fclose(sd->fp);
		sd->fp = NULL;
		sd->named = 0;
	}
	if (!sd->named)
		unlink_tmp(j, j->prov, sd->suffix);
	else if (r == 0) {
		name = out_name(j, j->hash, sd->suffix);
		r = spool_publish(j->run->po_area, "rejects", name);
		r = r == SPOOL_NO_TMP ? EX_IOERR : r;
		free(name);
	} else
		unlink_tmp(j, j->hash, sd->suffix);
	sd->named = 0;
	return r;
}

/* A row said once the file's hash is known, and only when it was not
 * parsed before (already_parsed says only its counts): at most
 * REJECT_SHOWN of each kind are kept. */
static void
say_later(struct job *j, int warn, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void
say_later(struct job *j, int warn, const char *fmt, ...)
{
	va_list ap;

	buf_addc(&j->said, warn ? 'w' : 'i');
	va_start(ap, fmt);
	buf_vaddf(&j->said, fmt, ap);
	va_end(ap);
	buf_addc(&j->said, '\0');
}

static void
say_now(struct job *j)
{
	const char *s = j->said.s, *end = j->said.s + j->said.len;

	for (; s && s < end; s += strlen(s) + 1) {
		if (*s == 'w')
			msg_warn("%s", s + 1);
		else
			msg_info("%s", s + 1);
	}
	buf_free(&j->said);
}

static int
reject(struct job *j, const struct pocsv_row *row)
{
	FILE *fp;
	int r;

	j->rejected++;
	if (j->rejected <= REJECT_SHOWN)
		say_later(j, 1, "%s: line %lu: %s", j->qname, row->line, row->reason);
	if (j->run->dry)
		return 0;
	if (!(fp = side_fp(j, &j->rej, POCSV_REJECTS_HEADER, &r)))
		return r;
	if (pocsv_reject_csv(fp, row) < 0 && !j->rej.err)
		j->rej.err = errno;
	return 0;
}

/* A row whose SKU held commas, read NetSuite's way (contracts.md 1): kept,
 * but never silently.  -v names it; SPOOL/po/rejects/NAME.recovered.csv
 * keeps file, line, raw row and the SKU read, for a person to check. */
static int
recovered(struct job *j, const struct pocsv_row *row)
{
	char *q;
	FILE *fp;
	int r;

	j->recovered++;
	if (j->recovered <= REJECT_SHOWN) {
		q = msg_quote(row->sku, strlen(row->sku));
		say_later(j, 0, "%s: line %lu: recovered: the extra commas are "
		    "taken as part of product-sku %s", j->qname, row->line, q);
		free(q);
	}
	if (j->run->dry)
		return 0;
	if (!(fp = side_fp(j, &j->rec, POCSV_RECOVERED_HEADER, &r)))
		return r;
	if (pocsv_recovered_csv(fp, j->name, row) < 0 && !j->rec.err)
		j->rec.err = errno;
	return 0;
}

/* ---------------------------------------------------------------- files */

/*
 * A download on a thread of its own, its bytes parsed by the main thread
 * as they arrive.  The thread owns the SFTP session until follow_join
 * (libssh2: one thread at a time); it writes the raw copy (future_fetch,
 * the second look included) and says how far it got (follow_progress).
 * The parser reads the copy only that far and never makes the download
 * wait: a parse that stops early (a header unusable) leaves it to finish
 * into the copy, and nothing can stall on a full pipe or die of SIGPIPE.
 */
struct follow {
	pthread_t t;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	uint64_t done;		/* bytes in the copy */
	int fin, st;		/* the download over; its status */
	int started, joined;
	struct run *run;
	const struct sftp_entry *e;
	const char *remote;
	const char *q;		/* progress on a terminal (progress), or NULL */
	int wfd;		/* the copy, written by the thread */
};

static void progress(uint64_t done, uint64_t total, void *arg);

static void
follow_progress(uint64_t done, uint64_t total, void *arg)
{
	struct follow *fw = arg;

	/* a stop with the download begun, not over: issue 12's tests */
	if (!fw->done)
		test_point("downloading");
	pthread_mutex_lock(&fw->mu);
	fw->done = done;
	pthread_cond_signal(&fw->cv);
	pthread_mutex_unlock(&fw->mu);
	if (fw->q)
		progress(done, total, (void *)fw->q);
}

static void *
follow_main(void *arg)
{
	struct follow *fw = arg;
	int st;

	st = future_fetch(fw->run->sftp, fw->e, fw->remote, "the inbox", fw->wfd,
	    (uint64_t)fw->run->cfg.netsuite.po_max_size);
	pthread_mutex_lock(&fw->mu);
	fw->fin = 1;
	fw->st = st;
	pthread_cond_signal(&fw->cv);
	pthread_mutex_unlock(&fw->mu);
	return NULL;
}

static void
follow_start(struct follow *fw, struct run *run, const struct sftp_entry *e,
    const char *remote, int wfd, const char *q)
{
	memset(fw, 0, sizeof *fw);
	pthread_mutex_init(&fw->mu, NULL);
	pthread_cond_init(&fw->cv, NULL);
	fw->run = run;
	fw->e = e;
	fw->remote = remote;
	fw->wfd = wfd;
	fw->q = q;
	sftp_set_progress(run->sftp, follow_progress, fw);
	if (pthread_create(&fw->t, NULL, follow_main, fw) == 0)
		fw->started = 1;
	else
		follow_main(fw);	/* no thread: the download, then the parse */
}

/* How many of n bytes from off on are in the copy, waiting for one at
 * least; 0: the download is over, whole; -1: it failed (follow_join). */
static ssize_t
follow_wait(struct follow *fw, uint64_t off, size_t n)
{
	uint64_t have;
	ssize_t r;

	pthread_mutex_lock(&fw->mu);
	while (fw->done <= off && !fw->fin)
		pthread_cond_wait(&fw->cv, &fw->mu);
	have = fw->done > off ? fw->done - off : 0;
	r = have ? (ssize_t)(have < n ? have : n) : fw->st ? -1 : 0;
	pthread_mutex_unlock(&fw->mu);
	return r;
}

/* The download over, the session the main thread's again: its status. */
static int
follow_join(struct follow *fw)
{
	if (fw->joined)
		return fw->st;
	if (fw->started)
		pthread_join(fw->t, NULL);
	fw->joined = 1;
	sftp_set_progress(fw->run->sftp, NULL, NULL);
	pthread_cond_destroy(&fw->cv);
	pthread_mutex_destroy(&fw->mu);
	return fw->st;
}

/*
 * The bytes of a CSV as pocsv reads them (feed_read): hashed on the way,
 * so the content hash costs no second read of the file.  From a file
 * (fw NULL), or from a download still arriving (follow).  The hash is
 * pohash.h's, over the name and the content: the same file gives the
 * same batch names, on a rerun and when given as a local file.
 */
struct feed {
	int fd;
	struct pohash h;
	uint64_t off;		/* bytes read */
	int end;		/* 1: all read and hashed; -1: a read failed */
	struct follow *fw;
};

static void
feed_init(struct feed *f, const struct run *run, int fd, const char *name,
    struct follow *fw)
{
	memset(f, 0, sizeof *f);
	f->fd = fd;
	f->fw = fw;
	pohash_init(&f->h, name, pohash_old_for(&run->old, name));
}

static ssize_t
feed_read(void *arg, void *b, size_t n)
{
	struct feed *f = arg;
	ssize_t r;

	if (f->end)
		return f->end > 0 ? 0 : (errno = EIO, -1);
	if (!f->fw)		/* pread: a file may be fed twice (parsed_before) */
		r = pread(f->fd, b, n, (off_t)f->off);
	else if ((r = follow_wait(f->fw, f->off, n)) > 0)
		r = pread(f->fd, b, (size_t)r, (off_t)f->off);
	else if (r < 0)
		errno = EIO;	/* the download failed: said by follow_join's caller */
	if (r > 0) {
		pohash_add(&f->h, b, (size_t)r);
		f->off += (uint64_t)r;
	} else if (r == 0)
		f->end = 1;
	else if (errno != EINTR)
		f->end = -1;
	return r;
}

/* The bytes not read yet read (and hashed), to the feed's end. */
static void
feed_drain(struct feed *f)
{
	char *b;
	ssize_t r;

	if (f->end)
		return;
	b = xmalloc(1 << 16);
	while ((r = feed_read(f, b, 1 << 16)) > 0 || (r < 0 && errno == EINTR))
		;
	free(b);
}

/* The feed's end: with drain, the bytes the parse left read (and hashed);
 * a download waited for.  0, or the download's status. */
static int
feed_end(struct feed *f, int drain)
{
	if (drain)
		feed_drain(f);
	return f->fw ? follow_join(f->fw) : 0;
}

static void
feed_free(struct feed *f)
{
	pohash_free(&f->h);
}

/* The content hash once every byte was read, and the old one when the
 * spool may hold its names (pohash.h): 1, else 0. */
static int
feed_hash(const struct feed *f, char cur[17], char old[17])
{
	if (f->end != 1)
		return 0;
	pohash_hex(&f->h, cur, old);
	return 1;
}

static char *
marker_path(struct job *j)
{
	return parsedmark_path(j->run->parsed_dir, j->hash);
}

/*
 * A marker, SPOOL/state/parsed/<hash16>, says a file was parsed: a file
 * whose marker exists is only archived.  Its text is parsedmark.h's: the
 * counts, and the file's own name, by which prune_markers keeps a marker
 * while a file of that name is on the server.  A marker of an older
 * posync (no version line, no "file" line, or empty) still counts, and
 * is brought to the current form the next time its file is seen.
 */

/* Name again the batches of an already parsed file still waiting in new/. */
static void
reprint_waiting(struct job *j)
{
	char *dir = path_join(j->run->po_area, "new"), **v, *prefix;
	size_t i, n, pl;

	prefix = xasprintf("%s.%s.", j->safe, j->hash);
	pl = strlen(prefix);
	if (spool_list(dir, ".json", &v, &n) == 0) {
		for (i = 0; i < n; i++)
			if (strncmp(v[i], prefix, pl) == 0)
				print_path(j->run->po_area, v[i]);
		spool_list_free(v);
	}
	free(prefix);
	free(dir);
}

/* An older posync's marker gets the file's name (from now on it lives
 * as long as the file stays on the server) and the version line, once.
 * A failure only leaves it as it was (pruned by age, as then): said.
 * A later posync's marker is left as it is (parsedmark_upgrade), said. */
static void
marker_upgrade(struct job *j, const char *marker, const char *data, size_t len)
{
	const char *what;
	char *text, *subject;

	if (parsedmark_later(data)) {
		subject = xasprintf("its marker %s was", marker);
		version_later_said(j->qname, subject, data,
		    PARSEDMARK_VERSION_LINE, "read as this posync reads its "
		    "own, left as it is");
		free(subject);
		return;
	}
	if (j->run->dry)
		return;
	text = parsedmark_upgrade(data, len, j->name, &what);
	if (text && spool_write_atomic(marker, text, strlen(text)) == 0)
		msg_info("%s: its marker %s now %s", j->qname, marker, what);
	free(text);
}

/* A file parsed before (its marker exists): report it as then.  A marker
 * that cannot be read still says the file was parsed (it is never parsed
 * twice), but not whether rows were rejected: said, and 65 for a person
 * to look. */
static int
already_parsed(struct job *j, const char *marker)
{
	struct parsedmark_counts c = { 0 };
	const char *why = NULL;
	char *data, *rj;
	size_t len;

	if (parsedmark_read(marker, &data, &len, &why) < 0)
		why = strerror(errno);
	else {
		if (!why) {
			parsedmark_counts(data, &c);
			marker_upgrade(j, marker, data, len);
		}
		free(data);
	}
	if (why)
		msg_warn("%s: its marker %s cannot be read (%s): taken as parsed "
		    "(a file is never parsed twice), but whether rows were "
		    "rejected is unknown: look at the file and the marker",
		    j->qname, marker, why);
	msg_info("%s: parsed before (%s)", j->qname, marker);
	if (!j->run->dry)
		reprint_waiting(j);
	if (why)
		return EX_DATAERR;
	if (!c.rejected)
		return 0;
	rj = rejects_name(j);
	msg_warn("%s: parsed before: %lu of %lu rows were rejected, listed in %s/rejects/%s",
	    j->qname, c.rejected, c.rows, j->run->po_area, rj);
	free(rj);
	return EX_DATAERR;
}

/* After the rows said one by one, the count and where they all are. */
static void
say_rejects(struct job *j)
{
	char *rj, *where;

	if (!j->rejected)
		return;
	rj = rejects_name(j);
	where = j->run->dry ? xstrdup("") :
	    xasprintf(", listed in %s/rejects/%s", j->run->po_area, rj);
	if (j->rejected > REJECT_SHOWN)
		msg_warn("%s: %lu more rows rejected (%lu of %lu)%s", j->qname,
		    j->rejected - REJECT_SHOWN, j->rejected, j->rows, where);
	else
		msg_warn("%s: %lu of %lu rows rejected%s", j->qname, j->rejected,
		    j->rows, where);
	free(where);
	free(rj);
}

/* A file is counted once, as its marker makes it parsed: a run that
 * stopped before (killed, or the marker not written) counted nothing,
 * and the run that finishes it counts it all. */
static void
count_parsed(const struct job *j)
{
	metric_add(M_CSV_FILES, 1);
	metric_add(M_ROWS_ACCEPTED, (long long)j->good);
	metric_add(M_ROWS_REJECTED, (long long)j->rejected);
	metric_add(M_ROWS_RECOVERED, (long long)j->recovered);
}

static void say_parsed(struct job *j);

/* Everything made from the file written, nothing synced: the batches in
 * tmp/, the ledger records appended, the side CSVs in rejects/, the
 * marker beside its name.  commit_jobs makes them durable and final. */
static int
stage(struct job *j)
{
	struct parsedmark_counts counts = { j->rows, j->rejected, j->batches,
	    j->recovered };
	char *marker, *data;
	int r = 0;

	if (j->open)
		r = batch_close(j);
	if (r == 0 && j->run->dry)
		return 0;
	if (r == 0)
		r = pend_flush(j);
	r = side_finish(j, &j->rej, r);
	r = side_finish(j, &j->rec, r);
	if (r)
		return r;
	/* a staged job holds no buffer: memory stays flat over STAGE_MAX */
	polines_text_free(&j->pend);
	buf_free(&j->out);
	marker = marker_path(j);
	/* a file that keeps the old hash's name says so (pohash.h) */
	data = parsedmark_text(j->name, &counts, strcmp(j->hash, j->old) != 0);
	j->mtmp = xasprintf("%s.tmp.%ld", marker, (long)getpid());
	if (spool_write_unsynced(j->mtmp, data, strlen(data)) != 0) {
		/* said; the batches still go (mark says what it means) */
		free(j->mtmp);
		j->mtmp = NULL;
	}
	free(data);
	free(marker);
	return 0;
}

/* The marker into its name: the file counts as parsed from now on. */
static int
mark(struct job *j)
{
	char *marker = marker_path(j);
	int r = 0;

	if (!j->mtmp || rename(j->mtmp, marker) < 0) {
		if (j->mtmp) {
			msg_warnerr("cannot rename %s to %s", j->mtmp, marker);
			unlink(j->mtmp);
		}
		msg_warn("%s: its batches are written, but not its marker %s: "
		    "the file stays where it is and is read again by the next "
		    "run (its batches are not written twice)", j->qname, marker);
		r = EX_IOERR;
	} else
		count_parsed(j);
	free(j->mtmp);
	j->mtmp = NULL;
	free(marker);
	return r;
}

/* The staged files' state made durable: the state area's filesystem
 * synced too when it is not the po area's (each area may be a mount). */
static int
sync_all(struct run *run)
{
	struct stat a, b;
	int r;

	if ((r = spool_sync_area(run->po_area)) != 0)
		return r;
	if (stat(run->po_area, &a) == 0 && stat(run->parsed_dir, &b) == 0 &&
	    a.st_dev == b.st_dev)
		return 0;
	return spool_sync(run->parsed_dir);
}

/* A batch of j that could not be closed (said by flusher_join): the
 * file is left for the next run, alone. */
static int
unclosed(struct job *j)
{
	if (!flusher_failed(j->run->fl, j->serial))
		return 0;
	msg_warn("%s: the file stays where it is and is read again by the "
	    "next run", j->qname);
	return 1;
}

/*
 * The durable end of n staged files, with syncs that do not grow with
 * the files: their batches all closed (the flusher joined; a file with
 * one that could not be closed stays, alone), one sync of what they wrote
 * (batches, ledger, side CSVs, markers' content), then every batch into
 * new/ and one fsync of new/ (the ledger is durable first: a line HotWax
 * knows is always one the receipt side knows too), then the markers into
 * parsed/ and one fsync of it.  rs[i] gets each file's result.  A crash
 * anywhere: a file without its marker is parsed again, and writes only
 * the batches not in new/ yet.
 */
static void
commit_jobs(struct run *run, struct job **jobs, int *rs, size_t n)
{
	size_t i;
	int r, wrote = 0, marked = 0;

	test_point("staged");
	(void)flusher_join(run->fl);	/* every batch closed, failures said */
	r = sync_all(run);
	for (i = 0; i < n; i++)
		rs[i] = r ? r : unclosed(jobs[i]) ? EX_IOERR :
		    publish(jobs[i], &wrote);
	if (r == 0 && wrote && (r = spool_sync_dir(run->po_area, "new")) != 0)
		for (i = 0; i < n; i++)
			rs[i] = exit_merge(rs[i], r);
	for (i = 0; i < n; i++) {
		if (rs[i] == 0)
			name_batches(jobs[i]);
		if (rs[i] == 0 && (rs[i] = mark(jobs[i])) == 0)
			marked = 1;
	}
	if (marked && fsync_dir(run->parsed_dir) < 0) {
		msg_warnerr("cannot fsync %s", run->parsed_dir);
		for (i = 0; i < n; i++)
			rs[i] = exit_merge(rs[i], EX_IOERR);
	}
	for (i = 0; i < n; i++) {
		say_rejects(jobs[i]);
		if (rs[i] == 0)
			say_parsed(jobs[i]);
	}
}

static void
job_free(struct job *j)
{
	unpublish(j);
	side_finish(j, &j->rej, -1);
	side_finish(j, &j->rec, -1);
	if (j->held >= 0)
		close(j->held);
	buf_free(&j->said);
	polines_text_free(&j->pend);
	buf_free(&j->out);
	if (j->mtmp && unlink(j->mtmp) < 0 && errno != ENOENT)
		msg_warnerr("cannot remove %s", j->mtmp);
	free(j->mtmp);
	free(j->qname);
	free(j->safe);
	free(j);
}

/*
 * The two times of a CSV.  exported: when NetSuite wrote it, by the
 * server's clock (mtime, its time there), which orders its batches in
 * new/ (batch_close); a file given by hand (mtime 0) counts as exported
 * when it was written or now, whichever is later: an old export fed again
 * is a new one.  seen: when posync took it, the later of exported and the
 * server's clock now (future_now; this host's when the server was not
 * asked): the polines ledger's ages go by it (polines.h), so an old export
 * put back in the inbox with its old mtime (sftp put -p, rsync -t) is not
 * dropped from the ledger at once.
 */
static void
file_times(struct job *j, int fd, time_t mtime)
{
	struct stat st;
	time_t now = future_now(&j->run->future);

	j->exported = mtime;
	if (mtime <= 0) {
		j->exported = time(NULL);
		if (fstat(fd, &st) == 0 && st.st_mtime > j->exported)
			j->exported = st.st_mtime;
	}
	j->seen = now > j->exported ? now : j->exported;
}

/* Every row of the CSV open in p into batches, rejects and the ledger:
 * 0, a status, or -1 (a read error, not said yet). */
static int
read_rows(struct job *j, struct pocsv *p)
{
	struct pocsv_row row;
	int r = 0;

	while (r == 0 && (r = pocsv_next(p, &row)) > 0) {
		j->rows++;
		if ((r = pend_add(j, &row)) == 0)
			r = row.reason ? reject(j, &row) : batch_add(j, &row);
		if (r == 0 && !row.reason && row.recovered)
			r = recovered(j, &row);
	}
	return r;	/* -1 a read error: said by settle, once the feed's end
			 * tells a download that failed (said by take_remote) */
}

/* A file parsed: its counts (-v; on stdout for a dry run). */
static void
say_parsed(struct job *j)
{
	char *rn;

	msg_info("%s: %lu rows, %lu in %lu batches, %lu rejected, %lu recovered",
	    j->qname, j->rows, j->good, j->batches, j->rejected, j->recovered);
	if (j->recovered > REJECT_SHOWN)
		msg_info("%s: %lu more rows recovered", j->qname,
		    j->recovered - REJECT_SHOWN);
	if (j->recovered && !j->run->dry) {
		rn = recovered_name(j);
		msg_info("%s: the %lu recovered rows are listed in %s/rejects/%s",
		    j->qname, j->recovered, j->run->po_area, rn);
		free(rn);
	}
	if (j->run->dry)
		printf("%s: %lu rows: %lu good in %lu batches, %lu rejected, "
		    "%lu recovered\n", j->qname, j->rows, j->good, j->batches,
		    j->rejected, j->recovered);
}

/* Before any row: 1 when the file is too big (*why set), for
 * po_error_dir. */
static int
parse_check(struct job *j, char **why, int *status, enum outcome *o)
{
	const struct config *c = &j->run->cfg;
	struct stat st;

	if (fstat(j->feed->fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (long long)st.st_size > c->netsuite.po_max_size) {
		*why = xasprintf("%lld bytes, more than [netsuite] po_max_size %lld",
		    (long long)st.st_size, c->netsuite.po_max_size);
		*status = EX_DATAERR;
		*o = UNUSABLE;
		return 1;
	}
	return 0;
}

/* j->hash known (and j->old, in a spool that may hold the old hash's
 * names): 1 when its marker exists (parsed before: reported by
 * already_parsed, DONE), else 0.  A file an older posync parsed has its
 * marker by the old hash, and keeps that name. */
static int
marker_settles(struct job *j, int *status, enum outcome *o)
{
	char *marker;
	int there;

	if (j->old[0]) {
		marker = parsedmark_path(j->run->parsed_dir, j->old);
		if (access(marker, F_OK) == 0)
			memcpy(j->hash, j->old, sizeof j->hash);
		free(marker);
	}
	marker = marker_path(j);
	there = access(marker, F_OK) == 0;

	if (there) {
		*status = already_parsed(j, marker);
		*o = DONE;
	}
	free(marker);
	return there;
}

/*
 * A whole file (read ahead, downloaded, then parsed, or local: no
 * download to follow) is hashed before it is parsed: one parsed before
 * is only reported, never parsed again, and for one that is not, the
 * parse's read that follows is from the page cache.  1 when settled
 * (*status, *o), else 0.  A file parsed as it arrives has its hash only
 * at its end (settle).
 */
static int
parsed_before(struct job *j, int *status, enum outcome *o)
{
	struct feed f;
	int r;

	if (j->feed->fw)
		return 0;
	feed_init(&f, j->run, j->feed->fd, j->name, NULL);
	feed_drain(&f);
	if (!feed_hash(&f, j->hash, j->old)) {
		feed_free(&f);
		msg_cannot_read(j->qname);
		*status = EX_IOERR;
		*o = RETRY;
		return 1;
	}
	feed_free(&f);
	r = marker_settles(j, status, o);
	j->hash[0] = '\0';	/* the parse's own read gives it (settle) */
	j->old[0] = '\0';
	return r;
}

/*
 * A file not parsed before, in a spool that may hold the old hash's names
 * (pohash.h): were some of its batches or side CSVs published by an
 * older posync's run killed before it wrote the marker, the file keeps
 * the old name, so that promote finds them and never writes them twice.
 */
static void
old_names(struct job *j)
{
	static const char *const all[] = { "new", "cur", "failed", NULL };
	static const char *const rejects[] = { "rejects", NULL };
	static const char *const sides[] = { REJECTS_SUFFIX,
	    SPOOL_RECOVERED_SUFFIX };
	char sfx[BATCH_SFX_MAX], *name;
	unsigned long n;
	size_t i;
	int found = 0;

	if (!j->old[0] || strcmp(j->old, j->hash) == 0)
		return;
	for (n = 1; n <= j->batches && !found; n++) {
		batch_sfx(sfx, n);
		name = out_name(j, j->old, sfx);
		found = spool_has(j->run->po_area, all, name);
		free(name);
	}
	for (i = 0; i < sizeof sides / sizeof *sides && !found; i++) {
		name = out_name(j, j->old, sides[i]);
		found = spool_has(j->run->po_area, rejects, name);
		free(name);
	}
	if (found)
		memcpy(j->hash, j->old, sizeof j->hash);
}

/*
 * Every row read (rr: read_rows's), the feed at its end: the file's hash
 * is known, and its marker decides.  Parsed before: already_parsed, DONE,
 * and all it made is dropped with the job (job_free: batches and side
 * CSVs under the provisional hash, the held ledger records).  Else its
 * output takes its own names (promote), the rows kept are said, and it is
 * staged.  1 when settled (*o, *status), 0 when staged.  A local error
 * with the file read whole still asks the marker: a file parsed before
 * is never left in the inbox for a full disk.
 */
static int
settle(struct job *j, int rr, int *status, enum outcome *o)
{
	if (rr < 0) {
		msg_cannot_read(j->qname);
		rr = EX_IOERR;
	}
	*o = RETRY;
	*status = rr;
	if (!feed_hash(j->feed, j->hash, j->old))
		return 1;	/* read error: said */
	if (marker_settles(j, status, o))
		return 1;
	old_names(j);
	if (rr == 0 && (rr = promote(j)) == 0) {
		say_now(j);
		rr = stage(j);
	}
	*status = rr;
	return rr != 0;
}

static struct job *
job_new(struct run *run, struct feed *f, const char *name, time_t mtime)
{
	struct job *j = xcalloc(1, sizeof *j);

	j->bfd = -1;
	j->held = -1;
	j->run = run;
	j->feed = f;
	j->name = name;
	j->qname = msg_quote(name, strlen(name));
	j->safe = safename(name, strlen(name));
	/* a hash no file has, this file's alone in this process (tmp/'s
	 * names end in .PID), and a name no remote file's can be: "=p" is
	 * never in a safename(3) ('=' is followed by hex or '_') */
	j->serial = ++run->nprov;
	snprintf(j->prov, sizeof j->prov, "=p%014lx", j->serial);
	j->rej.suffix = REJECTS_SUFFIX;
	j->rec.suffix = SPOOL_RECOVERED_SUFFIX;
	file_times(j, f->fd, mtime);
	return j;
}

/* The job of the CSV read from f, its rows read and staged; NULL when
 * the file is settled otherwise (*o what became of it, *status set).
 * The download f may follow is over, whatever became of the file. */
static struct job *
parse_rows(struct run *run, struct feed *f, const char *name, time_t mtime,
    char **why, int *status, enum outcome *o)
{
	struct job *j = job_new(run, f, name, mtime);
	struct pocsv *p;
	int r, rr = 0, dst;

	if (parse_check(j, why, status, o)) {
		if ((dst = feed_end(f, 0)) != 0)
			goto unread;
		goto fail;
	}
	if (parsed_before(j, status, o))
		goto fail;
	r = pocsv_open_reader(&p, feed_read, f,
	    run->cfg.netsuite.arrival_date_format, why);
	if (r == 0) {
		rr = read_rows(j, p);
		pocsv_close(p);
	}
	if ((dst = feed_end(f, r == 0)) != 0)
		goto unread;
	if (r == POCSV_UNUSABLE) {
		*status = EX_DATAERR;
		*o = UNUSABLE;
	} else if (r < 0) {
		msg_cannot_read(j->qname);
		*status = EX_IOERR;
		*o = RETRY;
	} else if (!settle(j, rr, status, o))
		return j;
	goto fail;
unread:
	free(*why);
	*why = NULL;
	*status = dst;
	*o = UNREAD;
fail:
	job_free(j);
	return NULL;
}

/* Turn the CSV read from f into batches.  name is the file's own name
 * (the remote one for SFTP), mtime its mtime there (0: the fd's).
 * Returns DONE (parsed now or before: archive it), UNUSABLE (*why set),
 * RETRY (a local error: try again later) or UNREAD (the download f
 * followed failed: *status its status); *status gets the run's status
 * for this file.  With staged, a file parsed now is left there, its
 * batches and marker written but not durable (stage): commit_run
 * finishes it and archives it; else it is made durable at once. */
static enum outcome
parse_file(struct run *run, struct feed *f, const char *name, time_t mtime,
    char **why, int *status, struct job **staged)
{
	struct job *j;
	enum outcome o;
	int r = 0;

	*why = NULL;
	*status = 0;
	if (staged)
		*staged = NULL;
	if (!(j = parse_rows(run, f, name, mtime, why, status, &o)))
		return o;
	if (run->dry) {
		say_rejects(j);
		say_parsed(j);
	} else if (staged) {
		*status = j->rejected ? EX_DATAERR : 0;
		*staged = j;
		return DONE;
	} else
		commit_jobs(run, &j, &r, 1);
	*status = r ? r : j->rejected ? EX_DATAERR : 0;
	job_free(j);
	return r ? RETRY : DONE;
}

/* parse_file of the file open on fd. */
static enum outcome
parse_fd(struct run *run, int fd, const char *name, time_t mtime,
    char **why, int *status, struct job **staged)
{
	struct feed f;
	enum outcome o;

	feed_init(&f, run, fd, name, NULL);
	o = parse_file(run, &f, name, mtime, why, status, staged);
	feed_free(&f);
	return o;
}

/* ---------------------------------------------------------------- local */

static int
do_local(struct run *run, int argc, char **argv)
{
	enum outcome o;
	char *why, *q;
	int i, fd, st, all = 0;

	for (i = 0; i < argc; i++) {
		q = msg_quote(argv[i], strlen(argv[i]));
		/* a FIFO or /dev/zero is refused at once: never read for ever */
		if ((fd = open_regular(argv[i], O_RDONLY)) < 0) {
			st = input_status(errno);
			msg_warnerr("cannot open %s", q);
			all = exit_merge(all, st);
			free(q);
			continue;
		}
		o = parse_fd(run, fd, path_base(argv[i]), 0, &why, &st, NULL);
		if (o == UNUSABLE) {
			msg_warn("%s: cannot be used: %s", q, why);
			free(why);
		}
		close(fd);
		free(q);
		all = exit_merge(all, st);
	}
	return all;
}

/* ---------------------------------------------------------------- sftp */

/* dir/name.i; a name too long for the suffix (NetSuite's may have all of
 * NAME_MAX's 255 bytes) is cut first, never inside a UTF-8 character. */
static char *
numbered(const char *dir, const char *name, int i)
{
	char num[16];
	size_t len = strlen(name), max;

	snprintf(num, sizeof num, ".%d", i);
	max = NAME_BYTES_MAX - strlen(num);
	if (len > max) {
		len = max;
		while (len > 1 && ((unsigned char)name[len] & 0xC0) == 0x80)
			len--;
	}
	return xasprintf("%s/%.*s%s", dir, (int)len, name, num);
}

/* dir/name, or dir/name.1 ... when taken: a rename onto an existing name
 * fails on many servers.  A name is taken by anything under it, a link
 * to nowhere too (sftp_lstat: a rename cannot go onto it).  NULL (status
 * in *st) when none is free: all UNIQUE_MAX names taken is something in
 * the way that a person must clear, 78, said with the file that stays. */
static char *
free_name(struct sftp *s, const char *dir, const char *name, int *st)
{
	struct sftp_entry e;
	char *p, *q;
	int i, r;

	for (i = 0; i < UNIQUE_MAX; i++) {
		p = i ? numbered(dir, name, i) : xasprintf("%s/%s", dir, name);
		r = sftp_lstat(s, p, &e, NULL);
		if (r == SFTP_MISSING)
			return p;
		free(p);
		if (r != 0) {
			*st = r;
			return NULL;
		}
	}
	p = xasprintf("%s/%s", dir, name);
	q = msg_quote(p, strlen(p));
	msg_warn("%s and the %d names after it (NAME.1 to NAME.%d) are all "
	    "taken: something in the way; the file stays in the inbox until "
	    "some are moved or removed", q, UNIQUE_MAX - 1, UNIQUE_MAX - 1);
	free(q);
	free(p);
	*st = EX_CONFIG;
	return NULL;
}

/* A folder posync moves files into: made when missing (sftp_mkdir_p says
 * why it cannot be), once a run; *st keeps the answer for the files
 * after.  A dry run only says it would make it. */
static int
folder_ready(struct run *run, const char *dir, int *st)
{
	struct sftp_entry e;
	char *q;

	if (*st != FOLDER_UNSEEN)
		return *st;
	if (!run->dry)
		return *st = sftp_mkdir_p(run->sftp, dir);
	if ((*st = sftp_stat(run->sftp, dir, &e)) == SFTP_MISSING) {
		q = msg_quote(dir, strlen(dir));
		printf("would create the folder %s\n", q);
		free(q);
		*st = 0;
	}
	return *st;
}

/* Move the remote file into dir under a free name (*to, malloc'd).
 * SFTP_MISSING, nothing said, when it is gone.  A name taken between
 * free_name and the rename (someone else writing in dir) sends it to the
 * next free name, RENAME_TRIES times; then it stays in the inbox for the
 * next run: 75. */
#define RENAME_TRIES	3
static int move_on(struct run *run, const char *remote, const char *dir,
    const char *name, char **to, int st);

static int
move_remote(struct run *run, const char *remote, const char *dir,
    const char *name, char **to)
{
	/* The name itself first, unlooked at (one round trip less a file):
	 * taken, the free ones are looked for. */
	*to = xasprintf("%s/%s", dir, name);
	test_point("rename-to");
	return move_on(run, remote, dir, name, to,
	    sftp_rename_try(run->sftp, remote, *to));
}

/* move_remote after its first rename, to *to, answered st. */
static int
move_on(struct run *run, const char *remote, const char *dir,
    const char *name, char **to, int st)
{
	char *qf, *qt;
	int i;

	for (i = 0; st == EX_CANTCREAT && i < RENAME_TRIES; i++) {
		free(*to);
		if (!(*to = free_name(run->sftp, dir, name, &st)))
			return st;
		test_point("rename-to");
		/* taken meanwhile (said by sftp): the next one */
		st = sftp_rename(run->sftp, remote, *to);
	}
	if (st == EX_CANTCREAT) {
		qf = msg_quote(remote, strlen(remote));
		msg_warn("%s: every name tried in the folder was taken as it was "
		    "moved there: it stays in the inbox for the next run", qf);
		free(qf);
		st = EX_TEMPFAIL;
	}
	if (st == 0) {
		qf = msg_quote(remote, strlen(remote));
		qt = msg_quote(*to, strlen(*to));
		msg_info("moved %s to %s", qf, qt);
		free(qf);
		free(qt);
	}
	return st;
}

static int to_error_dir(struct run *run, const struct sftp_entry *e,
    const char *remote, const char *why);
static int download(struct run *run, const struct sftp_entry *e,
    const char *remote, const char *safe, int *fd);
static int raw_keep(struct run *run, struct spool_file *sf, const char *safe,
    int *fd);
static int candidate(const struct config *c, const struct sftp_entry *e);
#define ARCHIVED_TRIES	3	/* downloads of a moved copy still changing */

/* The moved copy (at moved, its own name name), read from there: 0 with
 * *fd open on it, else a status or FUTURE_LATER (still changing after
 * ARCHIVED_TRIES looks a second apart, or gone). */
static int
fetch_moved(struct run *run, const char *name, const char *moved,
    struct sftp_entry *m, int *fd)
{
	char *safe = safename(name, strlen(name)), *raw;
	int st = FUTURE_LATER, i;

	/* its raw copy beside the first content's, not over it */
	raw = xasprintf("%s.archived", safe);
	for (i = 0; i < ARCHIVED_TRIES && st == FUTURE_LATER; i++) {
		if (i)
			sleep(1);
		if ((st = sftp_stat(run->sftp, moved, m)) == SFTP_MISSING)
			st = FUTURE_LATER;
		else if (st == 0)
			st = download(run, m, moved, raw, fd);
	}
	m->name = (char *)name;
	free(raw);
	free(safe);
	return st;
}

/*
 * Content nobody parsed is in moved (a rewrite landed in the file after
 * the last look), and it cannot go back to the inbox (a new file of the
 * name is there).  It is parsed from the archive now, as a file of its
 * own (its content has its own hash, marker and batches), before the
 * newer file is taken by the next run: so batches keep NetSuite's order.
 * Not usable at all: to po_error_dir.  Only when it cannot be read (the
 * connection lost, still changing after ARCHIVED_TRIES looks, a local
 * error) is a person asked to parse it by hand: 65, naming it.
 */
static int
take_moved(struct run *run, const char *name, const char *moved,
    const char *qf, const char *qt, const char *because)
{
	struct sftp_entry m;
	enum outcome o = RETRY;
	char *why = NULL;
	int st, fd;

	msg_warn("%s changed on the server as it was moved to %s, and cannot "
	    "go back (%s): the content moved is read from there now", qf, qt,
	    because);
	st = fetch_moved(run, name, moved, &m, &fd);
	if (st == 0) {
		o = parse_fd(run, fd, name, m.mtime, &why, &st, NULL);
		close(fd);
	}
	if (o == UNUSABLE)
		st = to_error_dir(run, &m, moved, why);
	else if (o == RETRY) {
		msg_warn("%s cannot be read (%s): its content is unread; parse it "
		    "by hand (po-export-parse FILE | po-import)", qt,
		    st == FUTURE_LATER ? "it is still changing, or gone" :
		    "see above");
		st = st == FUTURE_LATER ? EX_DATAERR : exit_merge(st, EX_DATAERR);
	}
	free(why);
	return st;
}

/* remote, as listed in e, was just renamed to moved.  A rewrite that
 * landed between the last look and the rename went with it: the moved
 * file is put back under its own name, for the next run to read.  When
 * that cannot be (a new file of the name is in the inbox already, or the
 * server refuses the move back), it is parsed from moved (take_moved). */
static int check_looked(struct run *run, const struct sftp_entry *e,
    const char *remote, const char *moved, int st, const struct sftp_entry *now);

static int
check_moved(struct run *run, const struct sftp_entry *e, const char *remote,
    const char *moved)
{
	struct sftp_entry now;
	int st;

	test_point("renamed");
	st = sftp_stat(run->sftp, moved, &now);
	return check_looked(run, e, remote, moved, st, &now);
}

/* check_moved after its look at moved: st, now. */
static int
check_looked(struct run *run, const struct sftp_entry *e, const char *remote,
    const char *moved, int st, const struct sftp_entry *now)
{
	struct sftp_entry cur;
	char *qf, *qt;

	if (st != 0 || future_same(e, now, FUTURE_UNREAD))
		return st == SFTP_MISSING ? 0 : st;	/* taken from there: not ours */
	qf = msg_quote(remote, strlen(remote));
	qt = msg_quote(moved, strlen(moved));
	st = sftp_lstat(run->sftp, remote, &cur, NULL);
	if (st == SFTP_MISSING)
		st = sftp_rename(run->sftp, moved, remote);
	else if (st == 0)
		st = EX_CANTCREAT;
	if (st == 0)
		msg_warn("%s changed on the server as it was moved to %s: "
		    "moved back for the next run to read", qf, qt);
	else if (!sftp_lost(run->sftp, st))
		st = take_moved(run, e->name, moved, qf, qt, st == EX_CANTCREAT ?
		    "a new file of that name is in the inbox" : "the move back failed");
	else
		msg_warn("%s changed on the server as it was moved to %s, and "
		    "the connection went before it could go back: that content is "
		    "unread; parse it by hand (po-export-parse FILE | po-import)",
		    qf, qt);
	free(qf);
	free(qt);
	return st;
}

/* A file gone from the inbox before it was moved is skipped: 0. */
static int
gone_skipped(const char *q, int st)
{
	if (st != SFTP_MISSING)
		return st;
	msg_info("%s: gone from the inbox before it was moved; skipped", q);
	return 0;
}

/* put_away after its look at remote before the rename: st, now. */
static int
put_looked(struct run *run, const struct sftp_entry *e, const char *remote,
    const char *dir, const char *q, int st, const struct sftp_entry *now)
{
	char *to = NULL;

	if (st == 0 && !future_same(e, now, FUTURE_UNREAD)) {
		msg_warn("%s changed on the server after this run read it: "
		    "left in the inbox for the next run to read", q);
		return 0;
	}
	test_point("rename");
	if (st == 0)
		st = move_remote(run, remote, dir, e->name, &to);
	if (st == 0)
		st = check_moved(run, e, remote, to);
	free(to);
	return gone_skipped(q, st);
}

/* Move the remote file, as listed in e and read by this run, into dir
 * (made when missing; *dirst: folder_ready), but only while it is that
 * file: one rewritten since (size or mtime moved) is left in the inbox,
 * and the next run reads the new content (a new content hash, so a new
 * parsed marker).  A file gone meanwhile is skipped. */
static int
put_away(struct run *run, const struct sftp_entry *e, const char *remote,
    const char *dir, int *dirst)
{
	struct sftp_entry now;
	char *q = msg_quote(remote, strlen(remote)), *qd;
	int st;

	if ((st = folder_ready(run, dir, dirst)) != 0) {
		qd = msg_quote(dir, strlen(dir));
		msg_warn("%s stays in the inbox until %s can be made", q, qd);
		free(qd);
	} else {
		test_point("recheck");
		st = sftp_stat(run->sftp, remote, &now);
		st = put_looked(run, e, remote, dir, q, st, &now);
	}
	free(q);
	return st;
}

static int
to_error_dir(struct run *run, const struct sftp_entry *e, const char *remote,
    const char *why)
{
	const char *dir = run->cfg.netsuite.po_error_dir;
	char *q = msg_quote(remote, strlen(remote)), *qd = msg_quote(dir, strlen(dir));
	int st;

	if (run->dry) {
		st = folder_ready(run, dir, &run->error_st);
		printf("would move %s to %s: %s\n", q, qd, why);
	} else {
		msg_warn("%s cannot be used: %s; moving it to %s", q, why, qd);
		st = put_away(run, e, remote, dir, &run->error_st);
	}
	free(q);
	free(qd);
	return exit_merge(st, EX_DATAERR);
}

/* Download the remote file; the copy is open on *fd (for a dry run an
 * unnamed temporary file).  0, FUTURE_LATER (not settled: next run,
 * future.h), or a status. */
static int
download(struct run *run, const struct sftp_entry *e, const char *remote,
    const char *safe, int *fd)
{
	struct spool_file sf;
	FILE *tmp = NULL;
	int st, wfd;

	*fd = -1;
	if (run->dry) {
		if (!(tmp = tmpfile())) {
			msg_warnerr("cannot make a temporary file");
			return EX_IOERR;
		}
		wfd = fileno(tmp);
	} else {
		if ((st = spool_create(&sf, run->po_area, safe)) != 0)
			return st;
		wfd = fileno(sf.fp);
	}
	/* the second look (future.h): still as listed once read */
	st = future_fetch(run->sftp, e, remote, "the inbox", wfd,
	    (uint64_t)run->cfg.netsuite.po_max_size);
	if (run->dry) {
		if (st == 0 && (*fd = dup(wfd)) < 0)
			st = EX_IOERR;
		fclose(tmp);
		if (*fd >= 0)
			lseek(*fd, 0, SEEK_SET);
		return st;
	}
	if (st != 0) {
		spool_abort(&sf);
		return st;
	}
	return raw_keep(run, &sf, safe, fd);
}

/* The copy read into sf kept in po/raw, and opened there on *fd. */
static int
raw_keep(struct run *run, struct spool_file *sf, const char *safe, int *fd)
{
	char *raw;
	int st;

	/* a copy for people, handed on to nothing (the remote file is in
	 * its archive): made durable once a run (do_sftp), not twice a file */
	if ((st = spool_commit_lazy(sf, "raw")) != 0)
		return st;
	run->raw_unsynced = 1;
	raw = xasprintf("%s/raw/%s", run->po_area, safe);
	if ((*fd = open(raw, O_RDONLY | O_CLOEXEC)) < 0) {
		msg_warnerr("cannot open %s", raw);
		st = EX_IOERR;
	}
	free(raw);
	return st;
}

/* Every read-ahead copy not taken is dropped. */
static void
ahead_drop(struct run *run)
{
	size_t i;

	for (i = 0; i < run->nahead; i++) {
		if (run->ahead[i].open)
			spool_abort(&run->ahead[i].sf);
		free((char *)run->areq[i].path);
	}
	free(run->ahead);
	free(run->areq);
	run->ahead = NULL;
	run->areq = NULL;
	run->nahead = 0;
}

/* A file read_ahead would read: one to take (candidate), small, and old
 * enough by its listing (whether it is taken is still future_wait's). */
static int
ahead_worth(struct run *run, const struct sftp_entry *e, time_t now)
{
	const struct config *c = &run->cfg;

	return candidate(c, e) && e->size <= AHEAD_SIZE &&
	    (long long)e->size <= c->netsuite.po_max_size &&
	    e->mtime <= now - c->netsuite.po_min_age;
}

/* How many read-ahead copies the open files limit leaves room for: each
 * holds an fd till its turn, while the parse, the raw copy and the rest of
 * the run need theirs (AHEAD_SPARE, and the batches the flusher may hold,
 * above the lowest free fd). */
static size_t
ahead_room(struct run *run)
{
	size_t room = fd_room(), spare = AHEAD_SPARE + flusher_fds(run->fl);

	if (room <= spare)
		return 0;
	return room - spare < AHEAD_FILES ? room - spare : AHEAD_FILES;
}

/*
 * The next batch's size from the time this one took: twice as many files
 * while a batch takes under half of AHEAD_MS, half as many past it.  A
 * run's work is durable only once its batch is in and parsed (commit_run,
 * STAGE_MS), so a batch that outlasted a run cut short (a deadline, a
 * kill, run_timeout, a connection that drops) would leave nothing each
 * time and a backlog would never move: a slow link gets small batches,
 * a fast one up to AHEAD_FILES.
 */
static void
ahead_pace(struct run *run, int64_t ms)
{
	if (ms < AHEAD_MS / 2 && run->ahead_want < AHEAD_FILES)
		run->ahead_want *= 2;
	else if (ms > AHEAD_MS && run->ahead_want > 2)
		run->ahead_want /= 2;
}

/*
 * The next small files of the listing from ents[i] on (ahead_pace says how
 * many, up to AHEAD_FILES, their sizes up to a bound that grows with it) read
 * ahead together (sftp_fetch_many), each into its po/tmp copy with the
 * look after its read: a round trip's wait for each of open, read, close
 * and stat becomes a few for them all.  Each is judged at its turn
 * (ahead_take) as a download is; one not taken then is dropped.  Fewer
 * than two: nothing is read ahead, each is downloaded at its turn.  No
 * more than the open files limit leaves room for (ahead_room), and a copy
 * that cannot be made ends the read-ahead without a word: its file is
 * downloaded at its turn, which says what is wrong.  A batch stopped by
 * run_timeout leaves its status in the session (sftp_expired, do_sftp).
 */
static void
read_ahead(struct run *run, const struct sftp_entry *ents, size_t i, size_t n)
{
	time_t now = future_now(&run->future);
	size_t room = ahead_room(run);
	uint64_t bytes = 0, cap;
	struct sftp_req *r;
	struct ahead *a;
	int64_t t0;
	char *safe;
	int st = 0;

	ahead_drop(run);
	if (!run->ahead_want)
		run->ahead_want = AHEAD_FIRST;
	room = room < run->ahead_want ? room : run->ahead_want;
	cap = (uint64_t)AHEAD_BYTES * run->ahead_want / AHEAD_FIRST;
	run->ahead = xcalloc(AHEAD_FILES, sizeof *run->ahead);
	run->areq = xcalloc(AHEAD_FILES, sizeof *run->areq);
	for (; i < n && run->nahead < room && !st; i++) {
		if (!ahead_worth(run, &ents[i], now))
			continue;
		if (run->nahead && bytes + ents[i].size > cap)
			break;
		bytes += ents[i].size;
		a = &run->ahead[run->nahead];
		r = &run->areq[run->nahead];
		safe = safename(ents[i].name, strlen(ents[i].name));
		if ((st = spool_create_quiet(&a->sf, run->po_area, safe)) == 0) {
			a->e = &ents[i];
			a->open = 1;
			r->path = path_join(run->cfg.netsuite.po_dir, ents[i].name);
			r->size = ents[i].size;
			r->fd = fileno(a->sf.fp);
			run->nahead++;
		}
		free(safe);
	}
	run->ahead_end = i;
	if (run->nahead < 2) {
		ahead_drop(run);
		return;
	}
	test_point("download");	/* their downloads start */
	t0 = mono_ms();
	sftp_fetch_many(run->sftp, run->areq, run->nahead,
	    (uint64_t)run->cfg.netsuite.po_max_size);
	ahead_pace(run, mono_ms() - t0);
}

/* e's copy: read ahead (read_ahead), judged as future_fetch judges a
 * download, or else downloaded now (download).  0 with *fd open on it,
 * FUTURE_LATER, or a status. */
static int
ahead_take(struct run *run, const struct sftp_entry *e, const char *remote,
    const char *safe, int *fd)
{
	struct ahead *a = NULL;
	struct sftp_req *r;
	size_t i;
	int st;

	for (i = 0; i < run->nahead && !a; i++)
		if (run->ahead[i].e == e && run->ahead[i].open)
			a = &run->ahead[i];
	if (!a || run->dry)
		return download(run, e, remote, safe, fd);
	r = &run->areq[i - 1];
	a->open = 0;
	*fd = -1;
	st = future_judge(run->sftp, e, remote, "the inbox",
	    (uint64_t)run->cfg.netsuite.po_max_size, r->st, r->got, &r->now);
	if (st != 0) {
		spool_abort(&a->sf);
		return st;
	}
	return raw_keep(run, &a->sf, safe, fd);
}

/* Long downloads show progress on a terminal, never under cron. */
static void
progress(uint64_t done, uint64_t total, void *arg)
{
	static int64_t last;
	int64_t now = now_ms();

	if (done < total && now - last < 500)
		return;
	last = now;
	fprintf(stderr, "\r%s: %s: %llu of %llu kB%s", progname, (const char *)arg,
	    (unsigned long long)(done / 1024), (unsigned long long)(total / 1024),
	    done >= total ? "\n" : "");
}

/* The download, then the parse, as take_remote's fetch_parse: for a small
 * file (no thread to gain from) and a dry run (nothing is kept, and "would
 * take" comes before the parse's lines). */
static enum outcome
fetch_then_parse(struct run *run, const struct sftp_entry *e,
    const char *remote, const char *safe, const char *q, char **why,
    int *st, struct job **j)
{
	enum outcome o;
	int fd;

	*why = NULL;
	*j = NULL;
	if (isatty(STDERR_FILENO) && e->size > (1 << 20))
		sftp_set_progress(run->sftp, progress, (void *)q);
	*st = ahead_take(run, e, remote, safe, &fd);
	sftp_set_progress(run->sftp, NULL, NULL);
	if (*st != 0)
		return UNREAD;
	if (run->dry)
		printf("would take %s\n", q);
	o = parse_fd(run, fd, e->name, e->mtime, why, st, j);
	close(fd);
	return o;
}

/*
 * The remote file downloaded into its raw copy and parsed as it arrives
 * (follow), when it is STREAM_MIN bytes or more: the parse ends when the
 * download does, and only a download whole and still as listed
 * (future_fetch) leaves anything: else UNREAD,
 * *st the download's status (FUTURE_LATER: not settled), and all the
 * parse made dropped.  Otherwise as parse_file, *j the job staged.
 */
static enum outcome
fetch_parse(struct run *run, const struct sftp_entry *e, const char *remote,
    const char *safe, const char *q, char **why, int *st, struct job **j)
{
	struct spool_file sf;
	struct follow fw;
	struct feed f;
	enum outcome o;
	char *tmp;
	int rfd, r;

	if (run->dry || e->size < STREAM_MIN)
		return fetch_then_parse(run, e, remote, safe, q, why, st, j);
	*why = NULL;
	*j = NULL;
	if ((*st = spool_create(&sf, run->po_area, safe)) != 0)
		return UNREAD;
	tmp = spool_tmp_path(run->po_area, safe);
	if ((rfd = open(tmp, O_RDONLY | O_CLOEXEC)) < 0) {
		msg_warnerr("cannot open %s", tmp);
		free(tmp);
		spool_abort(&sf);
		*st = EX_IOERR;
		return UNREAD;
	}
	free(tmp);
	follow_start(&fw, run, e, remote, fileno(sf.fp),
	    isatty(STDERR_FILENO) && e->size > (1 << 20) ? q : NULL);
	feed_init(&f, run, rfd, e->name, &fw);
	o = parse_file(run, &f, e->name, e->mtime, why, st, j);
	feed_free(&f);
	follow_join(&fw);
	close(rfd);
	if (o == UNREAD) {
		spool_abort(&sf);
		return o;
	}
	/* a copy for people, handed on to nothing (the remote file is in
	 * its archive): made durable once a run (do_sftp), not twice a file */
	if ((r = spool_commit_lazy(&sf, "raw")) != 0) {
		if (*j)
			job_free(*j);
		*j = NULL;
		free(*why);
		*why = NULL;
		*st = r;
		return UNREAD;
	}
	run->raw_unsynced = 1;
	return o;
}

/* A file parsed, to be made durable and archived by commit_run. */
static void
stage_add(struct run *run, struct job *j, const struct sftp_entry *e,
    char *remote, int st)
{
	struct staged *g;

	if (run->nstg == run->stgcap) {
		run->stgcap = run->stgcap ? run->stgcap * 2 : 64;
		run->stg = xrealloc(run->stg, run->stgcap * sizeof *run->stg);
	}
	if (run->nstg == 0)
		run->stg_since = mono_ms();
	g = &run->stg[run->nstg++];
	g->job = j;
	g->e = e;
	g->remote = remote;
	g->st = st;
}

/* The renames of archive_many (phase 2) and the looks after them: r[i]
 * the requests of the files g[i], still as listed; res[i] each file's
 * status. */
static void
archive_moves(struct run *run, struct staged **g, struct sftp_req *r,
    size_t n, int *res)
{
	const char *dir = run->cfg.netsuite.po_archive_dir;
	char **to = xcalloc(n, sizeof *to), *q;
	size_t i, k;
	int *at = xcalloc(n, sizeof *at);

	test_point("rename");
	test_point("rename-to");
	for (i = 0; i < n; i++)
		r[i].to = to[i] = xasprintf("%s/%s", dir, g[i]->e->name);
	sftp_rename_many(run->sftp, r, n);
	for (i = k = 0; i < n; i++) {
		q = msg_quote(r[i].path, strlen(r[i].path));
		res[i] = r[i].st;
		if (r[i].st == SFTP_RETRY || r[i].st == 0) {
			/* refused: again one by one, for the why */
			if (r[i].st == SFTP_RETRY)
				res[i] = sftp_rename_try(run->sftp, r[i].path, to[i]);
			res[i] = move_on(run, r[i].path, dir, g[i]->e->name,
			    &to[i], res[i]);
			if (res[i] == 0 && r[i].st == SFTP_RETRY)
				res[i] = check_moved(run, g[i]->e, r[i].path, to[i]);
			else if (res[i] == 0) {
				at[k] = (int)i;
				r[k++].path = to[i];
			}
		}
		res[i] = gone_skipped(q, res[i]);
		free(q);
	}
	test_point("renamed");
	sftp_stat_many(run->sftp, r, k);
	for (i = 0; i < k; i++)
		res[at[i]] = check_looked(run, g[at[i]]->e, g[at[i]]->remote,
		    to[at[i]], r[i].st, &r[i].now);
	for (i = 0; i < n; i++)
		free(to[i]);
	free(to);
	free(at);
}

/*
 * put_away of the n files g, committed, into the archive, with the look
 * before the rename, the renames and the looks after each a batch of
 * requests in flight together (sftp.h): n round trips' wait become a few.
 * Each file is judged as put_away judges it, in the same words; a rename
 * the server refused goes on one by one (a name taken: the free names).
 * res[i]: each file's status.
 */
static void
archive_many(struct run *run, struct staged **g, size_t n, int *res)
{
	const char *dir = run->cfg.netsuite.po_archive_dir;
	struct sftp_req *r = xcalloc(n, sizeof *r);
	struct staged **keep = xcalloc(n, sizeof *keep);
	size_t i, k;
	int *kres = xcalloc(n, sizeof *kres), *at = xcalloc(n, sizeof *at);
	char *q;

	test_point("recheck");
	for (i = 0; i < n; i++)
		r[i].path = g[i]->remote;
	sftp_stat_many(run->sftp, r, n);
	for (i = k = 0; i < n; i++) {
		if (r[i].st == 0 && future_same(g[i]->e, &r[i].now, FUTURE_UNREAD)) {
			keep[k] = g[i];
			at[k] = (int)i;
			r[k++].path = g[i]->remote;
			continue;
		}
		q = msg_quote(g[i]->remote, strlen(g[i]->remote));
		res[i] = put_looked(run, g[i]->e, g[i]->remote, dir, q, r[i].st,
		    &r[i].now);
		free(q);
	}
	if (k)
		archive_moves(run, keep, r, k, kres);
	for (i = 0; i < k; i++)
		res[at[i]] = kres[i];
	free(r);
	free(keep);
	free(kres);
	free(at);
}

/* Archive the staged files ok[0..n) (committed): together when they are
 * several and the archive folder is there, else one by one (put_away)
 * until the connection is lost.  res[i]: each one's status. */
static void
archive_staged(struct run *run, struct staged **ok, size_t n, int *res)
{
	const char *dir = run->cfg.netsuite.po_archive_dir;
	size_t i;
	int stop = 0;

	if (n > 1 && !run->dry && folder_ready(run, dir, &run->archive_st) == 0) {
		archive_many(run, ok, n, res);
		return;
	}
	for (i = 0; i < n; i++) {
		res[i] = stop ? 0 : put_away(run, ok[i]->e, ok[i]->remote, dir,
		    &run->archive_st);
		stop |= sftp_lost(run->sftp, res[i]);
	}
}

/*
 * The files staged so far made durable together (commit_jobs), then each
 * archived (archive_staged): a remote file leaves the inbox only after all
 * made from it is durable.  With *stop (the connection gone) or a file not
 * made durable, it stays in the inbox: its marker, when there, makes the
 * next run only archive it.  Returns the run's status for them.
 */
static int
commit_run(struct run *run, int *stop)
{
	struct job **jobs;
	struct staged *g, **ok;
	size_t i, k, n = run->nstg;
	int *rs, *res, st, all = 0;

	if (!n)
		return 0;
	jobs = xcalloc(n, sizeof *jobs);
	ok = xcalloc(n, sizeof *ok);
	rs = xcalloc(n, sizeof *rs);
	res = xcalloc(n, sizeof *res);
	for (i = 0; i < n; i++)
		jobs[i] = run->stg[i].job;
	commit_jobs(run, jobs, rs, n);
	run->raw_unsynced = 0;	/* the sync covered the raw copies */
	test_point("synced");
	for (i = k = 0; i < n && !*stop; i++)
		if (rs[i] == 0)
			ok[k++] = &run->stg[i];
	archive_staged(run, ok, k, res);
	for (i = k = 0; i < n; i++) {
		g = &run->stg[i];
		st = rs[i] ? rs[i] : g->st;
		if (k < n && ok[k] == g)
			st = exit_merge(st, res[k++]);
		if (sftp_lost(run->sftp, st))
			*stop = 1;
		all = exit_merge(all, st);
		job_free(g->job);
		free(g->remote);
	}
	run->nstg = 0;
	free(jobs);
	free(ok);
	free(rs);
	free(res);
	return all;
}

/* One remote file: returns the status for it; *stop when the connection
 * is no use any more. */
static int
take_remote(struct run *run, const struct sftp_entry *e, int *stop)
{
	const struct config *c = &run->cfg;
	char *remote, *q, *safe, *why = NULL;
	struct job *j;
	enum outcome o;
	int st;

	remote = path_join(c->netsuite.po_dir, e->name);
	q = msg_quote(remote, strlen(remote));
	safe = safename(e->name, strlen(e->name));
	/* still being written, by the server's clock (future.h) */
	if (future_wait(&run->future, e, safe, q, run->dry)) {
		st = 0;
		goto out;
	}
	if ((long long)e->size > c->netsuite.po_max_size) {
		why = xasprintf("%llu bytes, more than [netsuite] po_max_size %lld",
		    (unsigned long long)e->size, c->netsuite.po_max_size);
		st = to_error_dir(run, e, remote, why);
		goto out;
	}
	msg_info("taking %s (%llu bytes)", q, (unsigned long long)e->size);
	test_point("download");
	o = fetch_parse(run, e, remote, safe, q, &why, &st, &j);
	if (o == UNREAD) {
		st = st == FUTURE_LATER ? 0 : st;
		goto out;	/* lost or not: asked below */
	}
	if (j) {
		stage_add(run, j, e, remote, st);
		remote = NULL;
		st = 0;
	} else if (o == UNUSABLE) {
		st = to_error_dir(run, e, remote, why);
	} else if (o == DONE && run->dry) {
		st = exit_merge(st, folder_ready(run, c->netsuite.po_archive_dir,
		    &run->archive_st));
		printf("would move %s to %s\n", q, c->netsuite.po_archive_dir);
	} else if (o == DONE) {
		st = exit_merge(st, put_away(run, e, remote,
		    c->netsuite.po_archive_dir, &run->archive_st));
	}
out:
	if (sftp_lost(run->sftp, st))
		*stop = 1;
	free(why);
	free(safe);
	free(q);
	free(remote);
	return st;
}

/* Oldest first, so batches reach HotWax in the order NetSuite wrote them. */
static int
by_age(const void *a, const void *b)
{
	const struct sftp_entry *x = a, *y = b;

	if (x->mtime != y->mtime)
		return x->mtime < y->mtime ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* A file of the inbox to take: FNM_PERIOD, since a dot file is someone's
 * upload in progress. */
static int
candidate(const struct config *c, const struct sftp_entry *e)
{
	return e->is_reg && fnmatch(c->netsuite.po_pattern, e->name, FNM_PERIOD) == 0;
}

static int prune_markers(struct run *run, const struct sftp_entry *ents, size_t n);

/* The archive folder is made first (folder_ready: once a run, a failure
 * said once and kept for every file after), then the server's clock is
 * asked there (future.h); a folder that cannot be made leaves this host's
 * clock, and its status is the run's.  A dry run makes nothing and asks
 * nothing (future_clock says so). */
static int
learn_clock(struct run *run)
{
	const char *dir = run->cfg.netsuite.po_archive_dir;
	char *q;
	int st = 0;

	if (!run->dry && (st = folder_ready(run, dir, &run->archive_st)) != 0) {
		q = msg_quote(dir, strlen(dir));
		msg_info("no clock probe can be written in %s: file ages are "
		    "measured by this host's clock", q);
		free(q);
		return st;
	}
	return future_clock(&run->future, run->sftp, dir, run->dry);
}

static int
do_sftp(struct run *run)
{
	const struct config *c = &run->cfg;
	struct sftp_entry *ents;
	size_t i, n;
	int st, all = 0, stop = 0;

	if ((st = sftp_open(c, &run->sftp)) != 0)
		return st;
	if ((st = sftp_list(run->sftp, c->netsuite.po_dir, &ents, &n)) != 0) {
		sftp_close(run->sftp);
		return st;
	}
	future_open(&run->future, c->spool.dir, "po-future", c->netsuite.po_min_age);
	run->archive_st = run->error_st = FOLDER_UNSEEN;
	qsort(ents, n, sizeof *ents, by_age);
	for (i = 0; i < n && !candidate(c, &ents[i]); i++)
		;
	/* The server's clock, learnt in the archive folder (posync's own),
	 * only when there is a file to judge: an idle run costs one listing. */
	if (i < n && (st = learn_clock(run)) != 0) {
		all = st;
		/* a folder that cannot be made stops only the archiving */
		stop = sftp_lost(run->sftp, st);
	}
	for (; i < n && !stop; i++) {
		if (!run->dry && i >= run->ahead_end && candidate(c, &ents[i]))
			read_ahead(run, ents, i, n);
		if (candidate(c, &ents[i]))
			all = exit_merge(all, take_remote(run, &ents[i], &stop));
		if (run->nstg >= STAGE_MAX || (run->nstg &&
		    mono_ms() - run->stg_since >= STAGE_MS))
			all = exit_merge(all, commit_run(run, &stop));
	}
	all = exit_merge(all, commit_run(run, &stop));
	ahead_drop(run);
	free(run->stg);
	/* the listing is whole even when the walk stopped */
	if (!run->dry)
		all = exit_merge(all, prune_markers(run, ents, n));
	sftp_entries_free(ents, n);
	/* run_timeout stopped the walk: what it left is for a later run (75),
	 * even when the status last seen was a file's 0 (a batch read ahead
	 * expires with files of it taken, the rest left) */
	if (sftp_expired(run->sftp))
		all = exit_merge(all, EX_TEMPFAIL);
	sftp_close(run->sftp);
	run->sftp = NULL;
	if (run->raw_unsynced)
		all = exit_merge(all, spool_sync(run->po_area));
	/* a stopped run saw only some files: keep the notes of the rest */
	if (!stop && !run->dry)
		all = exit_merge(all, future_save(&run->future));
	future_close(&run->future);
	return all;
}

/* ---------------------------------------------------------------- main */

/* After prog_start: the spool is there and locked (or checked, for -n). */
static int
setup(struct run *run)
{
	const char *dir = run->cfg.spool.dir;

	/* spool_init made them (prog_start), but for -n */
	run->po_area = spool_area_path(dir, "po", NULL);
	run->parsed_dir = parsedmark_dir(dir);
	run->hash_st = pohash_legacy(dir, run->dry, &run->old);
	run->fl = flusher_new();
	return 0;
}

/* Is the marker at path still needed by the listing of po_dir in names
 * (parsedmark_name'd, sorted)?  Yes while a file of the name it records is
 * listed; for an older posync's marker, which records none, while any
 * CSV is (every file seen this run had its marker named, in
 * already_parsed).  A marker too big or damaged is judged by the name
 * its first PARSEDMARK_MAX bytes hold, or as a nameless one; a marker that
 * cannot be read at all (permissions, I/O) is kept, said. */
static int
marker_needed(const char *path, char **names, size_t k, int any_csv)
{
	const char *why;
	char *data, *name;
	size_t len;
	int need;

	/* a damaged marker is said by already_parsed when its file comes;
	 * here the name it holds, if any, decides as for any other */
	if (parsedmark_read(path, &data, &len, &why) < 0) {
		if (errno == ENOENT)
			return 0;
		msg_warnerr("%s: kept", path);
		return 1;
	}
	name = parsedmark_file(data);
	free(data);
	if (!name)
		return any_csv;
	need = k && bsearch(&name, names, k, sizeof *names, str_pcmp) != NULL;
	free(name);
	return need;
}

/*
 * Markers older than keep_days whose file is gone from the server.  A
 * marker must outlive its file there: a CSV that cannot be archived stays
 * in the inbox, and were its marker pruned by age alone, the next run
 * would parse it again and send HotWax its old quantities (issue 9).  So
 * only do_sftp prunes them, with the listing of po_dir this run took;
 * local runs and runs that could not list prune none.
 */
static int
prune_markers(struct run *run, const struct sftp_entry *ents, size_t n)
{
	char **names, **v, *p;
	size_t i, k = 0, nv;
	struct stat sb;
	time_t limit;
	int any = 0, st = 0;

	if (run->cfg.spool.keep_days < 0)
		return 0;
	limit = time(NULL) - (time_t)run->cfg.spool.keep_days * 86400;
	if (spool_list(run->parsed_dir, NULL, &v, &nv) != 0)
		return EX_IOERR;
	names = xcalloc(n + 1, sizeof *names);
	for (i = 0; i < n; i++)
		if (ents[i].is_reg) {
			names[k++] = parsedmark_name(ents[i].name);
			any |= candidate(&run->cfg, &ents[i]);
		}
	sort_strings(names, k);
	for (i = 0; i < nv; i++) {
		p = path_join(run->parsed_dir, v[i]);
		if (stat(p, &sb) == 0 && sb.st_mtime < limit &&
		    !marker_needed(p, names, k, any) && unlink(p) < 0 && errno != ENOENT) {
			msg_warnerr("cannot remove %s", p);
			st = EX_IOERR;
		}
		free(p);
	}
	for (i = 0; i < k; i++)
		free(names[i]);
	free(names);
	spool_list_free(v);
	return st;
}

/* The raw copies; the markers are do_sftp's (prune_markers). */
static int
prune(struct run *run)
{
	char *raw = path_join(run->po_area, "raw");
	int st;

	st = spool_prune(raw, run->cfg.spool.keep_days);
	free(raw);
	return st;
}

static const struct prog_spec spec = {
	.lock = "po-export-parse",
	.area = "po",
	.operands = "[file.csv ...]",
	.dry = "dry run: show what would be taken and what parsing finds",
	.check = config_check_date_format,
};

int
main(int argc, char **argv)
{
	struct prog *prog;
	struct run r;
	char **files;
	int nfiles, st;

	memset(&r, 0, sizeof r);
	prog = prog_parse(&spec, argc, argv, NULL);
	r.dry = prog_dry(prog);
	files = prog_operands(prog, &nfiles);
	if ((st = prog_start(prog, &r.cfg)) == 0 && (st = setup(&r)) == 0) {
		st = nfiles ? do_local(&r, nfiles, files) : do_sftp(&r);
		if (!r.dry)
			st = exit_merge(st, prune(&r));
		st = exit_merge(st, r.hash_st);
	}
	flusher_free(r.fl);
	free(r.po_area);
	free(r.parsed_dir);
	pohash_old_free(&r.old);
	return prog_finish(prog, st);
}
