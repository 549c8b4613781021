/*
 * spool -- the Maildir-style queue on disk.
 *
 *   SPOOL/po/{tmp,new,cur,failed,rejects,raw}
 *   SPOOL/receipt/{tmp,new,cur,failed,errors}
 *   SPOOL/state/
 *
 * Promises: a file in new/ (or any folder files are committed into) is
 * always whole: it is written in tmp/, fsync'd, renamed into place and the
 * directory fsync'd.  Moves are renames followed by fsync of both folders.
 * A file that can never succeed goes to failed/ with NAME.err beside it.
 * Names are chosen by the caller, deterministically, so a rerun after a
 * crash finds what it already wrote.  All functions print their own
 * message (naming the path and strerror) and return 0, or EX_IOERR
 * (spool_init may say EX_CONFIG too).
 */
#ifndef POSYNC_SPOOL_H
#define POSYNC_SPOOL_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>

/* The spool's paths, malloc'd, the one place they are spelt:
 * DIR/state/NAME (NAME NULL: the folder DIR/state), and DIR/AREA/SUB
 * (SUB NULL: the area DIR/AREA itself), AREA "po" or "receipt". */
char *spool_state_path(const char *dir, const char *name);
/* SPOOL/state/NAME.EXT, a program's own state file (NAME.lock,
 * NAME.metrics): malloc'd. */
char *spool_state_file(const char *dir, const char *name, const char *ext);
char *spool_area_path(const char *dir, const char *area, const char *sub);

/* Create the whole tree under dir (mode 0750 for new folders), then
 * check that each area (po, receipt) is one filesystem and one mount:
 * a folder of it elsewhere (po/cur mounted apart) would make every move
 * into it fail with EXDEV after the work was done.  EX_CONFIG (said,
 * naming the folder) when it is not; EX_IOERR when a folder cannot be
 * made or looked at.  Every program calls it at start. */
int spool_init(const char *dir);
/* spool_init's check of the areas, read only, for -n: nothing is made; a
 * folder not there yet is passed over (it would be made on the area's own
 * filesystem).  EX_CONFIG or EX_IOERR said as spool_init says them. */
int spool_check(const char *dir);

/* A file being written: area is e.g. "SPOOL/po"; the data goes to
 * area/tmp/NAME.PID until spool_commit. */
struct spool_file {
	FILE *fp;		/* write here */
	char *area;
	char *name;
	char *tmppath;
};
int spool_create(struct spool_file *sf, const char *area, const char *name);
/* The same, saying nothing when it fails: for a file the caller can do
 * without (a read-ahead copy), whose failure the real step says again. */
int spool_create_quiet(struct spool_file *sf, const char *area, const char *name);
/* fflush, fsync, close, rename into area/sub/NAME (replacing a file of the
 * same name), fsync area/sub.  Frees sf.  On failure removes the tmp file. */
int spool_commit(struct spool_file *sf, const char *sub);
/* spool_commit, but the file's mtime is set to *mtime (NULL: left as
 * written) before it is fsync'd and renamed: po-export-parse gives each
 * batch the time NetSuite exported it (spool_list_entered). */
int spool_commit_at(struct spool_file *sf, const char *sub,
    const struct timespec *mtime);
/* spool_commit without either fsync, for a copy kept for people and
 * handed on to nothing (po/raw: the remote file stays in its archive):
 * its writer calls spool_sync once, after the run's files, instead of
 * two fsyncs per file (issue 12, P3). */
int spool_commit_lazy(struct spool_file *sf, const char *sub);
/* syncfs(2) of the file system holding dir: 0, or EX_IOERR said. */
int spool_sync(const char *dir);
/* Give up: close and remove the tmp file.  Frees sf. */
void spool_abort(struct spool_file *sf);
/* The whole of create, write and commit for data already in memory. */
int spool_deliver(const char *area, const char *sub, const char *name,
    const void *data, size_t len);

/*
 * Many files of one area handed on together, with a number of fsyncs
 * that does not grow with them (po-export-parse: every batch of a CSV).
 * The caller writes each with write(2) into its own file in area/tmp/
 * (spool_tmp_path's name, NAME.PID, as spool_create's), closes it, then,
 * once all are written: spool_sync_area (syncfs(2) of
 * the area's filesystem: every file written there durable), spool_publish
 * for each (rename into area/sub/NAME, no fsync: SPOOL_NO_TMP when this
 * process wrote no such file, nothing said), and spool_sync_dir(area,
 * sub) once.  A crash before spool_sync_dir may lose renames, never a
 * file's content: a file in sub/ is whole.  0 or EX_IOERR, said.
 */
#define SPOOL_NO_TMP	1
char *spool_tmp_path(const char *area, const char *name);
int spool_sync_area(const char *area);
int spool_publish(const char *area, const char *sub, const char *name);
int spool_sync_dir(const char *area, const char *sub);

/* Write data to path atomically (path.tmp.PID, fsync, rename, fsync dir):
 * for state files, cursors and ledgers. */
int spool_write_atomic(const char *path, const void *data, size_t len);
/* spool_write_atomic of n pieces written one after the other, for a
 * file made of large parts held apart (receipt-export's journal): no
 * copy of them joined. */
struct iovec;
int spool_write_atomic_v(const char *path, const struct iovec *iov, int n);
/* Bytes kept out of memory (a spill_text: issue 12, P4): fill writes
 * piece i of a file to fd, saying why it failed (what names the file);
 * 0 or EX_IOERR. */
typedef int spool_fill_fn(int fd, int i, const char *what, void *arg);
/* spool_write_atomic_v where a piece with a NULL base and a length is
 * fill's. */
int spool_write_atomic_f(const char *path, const struct iovec *iov, int n,
    spool_fill_fn *fill, void *arg);
/* spool_deliver of len bytes that fill (its piece 0) writes. */
int spool_deliver_f(const char *area, const char *sub, const char *name,
    size_t len, spool_fill_fn *fill, void *arg);
/* data into a new file path, not synced (its writer syncs the filesystem
 * once, then renames it into place): 0, or EX_IOERR said and path gone. */
int spool_write_unsynced(const char *path, const void *data, size_t len);

/* rename area/from/NAME to area/to/NAME, set its mtime to now (when it
 * reached `to`, which spool_prune goes by), fsync both folders.  A file
 * whose time cannot be set is still moved (0), with a warning: it may be
 * pruned early.  No caller may rely on a moved file keeping its old
 * mtime; a crash right after the rename may leave the old one. */
int spool_move(const char *area, const char *from, const char *to, const char *name);
/* spool_move, but the moved file's mtime is set to *made instead of now.
 * For one caller only: po-import sending a batch from cur/ back to new/
 * for a second upload gives it the time it was first made, so that it
 * keeps its place in new/'s order (spool_list_entered) instead of going
 * behind batches made after it.  The time is set before the rename (which
 * keeps it): a crash between the two leaves the file in from/ with its
 * made time, never in to/ with the old one (out of its order made). */
int spool_move_at(const char *area, const char *from, const char *to,
    const char *name, const struct timespec *made);
/* Move area/from/NAME to area/failed/NAME (by spool_move: its mtime is
 * now) and write area/failed/NAME.err holding the reason (one or more
 * lines a person can act on). */
int spool_fail(const char *area, const char *from, const char *name,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* 1 when area/sub/NAME exists for any sub in the NULL-terminated list. */
int spool_has(const char *area, const char *const subs[], const char *name);
/* The first sub of the list where area/sub/NAME exists, or NULL. */
const char *spool_which(const char *area, const char *const subs[],
    const char *name);

/* Sorted names of the regular files in dir whose name ends in suffix
 * (NULL: any) and does not start with '.'.  *v is malloc'd, NULL-terminated;
 * free with spool_list_free.  Returns 0 or EX_IOERR. */
int spool_list(const char *dir, const char *suffix, char ***v, size_t *n);
void spool_list_free(char **v);

/*
 * The order of a queue folder.
 *
 * spool_list_entered (SPOOL/po/new): spool_list, but in the order of the
 * files' mtimes as they are, oldest first, ties (and files gone
 * meanwhile, first) by name.  A PO batch's mtime is not this host's time:
 * po-export-parse sets it to when NetSuite exported the CSV, by the SFTP
 * server's clock (the CSV's mtime there), its nanoseconds counting the
 * batches of the run in the order they were made (spool_commit_at); and
 * po-import keeps it for a batch it sends back (spool_move_at).  So the
 * order is NetSuite's, whatever this host's clock did meanwhile (ran
 * ahead, was stepped back): no mtime is clamped to this host's now.
 *
 * spool_entered (the receipt queue, rfile.h): the file at path entered
 * its folder when its mtime says, in ns since the epoch, -1 when it cannot
 * be looked at; an mtime ahead of this host's clock (touch -d, a copy
 * from a host whose clock runs ahead) counts as now: a person's file
 * would otherwise sort behind every file made until then.
 */
int64_t spool_entered(const char *path);
/* 1 when the file at path is in the folder dir itself (their folders'
 * realpaths are one; dir NULL or missing: 0), however either is spelt. */
int spool_in(const char *dir, const char *path);
int spool_list_entered(const char *dir, const char *suffix, char ***v, size_t *n);

/*
 * The queues: one table (spool.c's spool_queues) of which folder, the
 * program whose metrics count it (posync_queue_files), what it holds
 * (work waiting, failures a person must act on, rows a person reads)
 * and which of its files are its items.  metrics_finish counts a
 * program's queues, posync-status checks each, and posync(7) lists
 * them, from this table.  An item never is a hidden file or a .err;
 * po/failed holds batches HotWax refused and the rows files
 * (SPOOL_ROWS_SUFFIX) of rows its logs failed: both are failures.
 */
#define SPOOL_ROWS_SUFFIX	".rows.json"	/* po-import: failed rows */
#define SPOOL_RECOVERED_SUFFIX	".recovered.csv"	/* po-export-parse:
				 * rows read NetSuite's way, not rejects */

enum spool_qkind {
	SPOOL_Q_WAITING,	/* work a program takes: its oldest's age */
	SPOOL_Q_FAILED,		/* any item: a person must act */
	SPOOL_Q_ROWS		/* CSV rows a person reads (--seen) */
};

struct spool_queue {
	const char *name;	/* "po/new": area/sub */
	const char *area, *sub;
	const char *prog;	/* whose metrics count it */
	enum spool_qkind kind;
	const char *suffix;	/* an item's name ends so; NULL: any */
	const char *skip;	/* ...but not so; NULL: none */
};

/* The queues, in the order posync-status checks them; name NULL ends. */
extern const struct spool_queue spool_queues[];
/* The queue of that name ("po/failed"), or NULL. */
const struct spool_queue *spool_queue_named(const char *name);
/* 1 when the file NAME in queue q is one of its items. */
int spool_queue_item(const struct spool_queue *q, const char *name);

/* Remove leftovers of a crashed writer: files in area/tmp, and
 * spool_write_atomic's PATH.tmp.PID in area, area/{new,cur,failed} and the
 * spool's state/ (state/parsed too), whose writer process is gone or whose
 * inode was last changed (ctime: a writer may set the mtime back to its
 * source's) more than a day ago.  Call while holding the lock. */
int spool_clean_tmp(const char *area);
/* Remove regular files in dir not modified for keep_days days: since
 * spool_move stamps a file when it arrives, those that reached dir (or
 * were last written there) keep_days ago.  spool_prune_keep spares too
 * every file for which keep(NAME, arg) is 1, whatever its age (po-import:
 * a batch whose data-manager log it still follows). */
int spool_prune(const char *dir, int keep_days);
int spool_prune_keep(const char *dir, int keep_days,
    int (*keep)(const char *name, void *arg), void *arg);

#endif
