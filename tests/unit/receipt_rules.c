/*
 * Table-driven tests of common/receipt_rules.c: each folder of
 * tests/data/receipts/ (given as the argument) is a case, run through
 * rx_decide with no server, one TAP line per expected output.  A case
 * is one step, or steps 1/, 2/ ... run in order, each over the state the
 * one before left.  In a step, every file is optional but clock:
 *
 *   clock       now MS / overlap SECONDS (900) / keep_days N (30)
 *   state       a state file, as receipt-export writes it (none: a
 *               first run; a later step carries the state on)
 *   receipts    ID ORDER SEQ ACCEPTED MS, one row of ShipmentReceiptAndItem
 *               a line; "-" is a field HotWax did not give, ACCEPTED
 *               "bad" one it gave wrong (either makes the row bad)
 *   hotwax      order ORDERID EXTERNALID|- TYPE
 *               item ORDERID SEQ LINEID|- QUANTITY|-
 *   polines     PO LINE ORDERED|?      (NetSuite's CSV; ? unknown)
 *   seed        PO LINE ACCEPTED       (received before --start-at's floor)
 *               held PO                (a row before it that cannot count)
 * and what is expected (a file that is absent is not checked, but
 * receipt.json and excess.csv: absent, there must be none):
 *   receipt.json  the receipt file, byte for byte
 *   excess.csv    the excess rows, byte for byte (no header)
 *   cursor        the new cursor (ms)
 *   status        0, or 65 when something is held back
 *   ledger        the receipt ids in the ledger after the run, one a line
 *   drop          the POs now fully received, one a line
 * Lines starting with # and blank lines are comments.
 */
#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "decimal.h"
#include "msg.h"
#include "receipt_rules.h"
#include "receipt_state.h"
#include "tap.h"
#include "util.h"

#define MAX_FIELDS	8
#define MAX_FILE	(1L << 20)
#define DAY_MS		INT64_C(86400000)
#define WHERE		"https://hotwax.test/api/"

static char *
slurp(const char *dir, const char *name)
{
	char *path = path_join(dir, name), *data = NULL;
	size_t len;

	if (read_file(path, MAX_FILE, &data, &len) < 0)
		data = NULL;
	free(path);
	return data;
}

/* Each non-comment line of dir/name cut at blanks into f: fn(f, n). */
static void
each_line(const char *dir, const char *name,
    void (*fn)(char **f, int n, void *arg), void *arg)
{
	char *data = slurp(dir, name), *rest = data, *line, *f[MAX_FIELDS];
	char *p, *save;
	int n;

	while (rest && (line = strsep(&rest, "\n")) != NULL) {
		for (n = 0, p = strtok_r(line, " \t", &save); p && n < MAX_FIELDS;
		    p = strtok_r(NULL, " \t", &save))
			f[n++] = p;
		if (n > 0 && f[0][0] != '#')
			fn(f, n, arg);
	}
	free(data);
}

static const char *
opt(const char *s)
{
	return strcmp(s, "-") == 0 ? NULL : s;
}

static dec_t
qty(const char *s, int *ok_)
{
	dec_t v = 0;

	*ok_ = opt(s) && dec_parse(s, strlen(s), &v) == 0;
	return v;
}

struct clock {
	int64_t now, overlap_ms, keep_ms;
};

static void
clock_line(char **f, int n, void *arg)
{
	struct clock *c = arg;
	int64_t v = n > 1 ? strtoll(f[1], NULL, 10) : 0;

	if (strcmp(f[0], "now") == 0)
		c->now = v;
	else if (strcmp(f[0], "overlap") == 0)
		c->overlap_ms = v * 1000;
	else if (strcmp(f[0], "keep_days") == 0)
		c->keep_ms = v * DAY_MS;
}

static void
receipt_line(char **f, int n, void *arg)
{
	int good;
	dec_t acc;
	int64_t ms;
	int bad;

	if (n < 5) {
		ok(0, "a receipts line has 5 fields");
		return;
	}
	acc = qty(f[3], &good);
	ms = opt(f[4]) ? strtoll(f[4], NULL, 10) : -1;
	bad = !opt(f[0]) || !opt(f[1]) || !opt(f[2]) || !opt(f[4]) || !good;
	rx_input_receipt(arg, opt(f[0]), opt(f[1]), opt(f[2]), good ? acc : 0,
	    ms, bad ? "a field HotWax got wrong" : NULL);
}

static void
hotwax_order(char **f, int n, void *arg)
{
	if (strcmp(f[0], "order") == 0 && n >= 4)
		rx_input_order(arg, f[1], opt(f[2]), f[3]);
}

static void
hotwax_item(char **f, int n, void *arg)
{
	int good;
	dec_t q;

	if (strcmp(f[0], "item") != 0 || n < 5)
		return;
	q = qty(f[4], &good);
	rx_input_item(arg, f[1], f[2], opt(f[3]), good, q);
}

static void
polines_line(char **f, int n, void *arg)
{
	int good;
	dec_t q;

	if (n < 3)
		return;
	q = qty(f[2], &good);
	rx_input_csv(arg, f[0], f[1], strcmp(f[2], "?") != 0 && good, q);
}

static void
seed_line(char **f, int n, void *arg)
{
	int good;
	dec_t q;

	if (strcmp(f[0], "held") == 0 && n >= 2)
		rx_input_seed(arg, f[1], NULL, 0);
	else if (n >= 3 && (q = qty(f[2], &good), good))
		rx_input_seed(arg, f[0], f[1], q);
}

/* The ids of the ledger, sorted, one a line (from the state's text). */
static char *
ledger_of(const struct rx_state *st)
{
	struct buf b = { 0 }, out = { 0 };
	char *rest, *line;

	rx_state_format(st, &b);
	for (rest = b.s; (line = strsep(&rest, "\n")) != NULL; )
		if (strncmp(line, "r\t", 2) == 0) {
			*strchr(line + 2, '\t') = 0;
			buf_adds(&out, line + 2);
			buf_addc(&out, '\n');
		}
	buf_free(&b);
	buf_adds(&out, "");
	return out.s;
}

/* text as TAP diagnostics, each line "#     " */
static void
diag(const char *label, const char *text)
{
	const char *p, *nl;

	printf("#   %s:\n", label);
	for (p = text; *p; p = nl + 1) {
		if (!(nl = strchr(p, '\n')))
			nl = p + strlen(p) - 1;
		printf("#     %.*s\n", (int)(nl - p + (*nl != '\n')), p);
	}
}

/* want: the expected file's text, NULL when absent. */
static void
same(const char *what, const char *got, const char *want, const char *step)
{
	if (!ok(strcmp(got, want ? want : "") == 0, "%s: %s", step, what)) {
		diag("got", got);
		diag("want", want ? want : "");
	}
}

static void
check(const char *dir, const char *step, const struct rx_decision *d,
    const struct rx_state *st)
{
	char *want, *got;
	char num[32];

	want = slurp(dir, "receipt.json");
	same("the receipt file", d->file.s ? d->file.s : "", want, step);
	free(want);
	want = slurp(dir, "excess.csv");
	same("the excess rows", d->excess.s ? d->excess.s : "", want, step);
	free(want);
	if ((want = slurp(dir, "cursor"))) {
		snprintf(num, sizeof num, "%" PRId64 "\n", rx_state_cursor(st));
		same("the cursor", num, want, step);
		free(want);
	}
	if ((want = slurp(dir, "status"))) {
		snprintf(num, sizeof num, "%d\n", d->held ? EX_DATAERR : 0);
		same("the status", num, want, step);
		free(want);
	}
	if ((want = slurp(dir, "ledger"))) {
		got = ledger_of(st);
		same("the ledger", got, want, step);
		free(got);
		free(want);
	}
	if ((want = slurp(dir, "drop"))) {
		same("the POs fully received", d->drop.s ? d->drop.s : "", want,
		    step);
		free(want);
	}
}

/* One step in dir over *st (replaced when the step has a state file). */
static void
step(const char *dir, const char *name, struct rx_state **st)
{
	struct clock c = { 0, 900000, 30 * DAY_MS };
	struct rx_decision d;
	struct rx_input *in;
	char *text = slurp(dir, "state");

	if (text) {
		rx_state_free(*st);
		*st = rx_state_new();
		ok(rx_state_parse(*st, text, strlen(text), "state") == 0,
		    "%s: its state parses", name);
		free(text);
	}
	each_line(dir, "clock", clock_line, &c);
	in = rx_input_new(*st, c.now, c.overlap_ms, c.keep_ms, WHERE);
	each_line(dir, "receipts", receipt_line, in);
	each_line(dir, "hotwax", hotwax_order, in);
	each_line(dir, "hotwax", hotwax_item, in);
	each_line(dir, "polines", polines_line, in);
	each_line(dir, "seed", seed_line, in);
	rx_decide(in, *st, &d);
	check(dir, name, &d, *st);
	rx_decision_free(&d);
	rx_input_free(in);
}

static int
is_dir(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sub-folders of dir, sorted; *n set.  NULL-terminated. */
static char **
folders(const char *dir, size_t *n)
{
	DIR *dp = opendir(dir);
	struct dirent *e;
	char **v = NULL, *p;

	*n = 0;
	while (dp && (e = readdir(dp)) != NULL) {
		p = path_join(dir, e->d_name);
		if (e->d_name[0] != '.' && is_dir(p)) {
			v = xrealloc(v, (*n + 2) * sizeof *v);
			v[(*n)++] = xstrdup(e->d_name);
		}
		free(p);
	}
	if (dp)
		closedir(dp);
	if (*n)
		qsort(v, *n, sizeof *v, cmp);
	return v;
}

static void
run_case(const char *top, const char *name)
{
	struct rx_state *st = rx_state_new();
	char *dir = path_join(top, name), *sdir, *sname, **v;
	size_t i, n;

	v = folders(dir, &n);
	if (n == 0)
		step(dir, name, &st);
	for (i = 0; i < n; i++) {
		sdir = path_join(dir, v[i]);
		sname = xasprintf("%s step %s", name, v[i]);
		step(sdir, sname, &st);
		free(sdir);
		free(sname);
		free(v[i]);
	}
	free(v);
	free(dir);
	rx_state_free(st);
}

int
main(int argc, char **argv)
{
	char **v;
	size_t i, n;

	msg_init("receipt_rules-test");
	if (argc != 2) {
		fprintf(stderr, "usage: receipt_rules tests/data/receipts\n");
		return 2;
	}
	v = folders(argv[1], &n);
	ok(n > 0, "cases in %s", argv[1]);
	for (i = 0; i < n; i++) {
		run_case(argv[1], v[i]);
		free(v[i]);
	}
	free(v);
	return done_testing();
}
