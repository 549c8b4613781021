/*
 * json -- the one JSON string writer of posync (pocsv's batch JSON,
 * receipt-export's receipt file): cJSON's escaping, so '"' and '\\'
 * escaped, \b \f \n \r \t as such, any other byte below 0x20 as \u00XX,
 * every other byte as it is (by a table: cJSON is the reference, tests/unit/json.c).  The result is always a valid JSON string
 * for UTF-8 input, and what cJSON_Parse reads back is s.
 */
#ifndef POSYNC_JSON_H
#define POSYNC_JSON_H

#include "util.h"

/* Append s as a JSON string, quotes and all; dies when out of memory. */
void json_str(struct buf *out, const char *s);
/* The same for the n bytes at s (a NUL among them as \u0000): without
 * cJSON, a table and one append per run of plain bytes, as the batch JSON
 * of a large CSV needs. */
void json_strn(struct buf *out, const char *s, size_t n);
/* The n bytes at s escaped so, without the quotes, at d, which has room
 * for JSON_PUT_MAX(n) bytes: the end of what was written.  For a writer
 * filling its own buffer (pocsv_json). */
#define JSON_PUT_MAX(n)	(6 * (n))
char *json_put(char *d, const char *s, size_t n);

#endif
