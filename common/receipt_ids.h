/*
 * receipt_ids -- a compact set of HotWax receipt ids, each with a time
 * (epoch ms): receipt-export's ledger of exported receipts
 * (receipt_state.c) and the ids one run took (receipt_input.c).  Up to
 * RX_MAX_NEW ids a run, and the query window's in the state: a map
 * (map.h) of id to time, whose few large arrays cost about 35 bytes an
 * id (the text, a 16-byte entry, two 4-byte index slots).
 * What it promises:
 *   - rx_ids_put gives a new id, or replaces the time of one there (a
 *     dropped id comes back as new);
 *   - rx_ids_sorted walks the live ids in strcmp order (map_sorted's),
 *     rx_ids_next in the order they were first put;
 *   - an id may hold any byte but NUL; the pointers given are valid
 *     until the next put.
 */
#ifndef POSYNC_RECEIPT_IDS_H
#define POSYNC_RECEIPT_IDS_H

#include <stddef.h>
#include <stdint.h>

struct rx_ids;

struct rx_ids *rx_ids_new(void);
void rx_ids_free(struct rx_ids *s);

/* Put id with its time: 1 when it was not there, else 0 (ms replaced). */
int rx_ids_put(struct rx_ids *s, const char *id, int64_t ms);
/* Is id there?  Its time in *ms (ms may be NULL). */
int rx_ids_get(const struct rx_ids *s, const char *id, int64_t *ms);
/* Drop every id whose time is before from. */
void rx_ids_drop_before(struct rx_ids *s, int64_t from);
size_t rx_ids_count(const struct rx_ids *s);

/* Walk: size_t it = 0; while (rx_ids_next(s, &it, &id, &ms)) ... */
int rx_ids_next(const struct rx_ids *s, size_t *it, const char **id,
    int64_t *ms);
/* Each live id in strcmp order. */
typedef void rx_ids_fn(const char *id, int64_t ms, void *arg);
void rx_ids_sorted(const struct rx_ids *s, rx_ids_fn *fn, void *arg);

#endif
