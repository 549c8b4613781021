/*
 * Unit tests of common/json.c: the one JSON string writer (cJSON's
 * escaping), used by pocsv's batch JSON and receipt-export's file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "json.h"
#include "tap.h"
#include "util.h"

static char *
js(const char *s)
{
	struct buf b = { 0 };

	json_str(&b, s);
	return b.s;
}

/* s written, then read back by cJSON: s again? */
static int
round_trip(const char *s)
{
	char *t = js(s);
	cJSON *j = cJSON_Parse(t);
	int same = cJSON_IsString(j) && strcmp(cJSON_GetStringValue(j), s) == 0;

	cJSON_Delete(j);
	free(t);
	return same;
}

static void
t_escapes(void)
{
	char *s;

	is_str(s = js(""), "\"\"", "the empty string");
	free(s);
	is_str(s = js("12009298"), "\"12009298\"", "nothing to escape: as it is");
	free(s);
	is_str(s = js("a\"b\\c\n\x01"), "\"a\\\"b\\\\c\\n\\u0001\"",
	    "quote and backslash escaped, LF as \\n, other control bytes \\u00XX");
	free(s);
	is_str(s = js("\b\f\r\t\x1f"), "\"\\b\\f\\r\\t\\u001f\"",
	    "\\b \\f \\r \\t by name, 0x1f as \\u001f");
	free(s);
	is_str(s = js("\x7f/\xc3\xa9"), "\"\x7f/\xc3\xa9\"",
	    "DEL, '/' and UTF-8 as they are");
	free(s);
}

static void
t_round_trip(void)
{
	char s[4] = "x?y";
	char *big;
	int c, bad = 0;

	for (c = 1; c < 256; c++) {
		s[1] = (char)c;
		if (!round_trip(s))
			bad++;
	}
	is_int(bad, 0, "every byte but NUL reads back as written");
	big = xmalloc(100001);
	memset(big, '"', 100000);
	big[100000] = 0;
	big[500] = '\n';
	ok(round_trip(big), "a long string of quotes reads back as written");
	free(big);
}

static void
t_appends(void)
{
	struct buf b = { 0 };

	buf_adds(&b, "[");
	json_str(&b, "a");
	buf_addc(&b, ',');
	json_str(&b, "b");
	buf_addc(&b, ']');
	is_str(b.s, "[\"a\",\"b\"]", "appends to what the buffer holds");
	ok(b.len == strlen(b.s), "the length follows");
	buf_free(&b);
}

/* The table against cJSON itself, the reference (json.h), for every byte
 * but NUL, alone and among others; json_strn with a NUL. */
static void
t_as_cjson(void)
{
	char s[4] = "x?y", *t;
	struct buf b = { 0 };
	cJSON *j;
	int c, differ = 0;

	for (c = 1; c < 256; c++) {
		s[1] = (char)c;
		j = cJSON_CreateString(s);
		t = cJSON_PrintUnformatted(j);
		buf_reset(&b);
		json_str(&b, s);
		if (strcmp(b.s, t) != 0)
			differ++;
		cJSON_free(t);
		cJSON_Delete(j);
	}
	is_int(differ, 0, "every byte written as cJSON writes it");
	buf_reset(&b);
	json_strn(&b, "a\0b", 3);
	is_str(b.s, "\"a\\u0000b\"", "json_strn: a NUL as \\u0000");
	buf_free(&b);
}

/* Each byte at each place of plain strings of 1 to 24 bytes (json_put
 * takes 8 plain bytes at a time), and the table's bytes in a row, as
 * cJSON writes them. */
static void
t_places(void)
{
	char s[26], *t;
	struct buf b = { 0 };
	cJSON *j;
	int c, differ = 0;
	size_t len, at;

	for (len = 1; len <= 24; len++)
		for (at = 0; at < len; at++)
			for (c = 1; c < 256; c++) {
				memset(s, 'a' + (int)(at % 26), len);
				s[len] = 0;
				s[at] = (char)c;
				if (at + 1 < len)
					s[len - 1] = (char)(c ^ 0x80) ? (char)(c ^ 0x80) : 'z';
				j = cJSON_CreateString(s);
				t = cJSON_PrintUnformatted(j);
				buf_reset(&b);
				json_str(&b, s);
				if (strcmp(b.s, t) != 0 && differ++ < 5)
					printf("#   differs: %s\n", t);
				cJSON_free(t);
				cJSON_Delete(j);
			}
	is_int(differ, 0, "every byte at every place of 1 to 24 bytes as cJSON");
	buf_free(&b);
}

int
main(void)
{
	t_as_cjson();
	t_places();
	t_escapes();
	t_round_trip();
	t_appends();
	return done_testing();
}
