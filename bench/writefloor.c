/*
 * writefloor -- the write floor of bench/p1-parse.sh: what any program
 * that writes po-export-parse's batches must pay the kernel, and nothing
 * else.  As many bytes as FILE holds (all the batches, one after the
 * other) go into N new files of equal size in DIR, each made with
 * O_CREAT|O_EXCL and written in 64 KiB writes from one buffer, as
 * po-export-parse makes its batches; -s then syncs DIR's filesystem once
 * (syncfs), as its run does.  The buffer holds FILE's first 64 KiB, again
 * and again: what the kernel does with a page does not depend on what is
 * in it, and reading FILE would be a price of its own.  No ftruncate:
 * split(1) truncates each file it makes, and on ext4 a file truncated and
 * then written is flushed at its close (auto_da_alloc), a price
 * po-export-parse does not pay.  With FILE empty (/dev/null), N empty
 * files: the create floor.
 *
 *   bench/writefloor [-s] FILE N DIR
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHUNK 65536

int
main(int argc, char **argv)
{
	static char b[CHUNK];
	int sync = argc > 1 && strcmp(argv[1], "-s") == 0, fd;
	const char *file, *dir;
	size_t len, each, k, w;
	unsigned long i, n;
	char path[4096];
	struct stat st;

	if (argc != 4 + sync || (n = strtoul(argv[2 + sync], NULL, 10)) == 0) {
		fprintf(stderr, "usage: writefloor [-s] FILE N DIR\n");
		return 2;
	}
	file = argv[1 + sync], dir = argv[3 + sync];
	if ((fd = open(file, O_RDONLY)) < 0 || fstat(fd, &st) < 0 ||
	    read(fd, b, sizeof b) < 0) {
		perror(file);
		return 1;
	}
	close(fd);
	len = (size_t)st.st_size;
	each = (len + n - 1) / n;
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s/%06lu", dir, i);
		if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0640)) < 0) {
			perror(path);
			return 1;
		}
		for (k = 0; k < each && len > 0; k += w, len -= w) {
			w = each - k < CHUNK ? each - k : CHUNK;
			w = w < len ? w : len;
			if (write(fd, b, w) != (ssize_t)w) {
				perror(path);
				return 1;
			}
		}
		if (close(fd) < 0) {
			perror(path);
			return 1;
		}
	}
	if (sync && ((fd = open(dir, O_RDONLY | O_DIRECTORY)) < 0 ||
	    syncfs(fd) < 0)) {
		perror(dir);
		return 1;
	}
	return 0;
}
