/*
 * lock -- see lock.h.  flock(2) rather than a pid file: the kernel drops
 * the lock when the process dies, however it dies, so a kill -9 never
 * leaves a stale lock for a person to clean up.  The descriptor is
 * O_CLOEXEC, so a child the program runs does not keep the lock alive.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "lock.h"
#include "msg.h"
#include "spool.h"
#include "util.h"

/* SPOOL/state/NAME.lock, malloc'd */
static char *
lock_path(const char *spooldir, const char *name)
{
	return spool_state_file(spooldir, name, "lock");
}

static int
lock_open(const char *spooldir, const char *name, char **pathp)
{
	char *path = lock_path(spooldir, name);
	int fd;

	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0640);
	if (fd < 0)
		msg_warnerr("cannot open the lock %s", path);
	*pathp = path;
	return fd;
}

int
lock_take(const char *spooldir, const char *name)
{
	char *path;
	int fd;

	if ((fd = lock_open(spooldir, name, &path)) < 0) {
		free(path);
		return EX_IOERR;
	}
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int busy = errno == EWOULDBLOCK;

		if (errno == EINTR)
			continue;
		if (busy)
			msg_warn("%s is already running (lock %s)", name, path);
		else
			msg_warnerr("cannot lock %s", path);
		close(fd);
		free(path);
		return busy ? EX_TEMPFAIL : EX_IOERR;
	}
	/* fd stays open on purpose: the lock lives as long as the process. */
	free(path);
	return 0;
}

int
lock_try(const char *spooldir, const char *name, int wait_s, int *fdp)
{
	struct timespec pause = { 0, 50 * 1000000L };
	int64_t until = now_ms() + (int64_t)wait_s * 1000;
	char *path;
	int fd, rc = 0;

	*fdp = -1;
	if ((fd = lock_open(spooldir, name, &path)) < 0) {
		free(path);
		return EX_IOERR;
	}
	/* Polled, not a blocking flock: the wait stays bounded. */
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK) {
			msg_warnerr("cannot lock %s", path);
			rc = EX_IOERR;
			break;
		}
		if (now_ms() >= until) {
			rc = EX_TEMPFAIL;
			break;
		}
		nanosleep(&pause, NULL);
	}
	free(path);
	if (rc)
		close(fd);
	else
		*fdp = fd;
	return rc;
}

int
lock_busy(const char *spooldir, const char *name)
{
	char *path = lock_path(spooldir, name);
	int fd, busy = 0;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) >= 0) {
		if (flock(fd, LOCK_EX | LOCK_NB) < 0 && errno == EWOULDBLOCK)
			busy = 1;
		close(fd);	/* and with it the lock, if it was had */
	}
	free(path);
	return busy;
}

void
lock_drop(int *fd)
{
	if (*fd >= 0)
		close(*fd);	/* closing the only descriptor unlocks */
	*fd = -1;
}
