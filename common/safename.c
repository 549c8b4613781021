/*
 * safename -- see safename.h.
 *
 * The escaping is injective: every byte outside [A-Za-z0-9._+@,-] is
 * written as "=XX" (two upper-case hex digits), '=' itself included, and
 * so is a leading '-' or '.'.  Decoding "=XX" back gives the remote name,
 * so two names can only meet if they are equal.  "." and ".." become
 * "=2E" and "=2E.".
 *
 * A name whose escaped form is longer than SAFENAME_MAX keeps a prefix
 * of it (never cutting an escape in two), then "=_", then the FNV-1a
 * 64-bit hash of the whole remote name in 16 lower-case hex digits, then
 * the name's extension when it is short and plain (so "*.csv" stays
 * "*.csv").  "=_" never occurs in an escaped name (after '=' always comes
 * a hex digit), so a shortened name never equals a plain one.  Two
 * shortened names meet only when their first ~160 bytes are equal AND
 * their 64-bit hashes are: for a million such names the chance of an
 * accidental hash collision is about n^2 / 2^65, below 1e-7.  FNV is not
 * cryptographic, so someone could craft a collision on purpose, but the
 * names come from NetSuite's own export script and from posync, not
 * from an adversary.
 */
#include <stdio.h>
#include <string.h>

#include "safename.h"
#include "util.h"

#define HASH_TAIL	(2 + 16)	/* "=_" and 16 hex digits */
#define EXT_MAX		16

static int
plain(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || strchr("._+@,-", c) != NULL;
}

static void
escape(struct buf *b, const unsigned char *s, size_t len, int first)
{
	static const char hex[] = "0123456789ABCDEF";
	char e[3];
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] && plain(s[i]) && !(first && i == 0 && (s[i] == '-' || s[i] == '.'))) {
			buf_addc(b, (char)s[i]);
			continue;
		}
		e[0] = '=';
		e[1] = hex[s[i] >> 4];
		e[2] = hex[s[i] & 15];
		buf_add(b, e, 3);
	}
}

char *
safename(const char *remote, size_t len)
{
	struct buf b = {0}, out = {0};
	const unsigned char *s = (const unsigned char *)remote;
	const char *ext = NULL;
	size_t cut, extlen = 0, i;

	if (len == 0)
		return xstrdup("=");	/* no escaped name is a lone '=' */
	escape(&b, s, len, 1);
	if (b.len <= SAFENAME_MAX)
		return b.s;

	/* A short plain extension: ".csv", ".json". */
	for (i = len; i > 1 && len - i < EXT_MAX; i--)
		if (s[i - 1] == '.') {
			ext = remote + i - 1;
			extlen = len - (i - 1);
			break;
		}
	if (ext)
		for (i = 1; i < extlen; i++)
			if (!plain((unsigned char)ext[i]) || ext[i] == '.') {
				ext = NULL;
				extlen = 0;
				break;
			}

	cut = SAFENAME_MAX - HASH_TAIL - extlen;
	/* Back off so that no "=XX" is cut: an escape starts at most two
	 * bytes before the cut. */
	for (i = 1; i <= 2 && i <= cut; i++)
		if (b.s[cut - i] == '=') {
			cut -= i;
			break;
		}
	buf_add(&out, b.s, cut);
	buf_addf(&out, "=_%016llx", (unsigned long long)fnv64(FNV64_INIT, remote, len));
	if (ext)
		buf_add(&out, ext, extlen);
	buf_free(&b);
	return out.s;
}

int
spool_lead_ok(int c)
{
	return c != '.' && c != '-';
}

int
spool_name_ok(const char *name, const char *ext)
{
	size_t n = strlen(name), i, e = ext ? strlen(ext) : 0;

	if (n == 0 || n > SPOOL_NAME_MAX || !spool_lead_ok(name[0]))
		return 0;
	if (ext && (n <= e || strcmp(name + n - e, ext) != 0))
		return 0;
	for (i = 0; i < n; i++)
		if (name[i] != '=' && !plain((unsigned char)name[i]))
			return 0;
	return 1;
}

char *
spool_name_why(const char *name, const char *ext, const char *what)
{
	if (spool_name_ok(name, ext))
		return NULL;
	if (strlen(name) > SPOOL_NAME_MAX)
		return xasprintf("the name is %zu bytes, longer than the %d a "
		    "%s name may have: rename it shorter", strlen(name),
		    SPOOL_NAME_MAX, what);
	return xasprintf("a %s name is letters, digits and ._+=@,- only, "
	    "%s%s%sstarts with neither '.' nor '-'", what, ext ? "ends in " : "",
	    ext ? ext : "", ext ? " and " : "and ");
}
