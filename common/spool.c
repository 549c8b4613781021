/*
 * spool -- see spool.h.  The Maildir protocol, with nq's habit of an
 * fsync of the directory after every rename: a rename is durable only
 * once the directory entry is on disk, and "whole in new/" is the promise
 * every program relies on.
 *
 * Temporary files are named NAME.PID (spool_create, in area/tmp/) or
 * PATH.tmp.PID (spool_write_atomic, beside PATH), so spool_clean_tmp can
 * tell a file whose writer still runs (kill(pid, 0) succeeds) from the
 * leftover of a crashed one.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "msg.h"
#include "safename.h"
#include "spool.h"
#include "util.h"

#define FILE_MODE	0640
#define DIR_MODE	0750
#define TMP_MAX_AGE	(24 * 60 * 60)	/* a writer never takes a day */

static const char *const tree[] = {
	"po/tmp", "po/new", "po/cur", "po/failed", "po/rejects", "po/raw",
	"receipt/tmp", "receipt/new", "receipt/cur", "receipt/failed",
	"receipt/errors", "state", "state/parsed", NULL
};

/* Where a folder lives: its device and, where the kernel says, its
 * mount (a bind mount of the same filesystem has the same st_dev, yet
 * rename(2) across it fails with EXDEV all the same). */
struct where {
	dev_t dev;
	uint64_t mnt;		/* 0: not known */
};

static int
where_is(const char *path, struct where *w)
{
	struct stat st;
#ifdef STATX_MNT_ID
	struct statx sx;

	if (statx(AT_FDCWD, path, 0, STATX_BASIC_STATS | STATX_MNT_ID, &sx) == 0) {
		w->dev = makedev(sx.stx_dev_major, sx.stx_dev_minor);
		w->mnt = sx.stx_mask & STATX_MNT_ID ? sx.stx_mnt_id : 0;
		return 0;
	}
	if (errno != ENOSYS)
		return -1;
#endif
	if (stat(path, &st) < 0)
		return -1;
	w->dev = st.st_dev;
	w->mnt = 0;
	return 0;
}

/*
 * Every move within an area (tmp -> new -> cur, failed) is a rename, and
 * a rename cannot cross filesystems: with po/cur mounted elsewhere, each
 * run uploaded a batch, failed to move it (EXDEV) and uploaded it again
 * the next run.  So an area whose folders are not all on the area's own
 * filesystem and mount is refused before any work, naming the folder.
 * The areas themselves (po, receipt, state) may each be a mount of their
 * own: nothing is ever renamed from one area to another.  A dry run
 * (spool_check) makes nothing, so a folder not there yet is passed over.
 */
static int
one_filesystem(const char *dir, int dry)
{
	const char *const *t;
	struct where area, w;
	char *a, *p;
	int r = 0, ea, ep;

	for (t = tree; *t && !r; t++) {
		const char *slash = strchr(*t, '/');

		/* state is no area: nothing moves between its folders */
		if (!slash || strncmp(*t, "state/", 6) == 0)
			continue;
		a = xasprintf("%s/%.*s", dir, (int)(slash - *t), *t);
		p = path_join(dir, *t);
		ea = where_is(a, &area) < 0 ? errno : 0;
		ep = !ea && where_is(p, &w) < 0 ? errno : 0;
		if (ea || ep) {
			if (!dry || (ea ? ea : ep) != ENOENT) {
				errno = ea ? ea : ep;
				msg_warnerr("cannot stat %s", ea ? a : p);
				r = EX_IOERR;
			}
		} else if (w.dev != area.dev || (w.mnt && area.mnt && w.mnt != area.mnt)) {
			msg_warn("%s is on another filesystem or mount than %s: the "
			    "folders of a spool area must be one filesystem, since "
			    "work moves between them by rename(2); mount the "
			    "whole spool (or the whole of %s) there instead", p, a, a);
			r = EX_CONFIG;
		}
		free(a);
		free(p);
	}
	return r;
}

char *
spool_state_path(const char *dir, const char *name)
{
	return name ? xasprintf("%s/state/%s", dir, name) :
	    path_join(dir, "state");
}

char *
spool_state_file(const char *dir, const char *name, const char *ext)
{
	return xasprintf("%s/state/%s.%s", dir, name, ext);
}

char *
spool_area_path(const char *dir, const char *area, const char *sub)
{
	return sub ? xasprintf("%s/%s/%s", dir, area, sub) :
	    path_join(dir, area);
}

int
spool_init(const char *dir)
{
	const char *const *t;
	char *p;

	if (mkdir_p(dir, DIR_MODE) < 0) {
		msg_warnerr("cannot create the spool %s", dir);
		return EX_IOERR;
	}
	for (t = tree; *t; t++) {
		p = path_join(dir, *t);
		if (mkdir_p(p, DIR_MODE) < 0) {
			msg_warnerr("cannot create %s", p);
			free(p);
			return EX_IOERR;
		}
		free(p);
	}
	return one_filesystem(dir, 0);
}

int
spool_check(const char *dir)
{
	return one_filesystem(dir, 1);
}

/* Names are chosen by the programs; a bad one is a bug, said as such.
 * SPOOL_NAME_MAX (safename.h) leaves room for ".PID", ".err" and the
 * other suffixes within NAME_MAX. */
static int
bad_name(const char *name)
{
	if (!*name || *name == '.' || strchr(name, '/') ||
	    strlen(name) > SPOOL_NAME_MAX) {
		msg_warn("internal error: \"%s\" is not a valid spool file name", name);
		return 1;
	}
	return 0;
}

char *
spool_tmp_path(const char *area, const char *name)
{
	return xasprintf("%s/tmp/%s.%ld", area, name, (long)getpid());
}

/* spool_create, saying why it failed unless quiet. */
static int
create(struct spool_file *sf, const char *area, const char *name, int quiet)
{
	int fd;

	memset(sf, 0, sizeof *sf);
	if (bad_name(name))
		return EX_SOFTWARE;
	sf->tmppath = spool_tmp_path(area, name);
	fd = open(sf->tmppath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
	    FILE_MODE);
	if (fd < 0 || !(sf->fp = fdopen(fd, "w"))) {
		if (!quiet)
			msg_warnerr("cannot create %s", sf->tmppath);
		if (fd >= 0) {
			close(fd);
			unlink(sf->tmppath);
		}
		free(sf->tmppath);
		sf->tmppath = NULL;
		return EX_IOERR;
	}
	sf->area = xstrdup(area);
	sf->name = xstrdup(name);
	return 0;
}

int
spool_create(struct spool_file *sf, const char *area, const char *name)
{
	return create(sf, area, name, 0);
}

int
spool_create_quiet(struct spool_file *sf, const char *area, const char *name)
{
	return create(sf, area, name, 1);
}

static void
sf_free(struct spool_file *sf)
{
	free(sf->area);
	free(sf->name);
	free(sf->tmppath);
	memset(sf, 0, sizeof *sf);
}

/* fflush + fsync (unless lazy) + fclose, saying what failed. */
static int
close_synced(FILE *fp, const char *path, int lazy)
{
	int r = 0;

	if (fflush(fp) != 0 || ferror(fp)) {
		msg_warnerr("cannot write %s", path);
		r = -1;
	} else if (!lazy && fsync(fileno(fp)) < 0) {
		msg_warnerr("cannot fsync %s", path);
		r = -1;
	}
	if (fclose(fp) != 0 && r == 0) {
		msg_warnerr("cannot close %s", path);
		r = -1;
	}
	return r;
}

int
spool_commit(struct spool_file *sf, const char *sub)
{
	return spool_commit_at(sf, sub, NULL);
}

/* The data is flushed before the time is set: a later write would move
 * it again. */
static int
set_mtime(FILE *fp, const char *path, const struct timespec *mtime)
{
	struct timespec t[2];

	t[0].tv_sec = 0;
	t[0].tv_nsec = UTIME_OMIT;
	t[1] = *mtime;
	if (fflush(fp) != 0 || ferror(fp)) {
		msg_warnerr("cannot write %s", path);
		return -1;
	}
	if (futimens(fileno(fp), t) < 0) {
		msg_warnerr("cannot set the time of %s", path);
		return -1;
	}
	return 0;
}

static int commit(struct spool_file *sf, const char *sub,
    const struct timespec *mtime, int lazy);

int
spool_commit_at(struct spool_file *sf, const char *sub,
    const struct timespec *mtime)
{
	return commit(sf, sub, mtime, 0);
}

int
spool_commit_lazy(struct spool_file *sf, const char *sub)
{
	return commit(sf, sub, NULL, 1);
}

int
spool_sync(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), r = 0;

	if (fd < 0 || syncfs(fd) < 0) {
		msg_warnerr("cannot sync the file system of %s", dir);
		r = EX_IOERR;
	}
	if (fd >= 0)
		close(fd);
	return r;
}

static int
commit(struct spool_file *sf, const char *sub, const struct timespec *mtime,
    int lazy)
{
	char *dir, *dst;
	int r = 0;

	if (!sf->fp)
		return EX_SOFTWARE;
	dir = path_join(sf->area, sub);
	dst = path_join(dir, sf->name);
	if (mtime && set_mtime(sf->fp, sf->tmppath, mtime) < 0) {
		fclose(sf->fp);
		r = EX_IOERR;
	} else if (close_synced(sf->fp, sf->tmppath, lazy) < 0) {
		r = EX_IOERR;
	} else if (rename(sf->tmppath, dst) < 0) {
		msg_warnerr("cannot rename %s to %s", sf->tmppath, dst);
		r = EX_IOERR;
	} else if (!lazy && fsync_dir(dir) < 0) {
		/* The file is there but may not survive a crash: a rerun
		 * makes it again under the same name. */
		msg_warnerr("cannot fsync %s", dir);
		r = EX_IOERR;
	}
	if (r && unlink(sf->tmppath) < 0 && errno != ENOENT)
		msg_warnerr("cannot remove %s", sf->tmppath);
	sf->fp = NULL;
	free(dir);
	free(dst);
	sf_free(sf);
	return r;
}

void
spool_abort(struct spool_file *sf)
{
	if (sf->fp)
		fclose(sf->fp);
	if (sf->tmppath && unlink(sf->tmppath) < 0 && errno != ENOENT)
		msg_warnerr("cannot remove %s", sf->tmppath);
	sf_free(sf);
}

/* The n pieces of iov, one after the other, into a new file tmp,
 * fsync'd when sync: 0 or EX_IOERR said.  A piece with no base is
 * fill's (spool_write_atomic_f). */
static int
write_new_f(const char *tmp, const struct iovec *iov, int n, int sync,
    spool_fill_fn *fill, void *arg)
{
	int fd, i, r = 0;

	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, FILE_MODE);
	if (fd < 0) {
		msg_warnerr("cannot create %s", tmp);
		return EX_IOERR;
	}
	for (i = 0; i < n && !r; i++) {
		if (!iov[i].iov_base && iov[i].iov_len) {
			/* fill says why it failed */
			if ((r = fill(fd, i, tmp, arg)) != 0)
				goto done;
		} else if (write_all(fd, iov[i].iov_base, iov[i].iov_len) < 0)
			r = -1;
	}
	if (r) {
		msg_warnerr("cannot write %s", tmp);
		r = EX_IOERR;
	} else if (sync && fsync(fd) < 0) {
		msg_warnerr("cannot fsync %s", tmp);
		r = EX_IOERR;
	}
	if (close(fd) < 0 && !r) {
		msg_warnerr("cannot close %s", tmp);
		r = EX_IOERR;
	}
	return r;
done:
	close(fd);
	return EX_IOERR;
}

static int
write_new_v(const char *tmp, const struct iovec *iov, int n, int sync)
{
	return write_new_f(tmp, iov, n, sync, NULL, NULL);
}

static int
write_new(const char *tmp, const void *data, size_t len, int sync)
{
	struct iovec iov = { (void *)(uintptr_t)data, len };

	return write_new_v(tmp, &iov, 1, sync);
}

int
spool_write_unsynced(const char *path, const void *data, size_t len)
{
	int r = write_new(path, data, len, 0);

	if (r)
		unlink(path);
	return r;
}

/* Write iov's pieces to path through tmp (any path in the same
 * directory). */
static int
write_via_f(const char *tmp, const char *path, const struct iovec *iov, int n,
    spool_fill_fn *fill, void *arg)
{
	char *dir, *slash;
	int r;

	r = write_new_f(tmp, iov, n, 1, fill, arg);
	if (!r && rename(tmp, path) < 0) {
		msg_warnerr("cannot rename %s to %s", tmp, path);
		r = EX_IOERR;
	}
	if (r) {
		unlink(tmp);
		return r;
	}
	dir = xstrdup(path);
	slash = strrchr(dir, '/');
	if (!slash)
		strcpy(dir, ".");
	else if (slash == dir)
		slash[1] = 0;
	else
		*slash = 0;
	if (fsync_dir(dir) < 0) {
		msg_warnerr("cannot fsync %s", dir);
		r = EX_IOERR;
	}
	free(dir);
	return r;
}

static int
write_via_v(const char *tmp, const char *path, const struct iovec *iov, int n)
{
	return write_via_f(tmp, path, iov, n, NULL, NULL);
}

static int
write_via(const char *tmp, const char *path, const void *data, size_t len)
{
	struct iovec iov = { (void *)(uintptr_t)data, len };

	return write_via_v(tmp, path, &iov, 1);
}

int
spool_deliver(const char *area, const char *sub, const char *name,
    const void *data, size_t len)
{
	struct spool_file sf;
	int r;

	if ((r = spool_create(&sf, area, name)) != 0)
		return r;
	if (fwrite(data, 1, len, sf.fp) != len) {
		msg_warnerr("cannot write %s", sf.tmppath);
		spool_abort(&sf);
		return EX_IOERR;
	}
	return spool_commit(&sf, sub);
}

int
spool_deliver_f(const char *area, const char *sub, const char *name,
    size_t len, spool_fill_fn *fill, void *arg)
{
	struct spool_file sf;
	int r;

	if ((r = spool_create(&sf, area, name)) != 0)
		return r;
	if (len && (fflush(sf.fp) != 0 ||
	    (r = fill(fileno(sf.fp), 0, sf.tmppath, arg)) != 0)) {
		if (!r)
			msg_warnerr("cannot write %s", sf.tmppath);
		spool_abort(&sf);
		return EX_IOERR;
	}
	return spool_commit(&sf, sub);
}

int
spool_write_atomic_f(const char *path, const struct iovec *iov, int n,
    spool_fill_fn *fill, void *arg)
{
	char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	int r = write_via_f(tmp, path, iov, n, fill, arg);

	free(tmp);
	return r;
}

int
spool_write_atomic(const char *path, const void *data, size_t len)
{
	struct iovec iov = { (void *)(uintptr_t)data, len };

	return spool_write_atomic_v(path, &iov, 1);
}

int
spool_write_atomic_v(const char *path, const struct iovec *iov, int n)
{
	char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	int r = write_via_v(tmp, path, iov, n);

	free(tmp);
	return r;
}

int
spool_move(const char *area, const char *from, const char *to, const char *name)
{
	return spool_move_at(area, from, to, name, NULL);
}

static void
set_time(const char *path, const struct timespec *t)
{
	if (utimensat(AT_FDCWD, path, t, AT_SYMLINK_NOFOLLOW) < 0)
		msg_warnerr("cannot set the time of %s (it may be pruned before "
		    "its keep_days)", path);
}

int
spool_move_at(const char *area, const char *from, const char *to,
    const char *name, const struct timespec *made)
{
	struct timespec t[2];
	char *fdir = path_join(area, from), *tdir = path_join(area, to);
	char *src = path_join(fdir, name), *dst = path_join(tdir, name);
	int r = 0;

	/* The time the caller keeps is set BEFORE the rename (which keeps
	 * it): a kill between the two leaves the file where it was with that
	 * time, never in its new place with its old one (for po-import, a
	 * batch out of its order made).  The time it came here, which
	 * spool_prune goes by (spool.h), is set after: a kill before it then
	 * leaves it in the new place with its old time, pruned sooner, rather
	 * than stamped now where it was (out of its order in new/).  The move
	 * is done either way, and a failure to set the time is said. */
	if (made) {
		t[0].tv_sec = 0;
		t[0].tv_nsec = UTIME_OMIT;
		t[1] = *made;
		set_time(src, t);
	}
	if (rename(src, dst) < 0) {
		msg_warnerr("cannot move %s to %s", src, tdir);
		r = EX_IOERR;
		goto out;
	}
	if (!made)
		set_time(dst, NULL);
	if (fsync_dir(tdir) < 0) {
		msg_warnerr("cannot fsync %s", tdir);
		r = EX_IOERR;
	} else if (fsync_dir(fdir) < 0) {
		msg_warnerr("cannot fsync %s", fdir);
		r = EX_IOERR;
	}
out:
	free(fdir);
	free(tdir);
	free(src);
	free(dst);
	return r;
}

/*
 * The .err file is written first (atomically, through area/tmp, so it is
 * never half there), then the file is moved.  A crash between the two
 * leaves a NAME.err in failed/ with NAME still in `from`, where the next
 * run retries it and, failing again, rewrites the .err; a failed/ file
 * without its .err can never happen.  (When the move fails without a
 * crash, the .err is removed again.)  The other order would leave
 * exactly that, a failed file nobody is told about, until something
 * noticed.  A stale .err left by such a crash is pruned with the rest of
 * failed/ after keep_days, and NAME.err is never taken for work (spool_list
 * skips .err names).
 */
int
spool_fail(const char *area, const char *from, const char *name, const char *fmt, ...)
{
	struct buf why = {0};
	char *faildir, *errpath, *tmp, *errname, *text;
	va_list ap;
	int n, r;

	if (bad_name(name))
		return EX_SOFTWARE;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	text = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	if (vsnprintf(text, (size_t)n + 1, fmt, ap) < 0)
		n = 0;
	va_end(ap);
	/* One line, escaped as messages are: the reason quotes HotWax or a
	 * file, and a person reads the .err with cat. */
	if (n > 0 && text[n - 1] == '\n')
		n--;
	esc_add(&why, text, (size_t)n);
	buf_addc(&why, '\n');
	free(text);

	faildir = path_join(area, "failed");
	errname = xasprintf("%s.err", name);
	errpath = path_join(faildir, errname);
	tmp = xasprintf("%s/tmp/%s.%ld", area, errname, (long)getpid());
	r = write_via(tmp, errpath, why.s, why.len);
	if (!r && (r = spool_move(area, from, "failed", name)) != 0)
		unlink(errpath);	/* it would explain a file not there */
	free(faildir);
	free(errname);
	free(errpath);
	free(tmp);
	buf_free(&why);
	return r;
}

int
spool_has(const char *area, const char *const subs[], const char *name)
{
	return spool_which(area, subs, name) != NULL;
}

const char *
spool_which(const char *area, const char *const subs[], const char *name)
{
	struct stat st;
	char *p;
	int found;

	for (; *subs; subs++) {
		p = xasprintf("%s/%s/%s", area, *subs, name);
		found = lstat(p, &st) == 0;
		free(p);
		if (found)
			return *subs;
	}
	return NULL;
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);

	return ls >= lx && strcmp(s + ls - lx, suffix) == 0;
}

const struct spool_queue spool_queues[] = {
	{ "po/new", "po", "new", "po-import", SPOOL_Q_WAITING, ".json",
	    NULL },
	{ "po/failed", "po", "failed", "po-import", SPOOL_Q_FAILED, ".json",
	    NULL },
	{ "po/rejects", "po", "rejects", "po-export-parse", SPOOL_Q_ROWS,
	    ".csv", SPOOL_RECOVERED_SUFFIX },
	{ "receipt/new", "receipt", "new", "receipt-push", SPOOL_Q_WAITING,
	    ".json", NULL },
	{ "receipt/failed", "receipt", "failed", "receipt-push",
	    SPOOL_Q_FAILED, ".json", NULL },
	{ "receipt/errors", "receipt", "errors", "receipt-push", SPOOL_Q_ROWS,
	    NULL, NULL },	/* NetSuite's names */
	{ NULL, NULL, NULL, NULL, SPOOL_Q_WAITING, NULL, NULL }
};

const struct spool_queue *
spool_queue_named(const char *name)
{
	const struct spool_queue *q;

	for (q = spool_queues; name && q->name; q++)
		if (strcmp(q->name, name) == 0)
			return q;
	return NULL;
}

int
spool_queue_item(const struct spool_queue *q, const char *name)
{
	return name[0] != '.' && !ends_with(name, ".err") &&
	    (!q->suffix || ends_with(name, q->suffix)) &&
	    (!q->skip || !ends_with(name, q->skip));
}

int
spool_list(const char *dir, const char *suffix, char ***v, size_t *n)
{
	DIR *d;
	struct dirent *e;
	struct stat st;
	char **list = NULL;
	size_t cnt = 0, cap = 0;
	int want_err = suffix && strcmp(suffix, ".err") == 0;

	*v = NULL;
	*n = 0;
	if (!(d = opendir(dir))) {
		msg_warnerr("cannot read the folder %s", dir);
		return EX_IOERR;
	}
	for (;;) {
		errno = 0;
		if (!(e = readdir(d)))
			break;
		if (e->d_name[0] == '.')
			continue;
		if (suffix && !ends_with(e->d_name, suffix))
			continue;
		if (!want_err && ends_with(e->d_name, ".err"))
			continue;
		if (e->d_type == DT_UNKNOWN || e->d_type == DT_REG) {
			if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
				continue;	/* gone meanwhile */
			if (!S_ISREG(st.st_mode))
				continue;
		} else {
			continue;
		}
		if (cnt + 2 > cap) {
			cap = cap ? cap * 2 : 16;
			list = xrealloc(list, cap * sizeof *list);
		}
		list[cnt++] = xstrdup(e->d_name);
	}
	if (errno) {
		msg_warnerr("cannot read the folder %s", dir);
		closedir(d);
		while (cnt)
			free(list[--cnt]);
		free(list);
		return EX_IOERR;
	}
	closedir(d);
	if (!list)
		list = xcalloc(1, sizeof *list);
	sort_strings(list, cnt);
	list[cnt] = NULL;
	*v = list;
	*n = cnt;
	return 0;
}

/* The mtime of the file at path in ns since the epoch; -1 when it cannot
 * be looked at. */
static int64_t
mtime_ns(const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return -1;
	return (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
}

int64_t
spool_entered(const char *path)
{
	struct timespec now;
	int64_t t = mtime_ns(path), n;

	clock_gettime(CLOCK_REALTIME, &now);
	n = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
	return t > n ? n : t;
}

int
spool_in(const char *dir, const char *path)
{
	char *d = xstrdup(path), *slash = strrchr(d, '/'), *r, *rd;
	int in;

	if (!slash)
		r = realpath(".", NULL);
	else if (slash == d)
		r = realpath("/", NULL);
	else {
		*slash = 0;
		r = realpath(d, NULL);
	}
	rd = dir ? realpath(dir, NULL) : NULL;	/* NULL: not made yet (-n) */
	in = r && rd && strcmp(r, rd) == 0;
	free(rd);
	free(r);
	free(d);
	return in;
}

struct entry {
	char *name;
	int64_t t;
};

static int
entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return strcmp(x->name, y->name);
}

int
spool_list_entered(const char *dir, const char *suffix, char ***v, size_t *n)
{
	struct entry *e;
	char *p;
	size_t i;
	int r;

	if ((r = spool_list(dir, suffix, v, n)) != 0 || *n < 2)
		return r;
	e = xcalloc(*n, sizeof *e);
	for (i = 0; i < *n; i++) {
		p = path_join(dir, (*v)[i]);
		e[i].name = (*v)[i];
		e[i].t = mtime_ns(p);	/* no clamp: spool.h */
		free(p);
	}
	qsort(e, *n, sizeof *e, entry_cmp);
	for (i = 0; i < *n; i++)
		(*v)[i] = e[i].name;
	free(e);
	return 0;
}

void
spool_list_free(char **v)
{
	char **p;

	if (!v)
		return;
	for (p = v; *p; p++)
		free(*p);
	free(v);
}

/* The writer's pid from a name ending in ".PID"; 0 when there is none. */
static pid_t
tmp_pid(const char *name)
{
	const char *dot = strrchr(name, '.'), *p;
	long pid = 0;

	if (!dot || !dot[1])
		return 0;
	for (p = dot + 1; *p; p++) {
		if (*p < '0' || *p > '9' || pid > 100000000)
			return 0;
		pid = pid * 10 + (*p - '0');
	}
	return (pid_t)pid;
}

/* 1 when name is a spool_write_atomic leftover: it ends in ".tmp.PID". */
static int
is_atomic_tmp(const char *name)
{
	const char *dot = strrchr(name, '.');

	return dot && dot - name >= 4 && strncmp(dot - 4, ".tmp", 4) == 0 &&
	    tmp_pid(name) > 0;
}

/* Remove the temporary files in dir whose writer is gone or that are older
 * than a day: every file when all is set (a tmp/ folder), else only
 * spool_write_atomic's PATH.tmp.PID. */
static int
clean_dir(const char *dir, int all)
{
	char *p, **v;
	struct stat st;
	size_t i, n;
	time_t now = time(NULL);
	pid_t pid;
	int r, dead;

	if (!all && access(dir, F_OK) < 0)
		return 0;
	/* spool_list's view is enough: the spool writes no dot files. */
	if ((r = spool_list(dir, NULL, &v, &n)) != 0)
		return r;
	/* spool_list hides *.err; a crashed spool_fail leaves NAME.err.PID,
	 * which does not end in .err, so it is seen. */
	for (i = 0; i < n; i++) {
		if (!all && !is_atomic_tmp(v[i]))
			continue;
		p = path_join(dir, v[i]);
		if (lstat(p, &st) < 0) {
			free(p);
			continue;
		}
		pid = tmp_pid(v[i]);
		dead = pid <= 0 || (kill(pid, 0) < 0 && errno == ESRCH);
		/* the age is the inode's (ctime): a writer sets a file's mtime
		 * to its source's, days old (po-export-parse's batches wait in
		 * tmp/ so until the file's end), and its pid may be reused */
		if (dead || now - st.st_ctime > TMP_MAX_AGE) {
			if (unlink(p) < 0 && errno != ENOENT) {
				msg_warnerr("cannot remove %s", p);
				r = EX_IOERR;
			} else {
				msg_info("removed %s, left by a writer that is %s",
				    p, dead ? "gone" : "a day old");
			}
		}
		free(p);
	}
	spool_list_free(v);
	return r;
}

int
spool_clean_tmp(const char *area)
{
	/* ".": the area's own files (receipt/excess.csv) are replaced atomically
	 * too; state/parsed: po-export-parse's markers wait there for a run's
	 * sync as NAME.tmp.PID */
	static const char *const subs[] = {".", "new", "cur", "failed", "../state",
	    "../state/parsed"};
	char *dir;
	size_t i;
	int r;

	dir = path_join(area, "tmp");
	r = clean_dir(dir, 1);
	free(dir);
	for (i = 0; i < sizeof subs / sizeof subs[0]; i++) {
		dir = path_join(area, subs[i]);
		r = exit_merge(r, clean_dir(dir, 0));
		free(dir);
	}
	return r;
}

int
spool_prune(const char *dir, int keep_days)
{
	return spool_prune_keep(dir, keep_days, NULL, NULL);
}

int
spool_prune_keep(const char *dir, int keep_days,
    int (*keep)(const char *name, void *arg), void *arg)
{
	DIR *d;
	struct dirent *e;
	struct stat st;
	time_t limit;
	char *p;
	int r = 0;

	if (keep_days < 0)
		return 0;
	limit = time(NULL) - (time_t)keep_days * 86400;
	if (!(d = opendir(dir))) {
		msg_warnerr("cannot read the folder %s", dir);
		return EX_IOERR;
	}
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (!S_ISREG(st.st_mode) || st.st_mtime >= limit)
			continue;
		if (keep && keep(e->d_name, arg))
			continue;
		if (unlinkat(dirfd(d), e->d_name, 0) < 0 && errno != ENOENT) {
			p = path_join(dir, e->d_name);
			msg_warnerr("cannot remove %s", p);
			free(p);
			r = EX_IOERR;
		}
	}
	closedir(d);
	return r;
}

/* ---------------------------------------------------------------- batched */

int
spool_sync_area(const char *area)
{
	char *tmpdir = path_join(area, "tmp");
	int fd, r = 0;

	if ((fd = open(tmpdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 ||
	    syncfs(fd) < 0) {
		msg_warnerr("cannot sync the filesystem of %s", tmpdir);
		r = EX_IOERR;
	}
	if (fd >= 0)
		close(fd);
	free(tmpdir);
	return r;
}

int
spool_publish(const char *area, const char *sub, const char *name)
{
	char *tmp = spool_tmp_path(area, name), *dst;
	int r = 0;

	dst = xasprintf("%s/%s/%s", area, sub, name);
	if (rename(tmp, dst) == 0)
		r = 0;
	else if (errno == ENOENT && access(tmp, F_OK) < 0 && errno == ENOENT)
		r = SPOOL_NO_TMP;	/* not written by this process */
	else {
		msg_warnerr("cannot rename %s to %s", tmp, dst);
		r = EX_IOERR;
	}
	free(tmp);
	free(dst);
	return r;
}

int
spool_sync_dir(const char *area, const char *sub)
{
	char *dir = path_join(area, sub);
	int r = 0;

	if (fsync_dir(dir) < 0) {
		msg_warnerr("cannot fsync %s", dir);
		r = EX_IOERR;
	}
	free(dir);
	return r;
}
