/*
 * util -- see util.h.  Allocation failures end the program with a message:
 * there is nothing sensible to do without memory, and checking every
 * malloc at every call site hides the logic that matters.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stdarg.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "msg.h"
#include "util.h"

static void
oom(void)
{
	msg_die(EX_OSERR, "out of memory");
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		oom();
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		oom();
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

char *
xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		oom();
	return p;
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = strndup(s, n);

	if (!p)
		oom();
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&p, fmt, ap);
	va_end(ap);
	if (n < 0)
		oom();
	return p;
}

int
bsnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

static void
buf_grow(struct buf *b, size_t n)
{
	if (b->len + n + 1 <= b->cap)
		return;
	if (n > SIZE_MAX / 2 - b->len)
		oom();
	b->cap = b->cap ? b->cap : 64;
	while (b->cap < b->len + n + 1)
		b->cap *= 2;
	b->s = xrealloc(b->s, b->cap);
}

void
buf_add(struct buf *b, const void *p, size_t n)
{
	buf_grow(b, n);
	memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = 0;
}

void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_addc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

void
buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	va_list aq;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		oom();
	buf_grow(b, (size_t)n);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void
buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(b, fmt, ap);
	va_end(ap);
}

char *
buf_room(struct buf *b, size_t n)
{
	buf_grow(b, n);
	return b->s + b->len;
}

void
buf_grew(struct buf *b, size_t n)
{
	b->len += n;
	b->s[b->len] = 0;
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = 0;
}

void
buf_free(struct buf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

char *
path_join(const char *a, const char *b)
{
	size_t la = strlen(a);

	if (la && a[la - 1] == '/')
		return xasprintf("%s%s", a, b);
	return xasprintf("%s/%s", a, b);
}

const char *
path_base(const char *path)
{
	const char *p = strrchr(path, '/');

	return p ? p + 1 : path;
}

int
fsync_dir(const char *dir)
{
	int fd, r, e;

	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	r = fsync(fd);
	e = errno;
	close(fd);
	errno = e;
	return r;
}

int
mkdir_p(const char *path, mode_t mode)
{
	char *p, *s;
	struct stat st;

	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return 0;
		errno = ENOTDIR;
		return -1;
	}
	s = xstrdup(path);
	for (p = s + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(s, mode) < 0 && errno != EEXIST) {
			free(s);
			return -1;
		}
		*p = '/';
	}
	free(s);
	if (mkdir(path, mode) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

int
open_regular(const char *path, int flags)
{
	struct stat st;
	int fd, fl, e;

	/* O_NONBLOCK: opening a FIFO for reading would otherwise wait for a
	 * writer; it is cleared again once the file is known to be regular. */
	fd = open(path, flags | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0)
		goto fail;
	if (!S_ISREG(st.st_mode)) {
		errno = S_ISDIR(st.st_mode) ? EISDIR : ENOTREG;
		goto fail;
	}
	if ((fl = fcntl(fd, F_GETFL)) < 0 ||
	    fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0)
		goto fail;
	return fd;
fail:
	e = errno;
	close(fd);
	errno = e;
	return -1;
}

int
read_file(const char *path, size_t max, char **data, size_t *len)
{
	struct buf b = {0};
	char chunk[65536];
	ssize_t r;
	int fd, e;

	fd = open_regular(path, O_RDONLY);
	if (fd < 0)
		return -1;
	for (;;) {
		r = read(fd, chunk, sizeof chunk);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			goto fail;
		if (r == 0)
			break;
		if (b.len + (size_t)r > max) {
			errno = EFBIG;
			goto fail;
		}
		buf_add(&b, chunk, (size_t)r);
	}
	close(fd);
	if (!b.s)
		b.s = xstrdup("");
	*data = b.s;
	*len = b.len;
	return 0;
fail:
	e = errno;
	close(fd);
	buf_free(&b);
	errno = e;
	return -1;
}

size_t
fd_room(void)
{
	struct rlimit rl;
	int fd;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return 0;
	if (rl.rlim_cur == RLIM_INFINITY)
		return SIZE_MAX;
	if ((fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	close(fd);
	return rl.rlim_cur > (rlim_t)fd ? (size_t)(rl.rlim_cur - (rlim_t)fd) : 0;
}

int
write_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	ssize_t w;

	while (n > 0) {
		w = write(fd, c, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

uint64_t
fnv64(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;

	while (n--) {
		h ^= *c++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

int
str_pcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

size_t
utf8_len(const unsigned char *s, size_t n)
{
	uint32_t c;
	size_t k, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		k = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		k = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		k = 4, c = s[0] & 0x07;
	else
		return 0;
	if (n < k)
		return 0;
	for (i = 1; i < k; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((k == 3 && c < 0x800) || (k == 4 && c < 0x10000) ||
	    c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	return k;
}

void
sort_strings(char **v, size_t n)
{
	if (n > 1)
		qsort(v, n, sizeof *v, str_pcmp);
}

int64_t
now_ms(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

/* stdout's reader is gone: poll(2) says POLLERR or POLLHUP on a pipe or
 * socket whose other end is closed.  A write that failed earlier left no
 * errno behind (stdio keeps none, and errno has moved on since), so the
 * descriptor itself is asked. */
static int
stdout_gone(void)
{
	struct pollfd p = { .fd = STDOUT_FILENO, .events = POLLOUT };

	return poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP));
}

int
stdout_finish(void)
{
	int failed, gone, e = 0;

	errno = 0;
	if ((failed = fflush(stdout) == EOF))
		e = errno;
	failed |= ferror(stdout);
	gone = failed && (e == EPIPE || stdout_gone());
	/* a write that failed earlier: stdio kept no errno, so ask the
	 * descriptor again with a write of nothing -- a device that refuses
	 * every write (/dev/full: ENOSPC, a hung-up terminal: EIO) answers
	 * with its error; a regular file on a full disk does not, and is
	 * said without one */
	if (failed && !gone && !e && write(STDOUT_FILENO, "", 0) < 0)
		e = errno;
	if (fclose(stdout) == EOF && !failed) {
		failed = 1;
		e = errno;
		gone = e == EPIPE;
	}
	if (!failed)
		return 0;
	if (gone)
		msg_warn("standard output closed: its reader went away before "
		    "reading everything printed");
	else if (e)
		msg_warn("writing to standard output: %s", msg_strerror(e));
	else
		msg_warn("writing to standard output failed earlier in the run");
	return EX_IOERR;
}

int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
test_point(const char *step)
{
	const char *s;

	if ((s = getenv("POSYNC_TEST_STOP")) != NULL && strcmp(s, step) == 0)
		raise(SIGSTOP);
	if ((s = getenv("POSYNC_TEST_CRASH")) != NULL && strcmp(s, step) == 0)
		raise(SIGKILL);
}

int
read_digits(const char **p, int max, long long *v)
{
	int n, d;

	for (*v = 0, n = 0; **p >= '0' && **p <= '9'; (*p)++, n++) {
		d = **p - '0';
		if (n == max || *v > (LLONG_MAX - d) / 10)
			return -1;
		*v = *v * 10 + d;
	}
	return n > 0 ? 0 : -1;
}

int
host_is_loopback(const char *host)
{
	struct in_addr a4;
	struct in6_addr a6;
	char tmp[64];
	size_t n = strlen(host);

	if (strcasecmp(host, "localhost") == 0)
		return 1;
	if (inet_pton(AF_INET, host, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (n > 2 && n < sizeof tmp && host[0] == '[' && host[n - 1] == ']') {
		memcpy(tmp, host + 1, n - 2);
		tmp[n - 2] = 0;
		host = tmp;
	}
	return inet_pton(AF_INET6, host, &a6) == 1 &&
	    IN6_IS_ADDR_LOOPBACK(&a6);
}
