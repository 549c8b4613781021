/*
 * fuzz_util.h -- the bodies of fuzz.h's helpers, included by the one
 * harness file that needs them (each harness is a program of its own).
 */
#include <fcntl.h>
#include <ftw.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

static char fuzz_dir[4096];

static int
fuzz_rm(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st, (void)flag, (void)f;
	return remove(p);
}

static void
fuzz_cleanup(void)
{
	if (fuzz_dir[0])
		nftw(fuzz_dir, fuzz_rm, 16, FTW_DEPTH | FTW_PHYS);
}

const char *
fuzz_tmpdir(void)
{
	const char *t = getenv("TMPDIR");

	if (fuzz_dir[0])
		return fuzz_dir;
	if (snprintf(fuzz_dir, sizeof fuzz_dir, "%s/posync-fuzz.XXXXXX",
	    t && *t ? t : "/tmp") >= (int)sizeof fuzz_dir || !mkdtemp(fuzz_dir)) {
		perror("fuzz: mkdtemp");
		abort();
	}
	atexit(fuzz_cleanup);
	return fuzz_dir;
}

void
fuzz_write(const char *path, const void *data, size_t len)
{
	const char *p = data;
	ssize_t w;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0 || fchmod(fd, 0600) < 0) {
		perror(path);
		abort();
	}
	while (len > 0) {
		w = write(fd, p, len);
		if (w < 0) {
			perror(path);
			abort();
		}
		p += w;
		len -= (size_t)w;
	}
	close(fd);
}
