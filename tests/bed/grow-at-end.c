/*
 * tests/bed/grow-at-end.c -- preloaded into the bed's sshd (sshd.sh,
 * SSHD_PRELOAD): a file that grows just after the server has read to its
 * end, every time, however fast or slow the client is.  internal-sftp
 * answers a read request with read(2); when such a read of a regular file
 * comes back short (the file's end) and $GROW_DIR/NAME exists, NAME being
 * the file's own name, that file's bytes are appended to the file and
 * $GROW_DIR/NAME is removed: it grows once, between the answer that saw
 * its end and the next read request, as a file NetSuite is still writing
 * does when the timing is unlucky (tests/1028).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *dir;	/* read before sshd's children change environ */
static ssize_t (*real_read)(int, void *, size_t);

__attribute__((constructor)) static void
setup(void)
{
	const char *p = getenv("GROW_DIR");

	if (p != NULL)
		dir = strdup(p);
}

/* fd's file grows by $GROW_DIR/NAME, once. */
static void
grow(int fd)
{
	char self[64], path[PATH_MAX], ctl[PATH_MAX + 64], buf[65536];
	const char *name;
	struct stat st;
	ssize_t n, r;
	int in, out;

	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		return;
	snprintf(self, sizeof self, "/proc/self/fd/%d", fd);
	if ((n = readlink(self, path, sizeof path - 1)) <= 0)
		return;
	path[n] = '\0';
	name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	snprintf(ctl, sizeof ctl, "%s/%s", dir, name);
	if ((in = open(ctl, O_RDONLY)) < 0)
		return;
	unlink(ctl);
	if ((out = open(path, O_WRONLY | O_APPEND)) >= 0) {
		while ((r = real_read(in, buf, sizeof buf)) > 0)
			if (write(out, buf, (size_t)r) != r)
				break;
		close(out);
	}
	close(in);
}

ssize_t
read(int fd, void *buf, size_t count)
{
	ssize_t r;

	/* here, not in setup: other objects' constructors read first */
	if (real_read == NULL)
		real_read = (ssize_t (*)(int, void *, size_t))dlsym(RTLD_NEXT,
		    "read");
	r = real_read(fd, buf, count);
	if (dir != NULL && r >= 0 && (size_t)r < count)
		grow(fd);
	return r;
}
