/*
 * map -- a string-keyed hash table whose values are small fixed-size
 * records held in the table itself: a few large arrays (the keys' text
 * back to back, an entry of a 4-byte header and the value each, a
 * 4-byte index slot), no allocation per key or value.  What it promises:
 *   - map_put gives the value of a key, zeroed when the key is new (or
 *     was deleted): the caller fills it in place;
 *   - a value is aligned as a value of its size needs (any type of that
 *     size: int64_t, double, pointers, structs of them);
 *   - a value pointer, and a key pointer from map_next or map_sorted,
 *     stays valid until the next map_put on that map (the arrays move
 *     when they grow), never longer: a caller keeps a key across a put
 *     by copying it (a key the map gave may be given straight back to
 *     map_put, map_get or map_del);
 *   - map_next walks the live keys in the order they were first put
 *     (deleted keys are skipped), map_sorted in strcmp order;
 *   - keys are copied; they may hold any byte but NUL (map_putn dies on
 *     one, map_getn finds none).
 * What a value points to is the caller's: walk the map to free it before
 * map_free.  Used by polines (PO lines), receipts (the ledger through
 * receipt_ids.h, the POs) and receipt-export's per-run tables.
 */
#ifndef POSYNC_MAP_H
#define POSYNC_MAP_H

#include <stddef.h>

struct map;

/* A new, empty map whose values are vsize bytes each. */
struct map *map_new(size_t vsize);
void map_free(struct map *m);

/* The value of key (klen bytes), or NULL when it is not there. */
void *map_get(const struct map *m, const char *key);
void *map_getn(const struct map *m, const char *key, size_t klen);

/* The value of key, inserted (zeroed, *isnew = 1) when it is not there;
 * isnew may be NULL. */
void *map_put(struct map *m, const char *key, int *isnew);
void *map_putn(struct map *m, const char *key, size_t klen, int *isnew);

/* Delete key; 1 when it was there, else 0. */
int map_del(struct map *m, const char *key);

/* The number of live keys. */
size_t map_count(const struct map *m);

/*
 * Walk: size_t it = 0; while ((v = map_next(m, &it, &key)) != NULL) ...
 * key may be NULL.  The map must not be put to during the walk (map_del
 * and changing the values are fine).
 */
void *map_next(const struct map *m, size_t *it, const char **key);

/* The live keys sorted by strcmp, in a malloc'd array of n (the caller
 * frees the array, not the keys; they are valid until the next map_put
 * or map_free). */
const char **map_sorted(const struct map *m, size_t *n);

#endif
