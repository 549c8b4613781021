/*
 * push -- one HTTP PUT of a text, for the Prometheus Pushgateway.
 *
 * Promises:
 *  - libcurl is loaded (dlopen, "libcurl.so.4") only when a push is
 *    asked for: a program that never pushes never maps it.  Linking it
 *    into every program cost po-export-parse twice its resident memory
 *    (4.9 MB -> 9.0 MB on 400,000 rows: libcurl and its 27 libraries,
 *    relocated at start), for a feature most installations leave off.
 *  - push_put: 0 when the server answered 2xx; else -1 and *why (static
 *    text) says what failed: libcurl missing, the connection, the reply.
 *    A loopback URL never goes through a proxy; only http and https are
 *    followed; the whole call is bounded by timeout seconds.
 */
#ifndef POSYNC_PUSH_H
#define POSYNC_PUSH_H

#include <stddef.h>

int push_put(const char *url, const char *type, const char *body,
    size_t len, long timeout, const char **why);

#endif
