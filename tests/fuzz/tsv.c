/*
 * tsv -- common/tsv.c, the one escaping of posync's TAB-separated state
 * files (polines ledger, receipt-export's state and journal).
 *
 * The input is split at its first NUL byte (when it has one) into a
 * field x (no NUL) and a line s (any bytes).  Invariants:
 *  - tsv_esc(x) holds no TAB and no LF, and tsv_unesc_dup gives x back;
 *  - tsv_unesc refuses s exactly when a reference reader (below) finds a
 *    malformed escape: a '\\' last, or before anything but '\\', 't', 'n';
 *    and what it accepts it unescapes as that reader does, checking alone
 *    (out NULL) saying the same;
 *  - tsv_split of x cuts it at its TABs: the fields joined by TAB give x
 *    back, none holding a TAB; more than max fields say max + 1, the
 *    last field then holding the rest of the line.
 */
#include <string.h>

#include "fuzz.h"
#include "tsv.h"
#include "util.h"

/* The reference: -1 when malformed, else the unescaped length in out. */
static long
ref_unesc(const char *s, size_t len, char *out)
{
	size_t i, o = 0;

	for (i = 0; i < len; i++) {
		if (s[i] != '\\') {
			out[o++] = s[i];
			continue;
		}
		if (i + 1 == len)
			return -1;
		switch (s[++i]) {
		case '\\':
			out[o++] = '\\';
			break;
		case 't':
			out[o++] = '\t';
			break;
		case 'n':
			out[o++] = '\n';
			break;
		default:
			return -1;
		}
	}
	return (long)o;
}

static void
check_field(const char *x)
{
	struct buf b = { 0 };
	char *back;

	buf_adds(&b, "");
	tsv_esc(&b, x);
	FUZZ_CHECK(!memchr(b.s, '\t', b.len) && !memchr(b.s, '\n', b.len),
	    "an escaped field holds TAB or LF");
	back = tsv_unesc_dup(b.s, b.len);
	FUZZ_CHECK(back != NULL, "tsv_unesc_dup refuses what tsv_esc wrote");
	FUZZ_CHECK(strcmp(back, x) == 0, "tsv_unesc_dup(tsv_esc(x)) is not x");
	free(back);
	buf_free(&b);
}

static void
check_line(const char *s, size_t len)
{
	char *ref = xmalloc(len + 1), *out = xmalloc(len + 1);
	long n = ref_unesc(s, len, ref);
	int rc = tsv_unesc(out, s, len);

	FUZZ_CHECK((rc == 0) == (n >= 0), "tsv_unesc gave %d, the reference %ld",
	    rc, n);
	FUZZ_CHECK(tsv_unesc(NULL, s, len) == rc, "checking alone differs");
	if (rc == 0)
		FUZZ_CHECK(memcmp(out, ref, (size_t)n) == 0 && out[n] == 0,
		    "tsv_unesc unescapes unlike the reference");
	free(ref);
	free(out);
}

static void
check_split(const char *x)
{
	char *line = xstrdup(x), *f[8];
	struct buf j = { 0 };
	int n = tsv_split(line, f, 8), i, tabs = 0;
	const char *p;

	for (p = x; *p; p++)
		tabs += *p == '\t';
	FUZZ_CHECK(n == (tabs + 1 > 8 ? 9 : tabs + 1), "%d fields for %d TABs",
	    n, tabs);
	buf_adds(&j, "");
	for (i = 0; i < n && i < 8; i++) {
		/* with more than 8, the last holds the rest, TABs and all */
		FUZZ_CHECK(i == 7 || !strchr(f[i], '\t'), "field %d holds a TAB", i);
		if (i)
			buf_addc(&j, '\t');
		buf_adds(&j, f[i]);
	}
	FUZZ_CHECK(strcmp(j.s, x) == 0, "the fields joined are not x");
	buf_free(&j);
	free(line);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nul = memchr(data, 0, size);
	size_t nx = nul ? (size_t)(nul - (const char *)data) : size;
	char *x = xstrndup((const char *)data, nx);

	check_field(x);
	check_split(x);
	if (nul)
		check_line(nul + 1, size - nx - 1);
	else
		check_line(x, nx);
	free(x);
	return 0;
}
