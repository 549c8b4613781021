/*
 * csvcount -- the libcsv peer of bench/p1-parse.sh: parse a CSV with
 * libcsv (default options, as a short program would) and count its fields
 * and records, nothing else.  What "parse at libcsv speed" is measured
 * against.
 *
 *   bench/csvcount FILE
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <csv.h>

struct counts {
	unsigned long fields, rows;
};

static void
cb_field(void *s, size_t len, void *arg)
{
	(void)s, (void)len;
	((struct counts *)arg)->fields++;
}

static void
cb_row(int c, void *arg)
{
	(void)c;
	((struct counts *)arg)->rows++;
}

int
main(int argc, char **argv)
{
	static char b[1 << 16];
	struct csv_parser p;
	struct counts n = { 0, 0 };
	ssize_t r;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: csvcount FILE\n");
		return 64;
	}
	if ((fd = open(argv[1], O_RDONLY)) < 0 || csv_init(&p, 0) != 0) {
		fprintf(stderr, "csvcount: %s: %s\n", argv[1], strerror(errno));
		return 66;
	}
	while ((r = read(fd, b, sizeof b)) > 0)
		if (csv_parse(&p, b, (size_t)r, cb_field, cb_row, &n) != (size_t)r) {
			fprintf(stderr, "csvcount: %s: %s\n", argv[1],
			    csv_strerror(csv_error(&p)));
			return 65;
		}
	if (r < 0) {
		fprintf(stderr, "csvcount: %s: %s\n", argv[1], strerror(errno));
		return 74;
	}
	csv_fini(&p, cb_field, cb_row, &n);
	csv_free(&p);
	printf("%lu rows, %lu fields\n", n.rows, n.fields);
	return 0;
}
