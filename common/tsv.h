/*
 * tsv -- the one escaping of posync's TAB-separated state files (the
 * polines ledger, receipt-export's state and journal): in a field, '\\'
 * is written "\\\\", TAB "\\t" and LF "\\n"; nothing else changes.  So a
 * field can hold any byte but NUL, and a record is one line whatever its
 * fields hold.
 */
#ifndef POSYNC_TSV_H
#define POSYNC_TSV_H

#include <stddef.h>

#include "util.h"

/* Append s, escaped. */
void tsv_esc(struct buf *out, const char *s);
/* The n bytes at s escaped so at d, which has room for TSV_PUT_MAX(n)
 * bytes: the end of what was written.  For a writer filling a buffer in
 * place (polines' records). */
#define TSV_PUT_MAX(n)	(2 * (n))
char *tsv_put(char *d, const char *s, size_t n);

/* Unescape s[0..len) into out (room for len + 1 bytes; NUL-terminated),
 * or only check when out is NULL.  0, or -1 when malformed (a '\\' last
 * or before anything but '\\', 't', 'n'). */
int tsv_unesc(char *out, const char *s, size_t len);

/* The same into a malloc'd string; NULL when malformed. */
char *tsv_unesc_dup(const char *s, size_t len);

/* Cut line (NUL-terminated) at its TABs into f[0..max): the number of
 * fields, or max + 1 when there are more (line is then cut up to there). */
int tsv_split(char *line, char **f, int max);

#endif
