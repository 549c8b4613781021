/*
 * tests/bed/fail-close.c -- preloaded into po-export-parse (tests/1122):
 * close(2) of a file whose path holds $FAIL_CLOSE (a substring) closes
 * it and then says EIO, as NFS or a FUSE filesystem does when a write it
 * had delayed fails at the close.  Every such close fails, on whichever
 * thread makes it.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int
close(int fd)
{
	static int (*real)(int);
	const char *want = getenv("FAIL_CLOSE");
	char self[64], path[4096];
	ssize_t n;
	int hit = 0, r;

	if (!real)
		real = (int (*)(int))dlsym(RTLD_NEXT, "close");
	snprintf(self, sizeof self, "/proc/self/fd/%d", fd);
	if (want && *want && (n = readlink(self, path, sizeof path - 1)) > 0) {
		path[n] = 0;
		hit = strstr(path, want) != NULL;
	}
	if ((r = real(fd)) == 0 && hit) {
		errno = EIO;
		return -1;
	}
	return r;
}
