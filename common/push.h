/*
 * push -- one HTTP PUT of a text, for the Prometheus Pushgateway.
 *
 * Promises:
 *  - libcurl is loaded (dlopen, "libcurl.so.4") only when a push is
 *    asked for: a program that never pushes never maps it.  Linking it
 *    into every program cost po-export-parse twice its resident memory
 *    (4.9 MB -> 9.0 MB on 400,000 rows: libcurl and its 27 libraries,
 *    relocated at start), for a feature most installations leave off.
 *  - push_put: 0 when the server answered 2xx; else -1 and why (a
 *    buffer of whylen bytes) says what failed: libcurl missing, the
 *    connection, or the HTTP status and the first line of the server's
 *    answer, quoted.  The answer is never written anywhere else (stdout
 *    is a pipe to the next program, or closed).
 *  - A loopback URL (host_is_loopback) never goes through a proxy;
 *    another follows the environment as curl(1) does (http_proxy,
 *    no_proxy).  Only http and https, no redirect followed; the whole
 *    call is bounded by timeout seconds.
 */
#ifndef POSYNC_PUSH_H
#define POSYNC_PUSH_H

#include <stddef.h>

int push_put(const char *url, const char *type, const char *body,
    size_t len, long timeout, char *why, size_t whylen);

#endif
