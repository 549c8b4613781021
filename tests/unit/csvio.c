/*
 * Unit tests for common/csvio.c: what csvio_add_row writes, csvio_parse
 * reads back byte for byte, whatever the values hold (commas, quotes, CR,
 * LF, NUL, spaces, 100 KiB); RFC 4180 text as NetSuite writes it; BOM,
 * blank lines, a torn last row, too many fields, the callback's status.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "csvio.h"
#include "msg.h"
#include "util.h"

#define MAXROWS 16

/* What a parse gave: each row's fields as (len, bytes) */
struct got {
	size_t rows, n[MAXROWS], dropped[MAXROWS];
	int unterm[MAXROWS];
	struct buf f[MAXROWS][8];
	int stop_at;		/* return 7 from this row on (0: never) */
};

static int
keep(const struct csvio_row *row, void *arg)
{
	struct got *g = arg;
	size_t i;

	if (g->rows == MAXROWS)
		return 99;
	g->n[g->rows] = row->n;
	g->dropped[g->rows] = row->dropped;
	g->unterm[g->rows] = row->unterminated;
	for (i = 0; i < row->n && i < 8; i++) {
		buf_add(&g->f[g->rows][i], "", 0);
		buf_add(&g->f[g->rows][i], row->f[i], row->len[i]);
		if (row->f[i][row->len[i]] != 0)
			return 98;	/* not NUL-terminated */
	}
	g->rows++;
	return g->stop_at && (int)g->rows >= g->stop_at ? 7 : 0;
}

static void
got_free(struct got *g)
{
	size_t i, j;

	for (i = 0; i < MAXROWS; i++)
		for (j = 0; j < 8; j++)
			buf_free(&g->f[i][j]);
}

static int
field_is(struct got *g, size_t r, size_t i, const char *want, size_t wlen)
{
	return r < g->rows && i < g->n[r] && g->f[r][i].len == wlen &&
	    memcmp(g->f[r][i].s, want, wlen) == 0;
}

static void
t_roundtrip(void)
{
	static char big[100 * 1024 + 3];
	const char *v[] = { "PO,1", "say \"no\"", "a\r\nb", "cr\ronly", "lf\nonly",
	    "", " spaced ", "\"", ",", "\xff\xfe", big };
	size_t len[11], i, bad = 0;
	struct got g = {0};
	struct buf out = {0};

	memset(big, 'x', sizeof big - 1);
	big[5] = '"';
	big[6] = '\n';
	big[7] = ',';
	for (i = 0; i < 11; i++)
		len[i] = strlen(v[i]);
	/* a NUL inside a value: given by length */
	const char nul[] = "ab\0cd\"";
	const char *v2[] = { nul, "r1 r2" };
	size_t len2[] = { sizeof nul - 1, 5 };

	csvio_add_row(&out, v, len, 3);
	csvio_add_row(&out, v + 3, len + 3, 8);
	csvio_add_row(&out, v2, len2, 2);
	ok(out.len > 0 && out.s[out.len - 1] == '\n', "rows end with LF");
	is_int(csvio_parse(out.s, out.len, keep, &g), 0, "what was written parses");
	is_int(g.rows, 3, "  three rows, no more (no value made a row of its own)");
	is_int(g.n[0], 3, "  row 1 has its 3 fields");
	is_int(g.n[1], 8, "  row 2 has its 8 fields");
	is_int(g.n[2], 2, "  row 3 has its 2 fields");
	for (i = 0; i < 11; i++)
		if (!field_is(&g, i < 3 ? 0 : 1, i < 3 ? i : i - 3, v[i], len[i])) {
			printf("#   value %zu differs\n", i);
			bad++;
		}
	is_int(bad, 0, "  every value comes back byte for byte (comma, quote, CR, LF, 100 KiB)");
	ok(field_is(&g, 2, 0, nul, sizeof nul - 1), "  a NUL byte inside a value too");
	ok(!g.unterm[0] && !g.unterm[2], "  no row is torn");
	got_free(&g);
	buf_free(&out);
}

static void
t_netsuite(void)
{
	/* RFC 4180 as a spreadsheet or NetSuite writes it: quoting only
	 * where needed, CRLF, a BOM, a quoted CRLF inside a message */
	static const char text[] = "\xef\xbb\xbforderId,errorMessage\r\n"
	    "\"PO,1\",\"line \"\"7\"\" is closed\r\nsee log\"\r\n"
	    "PO2, leading space\r\n\r\n"
	    "PO3\r\n"
	    "PO4,\"torn";
	struct got g = {0};

	is_int(csvio_parse(text, sizeof text - 1, keep, &g), 0, "NetSuite's error CSV parses");
	is_int(g.rows, 5, "  header and 4 rows (the blank line is none)");
	ok(field_is(&g, 0, 0, "orderId", 7), "  the BOM is not part of the header");
	ok(field_is(&g, 1, 0, "PO,1", 4), "  a quoted comma");
	ok(field_is(&g, 1, 1, "line \"7\" is closed\r\nsee log", 27),
	    "  doubled quotes and a quoted CRLF");
	ok(field_is(&g, 2, 1, " leading space", 14), "  spaces are data");
	is_int(g.n[3], 1, "  a row of one field");
	ok(field_is(&g, 4, 1, "torn", 4) && g.unterm[4], "  a torn last row is given, marked");
	ok(!g.unterm[3], "  the rows before it are not");
	got_free(&g);
}

static void
t_bounds(void)
{
	struct buf in = {0};
	struct got g = {0};
	size_t i;

	for (i = 0; i < CSVIO_MAX_FIELDS + 10; i++)
		buf_adds(&in, "a,");
	buf_adds(&in, "z\nok\n");
	is_int(csvio_parse(in.s, in.len, keep, &g), 0, "a row of 267 fields parses");
	ok(g.n[0] == CSVIO_MAX_FIELDS && g.dropped[0] == 11,
	    "  %d given, the rest counted (%zu)", CSVIO_MAX_FIELDS, g.dropped[0]);
	ok(g.rows == 2 && field_is(&g, 1, 0, "ok", 2) && g.dropped[1] == 0,
	    "  the next row is whole");
	got_free(&g);
	memset(&g, 0, sizeof g);
	g.stop_at = 1;
	is_int(csvio_parse("a\nb\nc\n", 6, keep, &g), 7, "the callback's status is returned");
	is_int(g.rows, 1, "  and no row is given after it");
	got_free(&g);
	memset(&g, 0, sizeof g);
	is_int(csvio_parse("", 0, keep, &g), 0, "empty data: no rows");
	is_int(g.rows, 0, "  none");
	/* excess.csv as posync wrote it before: unquoted ids */
	is_int(csvio_parse("order_id,line_id,quantity,receipt_ids\n10,1,2,r1 r2\n",
	    50, keep, &g), 0, "the old excess.csv form parses");
	ok(g.rows == 2 && g.n[1] == 4 && field_is(&g, 1, 3, "r1 r2", 5), "  as its 4 fields");
	got_free(&g);
	buf_free(&in);
}

int
main(void)
{
	msg_init("unit-csvio");
	t_roundtrip();
	t_netsuite();
	t_bounds();
	return done_testing();
}
