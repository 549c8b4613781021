/*
 * util -- allocation that dies with a message, growable buffers, bounded
 * formatting, small file-system helpers and a non-cryptographic hash.
 */
#ifndef POSYNC_UTIL_H
#define POSYNC_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* snprintf that reports truncation: 0 on success, -1 (errno ENAMETOOLONG)
 * when the result did not fit. */
int bsnprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A growable byte buffer, always NUL-terminated. */
struct buf {
	char *s;
	size_t len, cap;
};
void buf_add(struct buf *b, const void *p, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
void buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vaddf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
void buf_reset(struct buf *b);
void buf_free(struct buf *b);
/* For a writer filling the buffer in place: room for n more bytes at the
 * pointer returned, then buf_grew with the count written (<= n). */
char *buf_room(struct buf *b, size_t n);
void buf_grew(struct buf *b, size_t n);

/* a/b joined with one '/'; malloc'd. */
char *path_join(const char *a, const char *b);
/* The last component of a path (no allocation). */
const char *path_base(const char *path);

/* fsync a directory; -1 with errno on failure. */
int fsync_dir(const char *dir);
/* mkdir -p with mode for new components; -1 with errno. */
int mkdir_p(const char *path, mode_t mode);
/*
 * Open a file that must be a regular file: a FIFO, device, socket or
 * directory is refused at once (-1, errno ENOTREG or EISDIR) instead of
 * blocking in open(2) or read(2) for ever.  flags as for open(2); the
 * descriptor is close-on-exec and blocking.  -1 with errno on failure.
 */
#define ENOTREG 4095	/* not a regular file: msg_strerror says so */
int open_regular(const char *path, int flags);
/* Whole file into memory (a regular file only: see open_regular), at most max bytes (EFBIG beyond); -1 with errno. */
int read_file(const char *path, size_t max, char **data, size_t *len);
/* write(2) all of it, retrying on EINTR; -1 with errno. */
int write_all(int fd, const void *p, size_t n);
/* How many more files this process may open (RLIMIT_NOFILE above the
 * lowest free descriptor); SIZE_MAX without a limit, 0 when unknown. */
size_t fd_room(void);

/* FNV-1a 64-bit, chainable: pass the previous result as h (start with
 * FNV64_INIT).  For stable names, not for security. */
#define FNV64_INIT 0xcbf29ce484222325ULL
uint64_t fnv64(uint64_t h, const void *p, size_t n);

/* Length of the valid UTF-8 sequence at s (n > 0 bytes left): 1 to 4, or
 * 0 when none starts there (overlong forms, surrogates and anything past
 * U+10FFFF are not valid).  The one UTF-8 rule: pocsv checks its input
 * with it, msg escapes what it refuses. */
size_t utf8_len(const unsigned char *s, size_t n);

/* qsort/bsearch's comparator for an array of strings (char * or
 * const char *), in strcmp order. */
int str_pcmp(const void *a, const void *b);
/* Sort an array of strings (qsort, strcmp order). */
void sort_strings(char **v, size_t n);

/*
 * The end of a program's output: flush stdout, look for a write that
 * failed during the run (ferror), and close it, so that no path printed
 * for the next program in a pipe is lost unsaid.  A reader that went away
 * (EPIPE, with SIGPIPE ignored, or a pipe or socket whose other end is
 * closed) is said as "standard output closed", never through a stale
 * errno; any other failure with its own error text (a write that failed
 * before the end is asked again by a write of nothing: a device that
 * refuses every write names its error; else no error text is given).
 * 0, or EX_IOERR after one message.  Call once, last, from main(), and
 * from every other return that printed (-h, -V).
 */
int stdout_finish(void);

/* Current time in milliseconds since the epoch. */
int64_t now_ms(void);
/* Milliseconds on a clock that only moves forward (CLOCK_MONOTONIC), for
 * deadlines within a run: a step of the wall clock does not move them. */
int64_t mono_ms(void);

/*
 * TEST HOOK, one for every program: when the environment variable
 * POSYNC_TEST_STOP names this step, the program stops itself (SIGSTOP)
 * so that a test can change the world at that very moment and let it go
 * on with SIGCONT; when POSYNC_TEST_CRASH names it, it dies by SIGKILL
 * right there, exactly as a kill -9 landing there would.  Random signals
 * seldom land between two particular renames; this reaches each point
 * every time.  Steps: po-export-parse's "download", "recheck", "rename",
 * "rename-to", "renamed"; receipt-export's commit "journal", "unfold",
 * "file", "state", "compact" (each program's man page documents both
 * variables, with its own steps).  Unset, it costs two getenv per step.
 */
void test_point(const char *step);

/* Decimal digits alone at *p (no sign, no blank): at least 1 and at most
 * max of them, and no more than a long long holds, into *v; *p is moved
 * past them.  0, or -1 (*p where it stopped).  The one strict number
 * reader of the state files (notes, parsed markers, a .logid). */
int read_digits(const char **p, int max, long long *v);

/* A URL's host (as curl's URL API gives it: "[::1]" for IPv6) is this
 * machine: localhost, 127.0.0.0/8 or ::1.  The one rule of "never through
 * a proxy" and "plain http only to this machine" (hotwax.c, push.c). */
int host_is_loopback(const char *host);

#endif
