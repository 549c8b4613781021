/*
 * The PO CSV reader tested from files (tests/data/pocsv/README): each
 * CASE.csv is read through common/pocsv as po-export-parse reads it, no
 * server, and what it gives is compared with the files beside it --
 * CASE.json (the batch of the good rows), CASE.rejects (the rejects CSV),
 * CASE.recovered (the recovered-rows CSV), CASE.ledger (the polines
 * records) and CASE.unusable (why the whole file cannot be used).  A file
 * that is not there means that output is empty.
 *
 * usage: pocsv_cases DIR
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decimal.h"
#include "msg.h"
#include "pocsv.h"
#include "tap.h"
#include "util.h"

#define FILE_MAX	(1 << 20)

/* What a case gives, each as text ("" when nothing). */
struct got {
	struct buf json, ledger;
	char *rej, *rec;
	size_t rejlen, reclen;
	char *unusable;
};

/* DIR/CASE.EXT's text, "" when there is no such file. */
static char *
expected(const char *dir, const char *name, const char *ext)
{
	char *path = xasprintf("%s/%s.%s", dir, name, ext), *data;
	size_t len;

	if (read_file(path, FILE_MAX, &data, &len) < 0) {
		if (errno != ENOENT) {
			printf("Bail out! cannot read %s\n", path);
			exit(1);
		}
		data = xstrdup("");
	}
	free(path);
	return data;
}

/* CASE.format's first line, else the default arrival_date_format. */
static char *
date_format(const char *dir, const char *name)
{
	char *f = expected(dir, name, "format");

	if (!*f) {
		free(f);
		return xstrdup("MM/DD/YYYY");
	}
	f[strcspn(f, "\n")] = 0;
	return f;
}

/* A good row into the batch, as po-export-parse writes one batch. */
static void
add_json(struct got *g, const struct pocsv_row *row)
{
	buf_adds(&g->json, g->json.len ? ",\n" : "[\n");
	pocsv_json(&g->json, row);
}

/* The ledger record po-export-parse appends for a row (pocsv_poline). */
static void
add_ledger(struct got *g, const struct pocsv_row *row)
{
	struct poline rec;
	char q[DEC_BUFSZ];

	if (!pocsv_poline(row, &rec))
		return;
	buf_addf(&g->ledger, "%s\t%s\t%s\n", rec.po, rec.line,
	    rec.has_qty ? dec_format(rec.qty, q) : "?");
}

/* The rows of p into g and the rejects and recovered CSVs, as
 * po-export-parse writes them: 0, or -1 on a read error. */
static int
read_rows(struct pocsv *p, struct got *g, const char *file, FILE *rej, FILE *rec)
{
	struct pocsv_row row;
	int r;

	while ((r = pocsv_next(p, &row)) > 0) {
		add_ledger(g, &row);
		if (row.reason) {
			if (ftell(rej) == 0)
				fputs(POCSV_REJECTS_HEADER, rej);
			pocsv_reject_csv(rej, &row);
			continue;
		}
		add_json(g, &row);
		if (row.recovered) {
			if (ftell(rec) == 0)
				fputs(POCSV_RECOVERED_HEADER, rec);
			pocsv_recovered_csv(rec, file, &row);
		}
	}
	return r;
}

/* Read DIR/CASE.csv into g, as po-export-parse does. */
static void
run_case(const char *dir, const char *name, struct got *g)
{
	char *path = xasprintf("%s/%s.csv", dir, name), *fmt = date_format(dir, name);
	FILE *rej = open_memstream(&g->rej, &g->rejlen);
	FILE *rec = open_memstream(&g->rec, &g->reclen);
	struct pocsv *p;
	int fd, r;

	if ((fd = open(path, O_RDONLY)) < 0 || !rej || !rec) {
		printf("Bail out! cannot open %s\n", path);
		exit(1);
	}
	if ((r = pocsv_open(&p, fd, fmt, &g->unusable)) == 0)
		r = read_rows(p, g, path_base(path), rej, rec);
	if (r < 0) {
		printf("Bail out! cannot read %s\n", path);
		exit(1);
	}
	if (r != POCSV_UNUSABLE)
		pocsv_close(p);
	if (g->json.len)
		buf_adds(&g->json, "\n]\n");
	fclose(rej);
	fclose(rec);
	close(fd);
	free(fmt);
	free(path);
}

/* One output of a case against its file. */
static void
compare(const char *dir, const char *name, const char *ext, const char *got)
{
	char *want = expected(dir, name, ext);

	if (!ok(strcmp(got, want) == 0, "%s: %s.%s", name, name, ext))
		printf("#   got:\n%s#   want:\n%s", got, want);
	free(want);
}

static void
one_case(const char *dir, const char *name)
{
	struct got g = { 0 };
	char *why;

	run_case(dir, name, &g);
	why = g.unusable ? xasprintf("%s\n", g.unusable) : xstrdup("");
	compare(dir, name, "unusable", why);
	compare(dir, name, "json", g.json.len ? g.json.s : "");
	compare(dir, name, "rejects", g.rej);
	compare(dir, name, "recovered", g.rec);
	compare(dir, name, "ledger", g.ledger.len ? g.ledger.s : "");
	free(why);
	free(g.unusable);
	free(g.rej);
	free(g.rec);
	buf_free(&g.json);
	buf_free(&g.ledger);
}

/* The cases: DIR's *.csv, in name order. */
static size_t
list_cases(const char *dir, char ***v)
{
	struct dirent *d;
	size_t n = 0, len;
	DIR *dp;

	if (!(dp = opendir(dir))) {
		printf("Bail out! cannot open %s\n", dir);
		exit(1);
	}
	*v = NULL;
	while ((d = readdir(dp)) != NULL) {
		len = strlen(d->d_name);
		if (len <= 4 || strcmp(d->d_name + len - 4, ".csv") != 0)
			continue;
		*v = xrealloc(*v, (n + 1) * sizeof **v);
		(*v)[n++] = xstrndup(d->d_name, len - 4);
	}
	closedir(dp);
	sort_strings(*v, n);
	return n;
}

int
main(int argc, char **argv)
{
	char **v;
	size_t i, n;

	msg_init("unit-pocsv-cases");
	if (argc != 2) {
		printf("Bail out! usage: pocsv_cases DIR\n");
		return 1;
	}
	n = list_cases(argv[1], &v);
	ok(n >= 20, "%zu cases in %s", n, argv[1]);
	for (i = 0; i < n; i++) {
		one_case(argv[1], v[i]);
		free(v[i]);
	}
	free(v);
	return done_testing();
}
