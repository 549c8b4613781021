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
#include <unistd.h>

#include "lock.h"
#include "msg.h"
#include "util.h"

int
lock_take(const char *spooldir, const char *name)
{
	char *path = xasprintf("%s/state/%s.lock", spooldir, name);
	int fd;

	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0640);
	if (fd < 0) {
		msg_warnerr("cannot open the lock %s", path);
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
