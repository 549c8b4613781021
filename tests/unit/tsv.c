/*
 * Unit tests for common/tsv.c: the escaping of posync's TAB-separated
 * state files round-trips every byte but NUL; malformed escapes are
 * refused; splitting counts fields and refuses too many.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "tsv.h"

static void
esc_is(const char *s, const char *want)
{
	struct buf b = {0};
	char *back;

	tsv_esc(&b, s);
	buf_addc(&b, 0);
	is_str(b.s, want, "escape of a %zu-byte field", strlen(s));
	back = tsv_unesc_dup(b.s, strlen(b.s));
	ok(back && strcmp(back, s) == 0, "  comes back the same");
	free(back);
	buf_free(&b);
}

/* Every byte but NUL: one line, 3 bytes longer (\\, \t, \n), and back. */
static void
round_all(const char *s)
{
	struct buf b = {0};
	char *back;

	tsv_esc(&b, s);
	ok(b.len == strlen(s) + 3 && !memchr(b.s, '\t', b.len) && !memchr(b.s, '\n', b.len),
	    "bytes 1-255 escaped: no TAB, no LF, 3 bytes longer");
	back = tsv_unesc_dup(b.s, b.len);
	ok(back && strcmp(back, s) == 0, "  and come back the same");
	free(back);
	buf_free(&b);
}

/* Longer than tsv_esc's chunk of 512, escapes on each side of its end. */
static void
long_field(void)
{
	char s[1201], want[2401];
	size_t i, n = 0;

	for (i = 0; i < 1200; i++) {
		s[i] = i % 97 == 0 || i == 511 || i == 512 ? '\t' : 'a' + (char)(i % 26);
		if (s[i] == '\t')
			want[n++] = '\\', want[n++] = 't';
		else
			want[n++] = s[i];
	}
	s[1200] = 0, want[n] = 0;
	esc_is(s, want);
}

static void
bad(const char *s)
{
	ok(tsv_unesc(NULL, s, strlen(s)) == -1 && tsv_unesc_dup(s, strlen(s)) == NULL,
	    "malformed \"%s\" refused", s);
}

int
main(void)
{
	char all[256], line[64], *v[3];
	int i;

	esc_is("plain", "plain");
	long_field();
	esc_is("", "");
	esc_is("a\tb\nc\\d", "a\\tb\\nc\\\\d");
	esc_is("\\t", "\\\\t");
	for (i = 1; i < 256; i++)
		all[i - 1] = (char)i;
	all[255] = 0;
	round_all(all);
	bad("\\");
	bad("a\\x");
	bad("\\0");
	ok(tsv_unesc(NULL, "a\\tb", 4) == 0, "check only: well-formed is 0");
	strcpy(line, "a\tb\t\tc");
	is_int(tsv_split(line, v, 3), 4, "four fields, three allowed: 4 (max + 1)");
	strcpy(line, "a\tb\t");
	is_int(tsv_split(line, v, 3), 3, "a TAB b TAB: three fields");
	is_str(v[0], "a", "  first a");
	is_str(v[1], "b", "  second b");
	is_str(v[2], "", "  third empty");
	return done_testing();
}
