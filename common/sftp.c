/*
 * sftp -- see sftp.h.  One libssh2 session in blocking mode with an API
 * timeout: every wait inside libssh2 (handshake, authentication, each
 * SFTP request) gives up after [sftp] timeout seconds, so a server that
 * accepts and never speaks, or stops speaking half way, ends the run with
 * EX_UNAVAILABLE instead of hanging cron.  A batch (sftp_fetch_many ...)
 * runs non-blocking and waits on the socket itself, by the same bounds.
 *
 * Trust comes first: the host key is checked against known_hosts before a
 * single credential is offered.  After a connection-level failure the
 * session is marked dead and every later call fails at once, so one lost
 * connection costs one timeout, not one per remaining file.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libssh2.h>
#include <libssh2_sftp.h>

#include "config.h"
#include "metrics.h"
#include "msg.h"
#include "sftp.h"
#include "util.h"

#define IOBUF (1024 * 1024)		/* libssh2 >= 1.10 pipelines within one call */
/* A read asks libssh2 for up to READBUF bytes; libssh2 1.10 keeps four
 * times that (at most 8 MiB, its cap) in read requests of 30000 bytes in
 * flight, so a large file streams at the link's speed, not one round trip
 * per request (bench/README.md, P2: 256 KiB read 41-58 MB/s on loopback,
 * 1 and 2 MiB as fast as OpenSSH's sftp).  1 MiB, not 2: as fast with the
 * parse running beside the download, and 5 MiB less resident (17 -> 12
 * MiB taking 2M rows).  A small file asks for its size (read_len), or a
 * little more when the size is the open handle's (READ_MIN at least): four
 * times 1 MiB of requests for 500 bytes would each come back with an end
 * of file (bench/p3-many.sh). */
#define READBUF (1024 * 1024)
#define READ_MIN 4096
#define NAMEBUF 4096			/* one directory entry's name */
#define MAX_ENTRIES 1000000		/* a listing larger than this is nonsense */
/* A batch's requests in flight: one SFTP channel each on the one SSH
 * session (libssh2 keeps one request's state a channel).  OpenSSH allows
 * 10 sessions a connection (MaxSessions). */
#define MANY_SLOTS 8

struct many;

struct sftp {
	int sock;
	LIBSSH2_SESSION *ses;
	LIBSSH2_SFTP *sftp;
	LIBSSH2_SFTP *cur;		/* the channel last_fx asks: sftp, or a batch's */
	struct many *batch;		/* the batch running, for where(s, NULL) */
	LIBSSH2_SFTP *more[MANY_SLOTS];	/* channels for batches (sftp_fetch_many) */
	int nmore;			/* how many of more[] are open */
	int more_tried;			/* 1: no more channels are asked for */
	int channels;			/* [sftp] channels: at most, the first too */
	char *where;			/* "sftp://user@host:port" for messages */
	char *khname;			/* the host as known_hosts names it: "[host]:port", or "host" on 22 */
	char *khplain;			/* "host" off port 22 (ssh's fallback), else NULL */
	char **revoked;			/* base64 keys of known_hosts' @revoked lines */
	size_t nrevoked;
	int dead;			/* the connection is gone: fail fast */
	int expired;			/* [sftp] run_timeout has passed */
	int cut;			/* libssh2's next wait was cut to the
					 * deadline: its timeout is the run's */
	int64_t deadline;		/* when, in ms since the epoch */
	int run_timeout;		/* s, for messages */
	long timeout_ms;		/* [sftp] timeout */
	char prefs[256];		/* host key algorithms offered, "" for libssh2's default */
	void (*progress)(uint64_t, uint64_t, void *);
	void *parg;
};

static int ssh_users;			/* libssh2_init once, libssh2_exit at the last close */

/* ------------------------------------------------------------ messages */

static char *batch_where(struct sftp *s);

/* "sftp://user@host:port/path" for a message, quoted whole (msg_quote):
 * the path is the server's or NetSuite's text.  No path during a batch:
 * the batch (batch_where), not one file of it. */
static char *
where(struct sftp *s, const char *path)
{
	char *u, *w;

	if (!path && s->batch)
		return batch_where(s);
	if (!path)
		return xstrdup(s->where);
	u = xasprintf("%s%s%s", s->where, path[0] == '/' ? "" : "/", path);
	w = msg_quote(u, strlen(u));
	free(u);
	return w;
}

static const char *
fx_text(unsigned long fx)
{
	static const char *const t[] = {
		"ok", "end of file", "no such file", "permission denied",
		"failure", "bad message", "no connection", "connection lost",
		"operation unsupported", "invalid handle", "no such path",
		"file already exists", "write protected", "no media",
		"no space on the file system", "quota exceeded",
		"unknown principal", "lock conflict", "directory not empty",
		"not a directory", "invalid file name", "link loop",
	};

	return fx < sizeof t / sizeof t[0] ? t[fx] : "unknown SFTP status";
}

/* The SFTP status of the last failed request, or -1 when the failure was
 * not an SFTP status (connection, timeout, protocol). */
static long
last_fx(struct sftp *s)
{
	if (s->cur && libssh2_session_last_errno(s->ses) == LIBSSH2_ERROR_SFTP_PROTOCOL)
		return (long)libssh2_sftp_last_error(s->cur);
	return -1;
}

/*
 * What an SFTP status tells the operator.  Only a lost connection is 69
 * ("unavailable: try later"): a server that answered is there.  A path
 * that is not there (or runs through a file) was configured, or made from
 * the configuration, and no wait mends it: 78.  Callers that expect a
 * file may have gone (sftp_stat, sftp_get, sftp_rename) see SFTP_MISSING
 * before this.  The generic "failure" (OpenSSH's answer for a full disk,
 * a read-only file system, an I/O error) and its kin are the server
 * refusing this one operation for a reason that may pass: 75.
 */
static int
fx_status(long fx)
{
	switch (fx) {
	case LIBSSH2_FX_PERMISSION_DENIED:
	case LIBSSH2_FX_WRITE_PROTECT:
		return EX_NOPERM;
	case LIBSSH2_FX_FILE_ALREADY_EXISTS:
		/* something in the way: a person must move it.  (sftp_rename
		 * alone answers EX_CANTCREAT, for its callers to handle.) */
		return EX_CONFIG;
	case LIBSSH2_FX_NO_SUCH_FILE:
	case LIBSSH2_FX_NO_SUCH_PATH:
	case LIBSSH2_FX_NOT_A_DIRECTORY:
	case LIBSSH2_FX_INVALID_FILENAME:
	case LIBSSH2_FX_LINK_LOOP:
		return EX_CONFIG;
	case LIBSSH2_FX_NO_CONNECTION:
	case LIBSSH2_FX_CONNECTION_LOST:
		return EX_UNAVAILABLE;
	case LIBSSH2_FX_EOF:
	case LIBSSH2_FX_BAD_MESSAGE:
	case LIBSSH2_FX_OP_UNSUPPORTED:
	case LIBSSH2_FX_INVALID_HANDLE:
		return EX_PROTOCOL;
	default:		/* failure, no space, quota, lock conflict */
		return EX_TEMPFAIL;
	}
}

/*
 * [sftp] timeout bounds each wait, but a server that trickles a byte now
 * and then never lets a wait run out; [sftp] run_timeout bounds the whole
 * session.  Called before every operation and in every transfer loop: it
 * cuts libssh2's next wait to what is left of the run, and once the
 * deadline has passed it says so (once), shuts the connection and makes
 * this and every later operation fail with EX_TEMPFAIL (75, try later).
 * Callers abandon what they were doing as after a lost connection, which
 * leaves nothing half done: the next run starts it again.
 */
/* The run is over: say so once, shut the connection, EX_TEMPFAIL. */
static int
run_over(struct sftp *s, const char *path)
{
	char *w;

	if (s->expired)
		return EX_TEMPFAIL;
	s->expired = s->dead = 1;
	if (s->sock >= 0)
		shutdown(s->sock, SHUT_RDWR);
	w = where(s, path);
	msg_warn("%s: [sftp] run_timeout (%d s) has passed: the run stops here and "
	    "leaves what it did not finish for the next run", w, s->run_timeout);
	free(w);
	return EX_TEMPFAIL;
}

static int
expired(struct sftp *s, const char *path)
{
	int64_t left;

	if (s->expired)
		return EX_TEMPFAIL;
	if (!s->deadline)
		return 0;		/* not connected yet */
	left = s->deadline - now_ms();
	if (left > 0) {
		s->cut = left < s->timeout_ms;
		libssh2_session_set_timeout(s->ses, s->cut ? (long)left :
		    s->timeout_ms);
		return 0;
	}
	return run_over(s, path);
}

int
sftp_expired(const struct sftp *s)
{
	return s && s->expired;
}

int
sftp_lost(const struct sftp *s, int st)
{
	return st == EX_UNAVAILABLE || st == EX_PROTOCOL || sftp_expired(s);
}

/* Report the last libssh2 failure of an operation on path; return its
 * status.  Connection-level failures mark the session dead. */
static int
fail(struct sftp *s, const char *path, const char *what)
{
	char *errmsg = NULL, *w;
	int code, st;
	long fx;

	if (s->expired || (s->deadline && now_ms() >= s->deadline))
		return expired(s, path);	/* the wait was cut to the deadline */
	code = libssh2_session_last_error(s->ses, &errmsg, NULL, 0);
	/* a wait cut to the deadline that timed out is the run's end, even
	 * when libssh2's clock called it a moment before ours */
	if (s->cut && code == LIBSSH2_ERROR_TIMEOUT)
		return run_over(s, path);
	fx = last_fx(s);
	/* in a batch, a failure of the connection is the batch's, not the
	 * one file whose request saw it first */
	w = where(s, s->batch && fx < 0 ? NULL : path);
	if (fx >= 0) {
		st = fx_status(fx);
		msg_warn("%s: %s: %s (SFTP status %ld)", w, what, fx_text((unsigned long)fx), fx);
	} else {
		switch (code) {
		case LIBSSH2_ERROR_SOCKET_SEND:
		case LIBSSH2_ERROR_SOCKET_RECV:
		case LIBSSH2_ERROR_SOCKET_DISCONNECT:
		case LIBSSH2_ERROR_SOCKET_TIMEOUT:
		case LIBSSH2_ERROR_TIMEOUT:
		case LIBSSH2_ERROR_EAGAIN:
		case LIBSSH2_ERROR_CHANNEL_CLOSED:
		case LIBSSH2_ERROR_CHANNEL_EOF_SENT:
		case LIBSSH2_ERROR_BANNER_RECV:
		case LIBSSH2_ERROR_BANNER_SEND:
			st = EX_UNAVAILABLE;
			/* Whatever libssh2 still tries on this connection (closing
			 * handles, the channel) now fails at once. */
			s->dead = 1;
			shutdown(s->sock, SHUT_RDWR);
			break;
		default:
			st = EX_PROTOCOL;
		}
		msg_warn("%s: %s: %s%s", w, what,
		    errmsg && *errmsg ? errmsg : "unknown libssh2 error",
		    code == LIBSSH2_ERROR_TIMEOUT ? " (no answer within [sftp] timeout)" : "");
	}
	free(w);
	return st;
}

static int
dead(struct sftp *s, const char *path)
{
	char *w;

	if (s->expired)
		return EX_TEMPFAIL;
	if (!s->dead)
		return expired(s, path);
	w = where(s, path);
	msg_warn("%s: the connection was lost earlier in this run", w);
	free(w);
	return EX_UNAVAILABLE;
}

/* ---------------------------------------------------------- connecting */

/* TCP connect bounded by timeout: non-blocking connect, then poll. */
static int
tcp_connect(const char *host, int port, int timeout, const char *w)
{
	struct addrinfo hints = {0}, *res, *ai;
	char serv[16];
	int fd = -1, r, err = 0, saved = 0;
	socklen_t len;
	struct pollfd pfd;

	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	snprintf(serv, sizeof serv, "%d", port);
	r = getaddrinfo(host, serv, &hints, &res);
	if (r) {
		msg_warn("%s: cannot resolve %s: %s", w, host, gai_strerror(r));
		return -1;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    ai->ai_protocol);
		if (fd < 0) {
			saved = errno;
			continue;
		}
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		if (errno == EINPROGRESS) {
			pfd.fd = fd;
			pfd.events = POLLOUT;
			do
				r = poll(&pfd, 1, timeout * 1000);
			while (r < 0 && errno == EINTR);
			len = sizeof err;
			if (r == 0)
				err = ETIMEDOUT;
			else if (r < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
				err = errno;
			if (!err)
				break;
			saved = err;
		} else
			saved = errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0) {
		errno = saved;
		msg_warnerr("%s: cannot connect", w);
		return -1;
	}
	/* libssh2 manages the blocking state itself; give it a plain socket. */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
}

static void
base64(const unsigned char *p, size_t n, char *out)
{
	static const char b[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i;
	unsigned v;

	for (i = 0; i + 2 < n; i += 3) {
		v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];
		*out++ = b[v >> 18];
		*out++ = b[v >> 12 & 63];
		*out++ = b[v >> 6 & 63];
		*out++ = b[v & 63];
	}
	if (n - i == 1) {
		v = (unsigned)p[i] << 16;
		*out++ = b[v >> 18];
		*out++ = b[v >> 12 & 63];
	} else if (n - i == 2) {
		v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8;
		*out++ = b[v >> 18];
		*out++ = b[v >> 12 & 63];
		*out++ = b[v >> 6 & 63];
	}
	*out = 0;		/* ssh prints SHA256 fingerprints unpadded */
}

static char *
lowercase(char *p)
{
	char *q;

	for (q = p; *q; q++)
		if (*q >= 'A' && *q <= 'Z')
			*q = (char)(*q - 'A' + 'a');
	return p;
}

static void
kh_revoked_free(struct sftp *s)
{
	size_t i;

	for (i = 0; i < s->nrevoked; i++)
		free(s->revoked[i]);
	free(s->revoked);
	s->revoked = NULL;
	s->nrevoked = 0;
}

static int
key_kh_type(int t, const char **name)
{
	switch (t) {
	case LIBSSH2_HOSTKEY_TYPE_RSA: *name = "ssh-rsa"; return LIBSSH2_KNOWNHOST_KEY_SSHRSA;
	case LIBSSH2_HOSTKEY_TYPE_DSS: *name = "ssh-dss"; return LIBSSH2_KNOWNHOST_KEY_SSHDSS;
	case LIBSSH2_HOSTKEY_TYPE_ECDSA_256: *name = "ecdsa-sha2-nistp256"; return LIBSSH2_KNOWNHOST_KEY_ECDSA_256;
	case LIBSSH2_HOSTKEY_TYPE_ECDSA_384: *name = "ecdsa-sha2-nistp384"; return LIBSSH2_KNOWNHOST_KEY_ECDSA_384;
	case LIBSSH2_HOSTKEY_TYPE_ECDSA_521: *name = "ecdsa-sha2-nistp521"; return LIBSSH2_KNOWNHOST_KEY_ECDSA_521;
#ifdef LIBSSH2_HOSTKEY_TYPE_ED25519
	case LIBSSH2_HOSTKEY_TYPE_ED25519: *name = "ssh-ed25519"; return LIBSSH2_KNOWNHOST_KEY_ED25519;
#endif
	default: *name = "unknown key type"; return LIBSSH2_KNOWNHOST_KEY_UNKNOWN;
	}
}

#define KH_MAX (16 * 1024 * 1024)	/* a known_hosts larger than this is nonsense */

/* ssh's match_pattern: '*' any run of bytes, '?' one byte, the rest as
 * is but for case; s is lower case already.  Iterative, so that a line
 * of stars costs O(len(s) * len(p)), never exponential time. */
static int
glob_match(const char *s, const char *p, size_t plen)
{
	const char *star = NULL, *resume = NULL, *pe = p + plen;

	while (*s) {
		if (p < pe && (*p == '?' || (*p != '*' && tolower((unsigned char)*p) == *s))) {
			p++;
			s++;
		} else if (p < pe && *p == '*') {
			star = ++p;
			resume = s;
		} else if (star) {
			p = star;
			s = ++resume;
		} else
			return 0;
	}
	while (p < pe && *p == '*')
		p++;
	return p == pe;
}

/* ssh's match_hostname: names is a known_hosts name field, patterns
 * separated by commas, "!" before one that must not match.  1 when a
 * pattern matches name and no negated one does, -1 when a negated one
 * does, else 0. */
static int
names_match(const char *name, const char *names, size_t len)
{
	const char *p = names, *end = names + len, *comma;
	int got = 0, neg;

	while (p < end) {
		comma = memchr(p, ',', (size_t)(end - p));
		if (!comma)
			comma = end;
		neg = *p == '!';
		if (glob_match(name, p + neg, (size_t)(comma - p - neg))) {
			if (neg)
				return -1;
			got = 1;
		}
		p = comma + 1;
	}
	return got;
}

static void
kh_revoke(struct sftp *s, const char *rest)
{
	const char *p = rest, *q;
	int field;

	/* rest: " names keytype base64 [comment]" */
	for (field = 0; field < 2; field++) {
		p += strspn(p, " \t");
		p += strcspn(p, " \t");
	}
	p += strspn(p, " \t");
	q = p + strcspn(p, " \t");
	if (q == p)
		return;			/* no key: nothing to revoke */
	s->revoked = xrealloc(s->revoked, (s->nrevoked + 1) * sizeof *s->revoked);
	s->revoked[s->nrevoked++] = xstrndup(p, (size_t)(q - p));
}

/* Hand libssh2 one entry, named name, with the rest of the line as is. */
static int
kh_add(LIBSSH2_KNOWNHOSTS *kh, const char *name, size_t nlen, const char *rest)
{
	char *l = xasprintf("%.*s%s", (int)nlen, name, rest);
	int r = libssh2_knownhost_readline(kh, l, strlen(l), LIBSSH2_KNOWNHOST_FILE_OPENSSH);

	free(l);
	return r;
}

/*
 * One known_hosts line (NUL-terminated, no newline), names matched as ssh
 * matches them: libssh2 knows neither patterns ("*", "?", "!") nor
 * markers, and compares names byte for byte, so a "[*.example.com]:2222"
 * entry holding another key, or "[Host]:2222", was not taken for the
 * server's entry, and a plain "host" entry then let the server in where
 * ssh says the key changed; a "!" pattern was read as a name, so a line
 * that excludes the server still vouched for it; an @revoked key was let
 * in.  So each plain name field is matched here against the two names
 * posync looks up, and a line that matches reaches libssh2 under that
 * name; hashed names ("|1|salt|hash") go to libssh2, which hashes.
 * @revoked keys are kept in s->revoked, refused whatever names the line
 * gives; @cert-authority lines are skipped (posync is never shown a host
 * certificate, and ssh uses them only for one), as are lines with a
 * marker ssh does not know.  -1 when libssh2 cannot read a line.
 */
static int
kh_line(struct sftp *s, LIBSSH2_KNOWNHOSTS *kh, const char *l)
{
	const char *names, *rest, *targets[2] = {s->khname, s->khplain};
	size_t nlen, i;

	l += strspn(l, " \t");
	if (!*l || *l == '#')
		return 0;
	if (*l == '@') {
		rest = l + strcspn(l, " \t");
		if ((size_t)(rest - l) == 8 && memcmp(l, "@revoked", 8) == 0)
			kh_revoke(s, rest);
		return 0;
	}
	names = l;
	nlen = strcspn(l, " \t");
	rest = l + nlen;
	if (nlen >= 3 && memcmp(names, "|1|", 3) == 0)
		return libssh2_knownhost_readline(kh, l, strlen(l), LIBSSH2_KNOWNHOST_FILE_OPENSSH);
	for (i = 0; i < 2; i++)
		if (targets[i] && names_match(targets[i], names, nlen) == 1 &&
		    kh_add(kh, targets[i], strlen(targets[i]), rest) < 0)
			return -1;
	return 0;
}

/* known_hosts, read before connecting: a missing or unreadable file is a
 * configuration error found without touching the network, and a FIFO or
 * device is refused at once rather than read for ever. */
static int
load_known_hosts(struct sftp *s, const struct config *c, LIBSSH2_KNOWNHOSTS **out)
{
	LIBSSH2_KNOWNHOSTS *kh;
	char *kq, *e = NULL, *data = NULL, *l, *nl;
	size_t len, lineno = 0;
	int st = 0;

	*out = NULL;
	kh_revoked_free(s);
	kh = libssh2_knownhost_init(s->ses);
	if (!kh) {
		msg_warn("%s: libssh2 cannot hold known_hosts", s->where);
		return EX_SOFTWARE;
	}
	kq = msg_quote(c->sftp.known_hosts, strlen(c->sftp.known_hosts));
	if (read_file(c->sftp.known_hosts, KH_MAX, &data, &len) < 0) {
		msg_warnerr("%s: [sftp] known_hosts", kq);
		st = EX_CONFIG;
		goto out;
	}
	for (l = data; !st && l < data + len; l = nl + 1) {
		lineno++;
		nl = memchr(l, '\n', (size_t)(data + len - l));
		if (!nl)
			nl = data + len;	/* the last line, without a newline */
		*nl = 0;
		if (strlen(l) != (size_t)(nl - l)) {
			msg_warn("%s:%zu: [sftp] known_hosts holds a NUL byte", kq, lineno);
			st = EX_CONFIG;
		} else if (kh_line(s, kh, l) < 0) {
			libssh2_session_last_error(s->ses, &e, NULL, 0);
			msg_warn("%s:%zu: [sftp] known_hosts cannot be read: %s", kq,
			    lineno, e ? e : "");
			st = EX_CONFIG;
		}
	}
out:
	free(data);
	free(kq);
	if (st)
		libssh2_knownhost_free(kh);
	else
		*out = kh;
	return st;
}

/* Host key algorithms for each known_hosts key type, in OpenSSH's order of
 * preference; names this libssh2 does not know are dropped at run time. */
static const struct {
	int kh_type;
	const char *algs;
} hostkey_algs[] = {
	{LIBSSH2_KNOWNHOST_KEY_ED25519, "ssh-ed25519"},
	{LIBSSH2_KNOWNHOST_KEY_ECDSA_256, "ecdsa-sha2-nistp256"},
	{LIBSSH2_KNOWNHOST_KEY_ECDSA_384, "ecdsa-sha2-nistp384"},
	{LIBSSH2_KNOWNHOST_KEY_ECDSA_521, "ecdsa-sha2-nistp521"},
	{LIBSSH2_KNOWNHOST_KEY_SSHRSA, "rsa-sha2-512,rsa-sha2-256,ssh-rsa"},
	{LIBSSH2_KNOWNHOST_KEY_SSHDSS, "ssh-dss"},
};
#define NHOSTKEY_ALGS (sizeof hostkey_algs / sizeof hostkey_algs[0])

/* 1 when the comma-separated list holds name (len bytes). */
static int
comma_has(const char *list, const char *name, size_t len)
{
	const char *p = list, *q;

	for (; *p; p = *q ? q + 1 : q) {
		q = p + strcspn(p, ",");
		if ((size_t)(q - p) == len && memcmp(p, name, len) == 0)
			return 1;
	}
	return 0;
}

static int
supported(const char **algs, int n, const char *name, size_t len)
{
	int i;

	for (i = 0; i < n; i++)
		if (strlen(algs[i]) == len && memcmp(algs[i], name, len) == 0)
			return 1;
	return 0;
}

/*
 * known_hosts is read as OpenSSH's ssh(1) reads it (sshconnect.c,
 * check_host_key), so that a file that lets ssh in lets posync in and a
 * file ssh refuses, posync refuses:
 *
 * - The server is looked up by s->khname: "host" on port 22 (an entry
 *   "[host]:22" is not how ssh names port 22, and ssh ignores it), else
 *   "[host]:port".
 * - If entries name it, they alone decide, whatever their key types: one
 *   holding the server's key lets it in; otherwise the key has changed,
 *   even when a plain "host" entry holds it (port 22 may be another
 *   daemon, and this entry is the one someone wrote for this port).
 * - Only when no entry names "[host]:port" at all does ssh look again
 *   "without port identifier", read-only: a plain "host" entry holding
 *   the key lets it in; entries holding other keys leave it unknown.
 *
 * libssh2_knownhost_checkp given a port tries "[host]:port" and then
 * "host", and takes a match on either, so a plain entry overruled a
 * "[host]:port" entry holding another key; given -1 it tries only the name
 * it gets, and each step above asks for one name.  A key type of 0 asks
 * about entries of every type, as ssh does.
 */
enum kh_verdict {
	KH_OK, KH_OK_PLAIN, KH_CHANGED, KH_UNKNOWN, KH_UNKNOWN_PLAIN, KH_REVOKED, KH_ERROR
};

/* 1 when an @revoked line holds key (compared as known_hosts writes it:
 * padded base64). */
static int
kh_revoked(const struct sftp *s, const char *key, size_t keylen)
{
	char *b = xmalloc(4 * (keylen / 3 + 1) + 3);
	size_t i, n;
	int found = 0;

	base64((const unsigned char *)key, keylen, b);
	for (n = strlen(b); n % 4; n++)
		b[n] = '=';
	b[n] = 0;
	for (i = 0; i < s->nrevoked && !found; i++)
		found = strcmp(s->revoked[i], b) == 0;
	free(b);
	return found;
}

/* name's entries, of every key type, against key: MATCH, MISMATCH
 * (entries, none holds it), NOTFOUND (no entry names it) or FAILURE. */
static int
kh_lookup(LIBSSH2_KNOWNHOSTS *kh, const char *name, const char *key, size_t keylen)
{
	return libssh2_knownhost_checkp(kh, name, -1, key, keylen,
	    LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_RAW, NULL);
}

static enum kh_verdict
kh_verdict(const struct sftp *s, LIBSSH2_KNOWNHOSTS *kh, const char *key, size_t keylen)
{
	int r = kh_lookup(kh, s->khname, key, keylen);

	if (r == LIBSSH2_KNOWNHOST_CHECK_MATCH)
		return KH_OK;
	if (r == LIBSSH2_KNOWNHOST_CHECK_MISMATCH)
		return KH_CHANGED;
	if (r != LIBSSH2_KNOWNHOST_CHECK_NOTFOUND)
		return KH_ERROR;
	if (!s->khplain)
		return KH_UNKNOWN;
	r = kh_lookup(kh, s->khplain, key, keylen);
	if (r == LIBSSH2_KNOWNHOST_CHECK_MATCH)
		return KH_OK_PLAIN;
	if (r == LIBSSH2_KNOWNHOST_CHECK_MISMATCH)
		return KH_UNKNOWN_PLAIN;
	return r == LIBSSH2_KNOWNHOST_CHECK_NOTFOUND ? KH_UNKNOWN : KH_ERROR;
}

/* Append the algorithms of hostkey_algs[i] this libssh2 has to prefs. */
static void
add_algs(size_t i, const char **algs, int nalgs, char *prefs, size_t size)
{
	size_t used = strlen(prefs), len;
	const char *p, *q;

	for (p = hostkey_algs[i].algs; *p; p = *q ? q + 1 : q) {
		q = strchr(p, ',');
		if (!q)
			q = p + strlen(p);
		len = (size_t)(q - p);
		/* the table's names fit many times over; never cut one */
		if (!supported(algs, nalgs, p, len) || used + len + 2 > size)
			continue;
		if (used)
			prefs[used++] = ',';
		memcpy(prefs + used, p, len);
		used += len;
		prefs[used] = 0;
	}
}

/* 1 when an entry of kh_type names s->khname (plain or hashed). */
static int
khname_has_type(const struct sftp *s, LIBSSH2_KNOWNHOSTS *kh, int kh_type)
{
	int r = libssh2_knownhost_checkp(kh, s->khname, -1, "-", 1,
	    LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_BASE64 | kh_type, NULL);

	return r == LIBSSH2_KNOWNHOST_CHECK_MISMATCH || r == LIBSSH2_KNOWNHOST_CHECK_MATCH;
}

/*
 * The host key algorithms offered, chosen as ssh(1) chooses them, so that
 * the server shows posync the key it would show ssh and kh_verdict sees
 * what ssh's check sees.  With narrow, only the types of the entries that
 * name s->khname ("[host]:port", or "host" on 22; never the plain
 * fallback, which ssh does not order by either): a server with several
 * host keys otherwise shows the one libssh2 likes best, which may be a
 * type nobody trusted.  Without narrow, or when no entry names s->khname,
 * every type in OpenSSH's default order (ed25519 before ECDSA, where
 * libssh2's own default puts ECDSA first): with only a plain entry, the
 * key ssh would check is the one OpenSSH's order picks.
 * Writes the list into s->prefs ("" when libssh2 keeps its default);
 * returns 1 when the offer was narrowed to the entries' types.
 */
static int
offer_host_key_algs(struct sftp *s, LIBSSH2_KNOWNHOSTS *kh, int narrow)
{
	const char **algs = NULL;
	size_t i;
	int nalgs, narrowed = 0;

	s->prefs[0] = 0;
	nalgs = libssh2_session_supported_algs(s->ses, LIBSSH2_METHOD_HOSTKEY, &algs);
	if (nalgs <= 0)
		return 0;		/* cannot tell: libssh2's default */
	for (i = 0; narrow && i < NHOSTKEY_ALGS; i++)
		if (khname_has_type(s, kh, hostkey_algs[i].kh_type))
			add_algs(i, algs, nalgs, s->prefs, sizeof s->prefs);
	narrowed = s->prefs[0] != 0;
	for (i = 0; !narrowed && i < NHOSTKEY_ALGS; i++)
		add_algs(i, algs, nalgs, s->prefs, sizeof s->prefs);
	libssh2_free(s->ses, algs);
	if (s->prefs[0] && libssh2_session_method_pref(s->ses, LIBSSH2_METHOD_HOSTKEY, s->prefs) != 0)
		s->prefs[0] = narrowed = 0;	/* not taken: the default, still checked after */
	if (narrowed)
		msg_info("%s: host key algorithms from known_hosts: %s", s->where, s->prefs);
	return narrowed;
}

/*
 * Ciphers: the fast ones first, where both sides have them -- AES-GCM
 * and ChaCha20-Poly1305 (one pass for cipher and MAC; libssh2 >= 1.11),
 * then AES-CTR (AES-NI) -- then every other cipher this libssh2 has, in
 * its own order, so that a server offering only an older cipher is still
 * reached: the list is reordered, never narrowed.  libssh2 1.10 (Debian
 * 12) has neither AEAD cipher and puts aes128-ctr first already; with
 * 1.11 the same code takes aes128-gcm.  A list libssh2 refuses leaves its
 * default, which is as safe.
 */
static const char fast_ciphers[] = "aes128-gcm@openssh.com,"
    "chacha20-poly1305@openssh.com,aes256-gcm@openssh.com,aes128-ctr,"
    "aes192-ctr,aes256-ctr";

static void
prefer_fast_ciphers(struct sftp *s)
{
	const char **algs = NULL;
	char list[1024] = "";
	int n, i, pass;
	size_t used = 0, len;

	if ((n = libssh2_session_supported_algs(s->ses, LIBSSH2_METHOD_CRYPT_CS,
	    &algs)) <= 0)
		return;
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < n; i++) {
			len = strlen(algs[i]);
			if (comma_has(fast_ciphers, algs[i], len) != !pass ||
			    used + len + 2 > sizeof list)
				continue;
			if (used)
				list[used++] = ',';
			memcpy(list + used, algs[i], len + 1);
			used += len;
		}
	libssh2_free(s->ses, algs);
	if (!used)
		return;
	libssh2_session_method_pref(s->ses, LIBSSH2_METHOD_CRYPT_CS, list);
	libssh2_session_method_pref(s->ses, LIBSSH2_METHOD_CRYPT_SC, list);
}

/* The host key against known_hosts; refused before any credential is
 * offered.  Both refusals carry the fingerprint a person can compare with
 * the server's, and the command that would trust it. */
static int
check_host_key(struct sftp *s, const struct config *c, LIBSSH2_KNOWNHOSTS *kh)
{
	const char *key, *hash, *tname;
	char fp[64], *kq, *hq, *pq, *note;
	size_t keylen;
	int type, st = 0;
	enum kh_verdict v;

	key = libssh2_session_hostkey(s->ses, &keylen, &type);
	if (!key)
		return fail(s, NULL, "no host key from the server");
	key_kh_type(type, &tname);
	hash = libssh2_hostkey_hash(s->ses, LIBSSH2_HOSTKEY_HASH_SHA256);
	if (hash)
		base64((const unsigned char *)hash, 32, fp);
	else
		strcpy(fp, "(unavailable)");

	kq = msg_quote(c->sftp.known_hosts, strlen(c->sftp.known_hosts));
	hq = msg_quote(c->sftp.host, strlen(c->sftp.host));
	pq = msg_quote(s->khname, strlen(s->khname));
	v = kh_revoked(s, key, keylen) ? KH_REVOKED : kh_verdict(s, kh, key, keylen);
	switch (v) {
	case KH_REVOKED:
		msg_warn("%s: HOST KEY REVOKED: the server offers %s SHA256:%s, "
		    "which %s marks @revoked; refused", s->where, tname, fp, kq);
		st = EX_NOPERM;
		break;
	case KH_OK:
		break;
	case KH_OK_PLAIN:
		msg_info("%s: host key %s SHA256:%s taken from %s, from its entry "
		    "for %s without a port: no entry names %s (ssh(1) takes it too)",
		    s->where, tname, fp, kq, hq, pq);
		break;
	case KH_CHANGED:
		msg_warn("%s: HOST KEY CHANGED: the server offers %s SHA256:%s, "
		    "which is not the key %s holds for it; refused (the server may "
		    "be an impostor).  If the key really changed, remove the old "
		    "line and run: ssh-keyscan -p %d %s >> %s",
		    s->where, tname, fp, kq, c->sftp.port, hq, kq);
		st = EX_NOPERM;
		break;
	case KH_UNKNOWN:
	case KH_UNKNOWN_PLAIN:
		note = v == KH_UNKNOWN_PLAIN ? xasprintf(" (its entries for %s without "
		    "a port, which count only when none names %s, hold other keys)",
		    hq, pq) : xstrdup("");
		msg_warn("%s: unknown host key %s SHA256:%s, not in %s%s; refused.  "
		    "If this fingerprint is the server's, trust it with: "
		    "ssh-keyscan -p %d %s >> %s",
		    s->where, tname, fp, kq, note, c->sftp.port, hq, kq);
		free(note);
		st = EX_NOPERM;
		break;
	default:
		msg_warn("%s: cannot check the host key (%s SHA256:%s) against %s",
		    s->where, tname, fp, kq);
		st = EX_NOPERM;
	}
	free(kq);
	free(hq);
	free(pq);
	return st;
}

static int
auth_agent(struct sftp *s, const char *user)
{
	LIBSSH2_AGENT *ag;
	struct libssh2_agent_publickey *id = NULL;
	int r, ok = 0;

	if (!getenv("SSH_AUTH_SOCK"))
		return 0;
	ag = libssh2_agent_init(s->ses);
	if (!ag)
		return 0;
	if (libssh2_agent_connect(ag) == 0 && libssh2_agent_list_identities(ag) == 0) {
		while ((r = libssh2_agent_get_identity(ag, &id, id)) == 0) {
			if (libssh2_agent_userauth(ag, user, id) == 0) {
				ok = 1;
				break;
			}
		}
		libssh2_agent_disconnect(ag);
	}
	libssh2_agent_free(ag);
	return ok;
}

static int
authenticate(struct sftp *s, const struct config *c)
{
	const char *user = c->sftp.user;	/* config: never NULL */
	char *pub, *pw;
	int r;

	if (c->sftp.identity_file && *c->sftp.identity_file) {
		if (config_check_private(c->sftp.identity_file, "[sftp] identity_file"))
			return EX_CONFIG;
		pub = xasprintf("%s.pub", c->sftp.identity_file);
		r = libssh2_userauth_publickey_fromfile_ex(s->ses, user,
		    (unsigned)strlen(user), access(pub, R_OK) == 0 ? pub : NULL,
		    c->sftp.identity_file, NULL);
		free(pub);
		if (r == 0)
			return 0;
		if (r == LIBSSH2_ERROR_FILE) {
			char *q = msg_quote(c->sftp.identity_file, strlen(c->sftp.identity_file));

			msg_warn("%s: [sftp] identity_file cannot be used (an unreadable "
			    "or passphrase-protected key?)", q);
			free(q);
			return EX_CONFIG;
		}
	} else {
		if (auth_agent(s, user))
			return 0;
		if (c->sftp.password_file && *c->sftp.password_file) {
			pw = config_secret(c->sftp.password_file, "[sftp] password_file");
			if (!pw)
				return EX_CONFIG;
			r = libssh2_userauth_password_ex(s->ses, user,
			    (unsigned)strlen(user), pw, (unsigned)strlen(pw), NULL);
			explicit_bzero(pw, strlen(pw));
			free(pw);
			if (r == 0)
				return 0;
		} else {
			msg_warn("%s: no credentials: set [sftp] identity_file, run an "
			    "ssh-agent, or set [sftp] password_file", s->where);
			return EX_CONFIG;
		}
	}
	r = fail(s, NULL, "authentication refused");
	return r == EX_UNAVAILABLE ? r : EX_NOPERM;
}

/* A session, known_hosts, a connection and the SSH handshake.  With
 * narrow, only the host key algorithms known_hosts holds keys of for this
 * host are offered (offer_host_key_algs); when the server has none of them
 * the handshake fails for want of a common algorithm, and RETRY_ANY_TYPE
 * asks the caller to connect again offering every type.  Whatever was
 * made is left in s and *kh for the caller to free. */
#define RETRY_ANY_TYPE -1
static int
start_session(struct sftp *s, const struct config *c, LIBSSH2_KNOWNHOSTS **kh, int narrow)
{
	int st, narrowed;

	s->prefs[0] = 0;
	s->ses = libssh2_session_init();
	if (!s->ses) {
		msg_warn("%s: libssh2 cannot make a session", s->where);
		return EX_SOFTWARE;
	}
	/* Read before connecting at all: a missing known_hosts is found
	 * without touching the network. */
	if ((st = load_known_hosts(s, c, kh)))
		return st;
	narrowed = offer_host_key_algs(s, *kh, narrow);
	prefer_fast_ciphers(s);
	s->sock = tcp_connect(c->sftp.host, c->sftp.port, c->sftp.timeout, s->where);
	if (s->sock < 0)
		return EX_UNAVAILABLE;
	libssh2_session_set_blocking(s->ses, 1);
	libssh2_session_set_timeout(s->ses, (long)c->sftp.timeout * 1000);
	if (libssh2_session_handshake(s->ses, s->sock) == 0)
		return 0;
	if (narrowed && libssh2_session_last_errno(s->ses) == LIBSSH2_ERROR_KEX_FAILURE)
		return RETRY_ANY_TYPE;
	st = fail(s, NULL, "SSH handshake failed");
	/* no agreement is not worth a different story */
	return st == EX_PROTOCOL ? EX_UNAVAILABLE : st;
}

/* A session not yet connected: its names and bounds from c. */
static struct sftp *
session_new(const struct config *c)
{
	struct sftp *s = xcalloc(1, sizeof *s);

	s->sock = -1;
	s->where = xasprintf("sftp://%s@%s:%d", c->sftp.user, c->sftp.host,
	    c->sftp.port);
	/* The names ssh(1) looks the server up by (kh_verdict), lower-cased
	 * as ssh lower-cases the host it is given and writes known_hosts. */
	s->khplain = lowercase(xstrdup(c->sftp.host));
	if (c->sftp.port == 22) {
		s->khname = s->khplain;
		s->khplain = NULL;
	} else
		s->khname = xasprintf("[%s]:%d", s->khplain, c->sftp.port);
	s->run_timeout = c->sftp.run_timeout;	/* config: 1 to 86400 */
	s->timeout_ms = (long)c->sftp.timeout * 1000;
	s->channels = c->sftp.channels;	/* config: 1 to 8 (MANY_SLOTS) */
	return s;
}

/* start_session found none of known_hosts' key types for the server
 * (RETRY_ANY_TYPE): one more connection, only on this path, so that the
 * refusal (check_host_key) shows the key the server does have, with the
 * line that would trust it, rather than a bare handshake failure. */
static int
retry_any_type(struct sftp *s, const struct config *c, LIBSSH2_KNOWNHOSTS **kh)
{
	char tried[sizeof s->prefs], *kq;
	int st;

	memcpy(tried, s->prefs, sizeof tried);
	libssh2_knownhost_free(*kh);
	*kh = NULL;
	libssh2_session_free(s->ses);
	s->ses = NULL;
	close(s->sock);
	s->sock = -1;
	st = start_session(s, c, kh, 0);
	if (!st) {
		kq = msg_quote(c->sftp.known_hosts, strlen(c->sftp.known_hosts));
		msg_warn("%s: the server has no host key of the types %s holds "
		    "for it (%s)", s->where, kq, tried);
		free(kq);
	}
	return st;
}

int
sftp_open(const struct config *c, struct sftp **out)
{
	LIBSSH2_KNOWNHOSTS *kh = NULL;
	struct sftp *s;
	int st;

	*out = NULL;
	if (!c->sftp.host || !*c->sftp.host) {
		msg_warn("%s: [sftp] host is not set", c->path ? c->path : "config");
		return EX_CONFIG;
	}
	if (!c->sftp.known_hosts || !*c->sftp.known_hosts) {
		msg_warn("%s: [sftp] known_hosts is not set: posync never trusts a "
		    "host key blindly", c->path ? c->path : "config");
		return EX_CONFIG;
	}
	if (ssh_users++ == 0 && libssh2_init(0) != 0) {
		ssh_users = 0;
		msg_warn("libssh2 cannot be initialised");
		return EX_SOFTWARE;
	}
	s = session_new(c);
	st = start_session(s, c, &kh, 1);
	if (st == RETRY_ANY_TYPE)
		st = retry_any_type(s, c, &kh);
	if (st)
		goto bad;
	if ((st = check_host_key(s, c, kh)))
		goto bad;
	libssh2_knownhost_free(kh);
	kh = NULL;
	if ((st = authenticate(s, c)))
		goto bad;
	s->sftp = libssh2_sftp_init(s->ses);
	if (!s->sftp) {
		st = fail(s, NULL, "cannot start the SFTP subsystem");
		goto bad;
	}
	s->cur = s->sftp;
	msg_info("%s: connected", s->where);
	/* from here on; connecting has its own bounds ([sftp] timeout) */
	s->deadline = now_ms() + (int64_t)s->run_timeout * 1000;
	*out = s;
	return 0;
bad:
	if (kh)
		libssh2_knownhost_free(kh);
	s->dead = 1;
	sftp_close(s);
	return st;
}

/*
 * Each channel closed (each close waits for the server's answer), the
 * whole bounded by one [sftp] timeout: a server silent after its last
 * answer would otherwise hold the run a timeout per channel.  A close that
 * fails or runs past it marks the connection dead: the socket is shut, so
 * the rest fail at once and are freed anyway (libssh2 frees on failure).
 */
static void
close_channels(struct sftp *s)
{
	int64_t end = now_ms() + s->timeout_ms, left;
	LIBSSH2_SFTP *sf;

	while (s->nmore > 0 || s->sftp) {
		if (s->nmore > 0)
			sf = s->more[--s->nmore];
		else {
			sf = s->sftp;
			s->sftp = NULL;
		}
		left = end - now_ms();
		if (!s->dead && left <= 0)
			s->dead = 1;
		if (s->dead && s->sock >= 0)
			shutdown(s->sock, SHUT_RDWR);
		if (!s->dead)
			libssh2_session_set_timeout(s->ses, (long)left);
		if (libssh2_sftp_shutdown(sf) != 0)
			s->dead = 1;
	}
}

void
sftp_close(struct sftp *s)
{
	if (!s)
		return;
	/* A dead connection: make every remaining libssh2 I/O fail at once
	 * so closing frees memory without waiting out the timeout again. */
	if (s->dead && s->sock >= 0)
		shutdown(s->sock, SHUT_RDWR);
	close_channels(s);
	if (s->ses) {
		if (!s->dead)
			libssh2_session_disconnect(s->ses, "posync done");
		libssh2_session_free(s->ses);
	}
	if (s->sock >= 0)
		close(s->sock);
	free(s->where);
	free(s->khname);
	free(s->khplain);
	kh_revoked_free(s);
	free(s);
	if (ssh_users > 0 && --ssh_users == 0)
		libssh2_exit();
}

void
sftp_set_progress(struct sftp *s, void (*fn)(uint64_t, uint64_t, void *), void *arg)
{
	s->progress = fn;
	s->parg = arg;
}

/* ------------------------------------------------------------ metadata */

static void
fill_entry(struct sftp_entry *e, const LIBSSH2_SFTP_ATTRIBUTES *a)
{
	e->size = a->flags & LIBSSH2_SFTP_ATTR_SIZE ? a->filesize : 0;
	e->mtime = a->flags & LIBSSH2_SFTP_ATTR_ACMODTIME ? (time_t)a->mtime : 0;
	e->is_reg = a->flags & LIBSSH2_SFTP_ATTR_PERMISSIONS &&
	    LIBSSH2_SFTP_S_ISREG(a->permissions);
	e->is_dir = a->flags & LIBSSH2_SFTP_ATTR_PERMISSIONS &&
	    LIBSSH2_SFTP_S_ISDIR(a->permissions);
}

/* Close a handle, reporting the server's verdict (a failed close after
 * writing can mean the data did not all land). */
static int
close_handle(struct sftp *s, LIBSSH2_SFTP_HANDLE *h, const char *path)
{
	int dead_before = s->dead;

	/* Called even on a dead connection: the socket is shut, so this
	 * fails at once, and it frees the handle. */
	if (libssh2_sftp_close_handle(h))
		return dead_before ? EX_UNAVAILABLE : fail(s, path, "closing the remote file failed");
	return 0;
}

static int is_missing(struct sftp *s);

/* The folder could not be opened.  A path that is there but is no folder
 * gets "no such file" from OpenSSH (ENOTDIR): say what it is instead. */
static int
list_fail(struct sftp *s, const char *dir)
{
	struct sftp_entry e;
	char *w;
	long fx = last_fx(s);
	int r;

	if (!is_missing(s))
		return fail(s, dir, "cannot list the folder");
	if ((r = sftp_stat(s, dir, &e)) != 0 && r != SFTP_MISSING)
		return r;
	w = where(s, dir);
	if (r == 0 && !e.is_dir)
		msg_warn("%s: cannot list the folder: it is not a folder", w);
	else
		msg_warn("%s: cannot list the folder: %s (SFTP status %ld)", w,
		    fx_text((unsigned long)fx), fx);
	free(w);
	return EX_CONFIG;
}

int
sftp_list(struct sftp *s, const char *dir, struct sftp_entry **ents, size_t *n)
{
	LIBSSH2_SFTP_HANDLE *h;
	LIBSSH2_SFTP_ATTRIBUTES a;
	struct sftp_entry *v = NULL;
	size_t cap = 0, k = 0;
	char *name;
	int r, st = 0;

	*ents = NULL;
	*n = 0;
	if ((st = dead(s, dir)))
		return st;
	h = libssh2_sftp_open_ex(s->sftp, dir, (unsigned)strlen(dir), 0, 0,
	    LIBSSH2_SFTP_OPENDIR);
	if (!h)
		return list_fail(s, dir);
	name = xmalloc(NAMEBUF);
	for (;;) {
		if ((st = expired(s, dir)))
			break;
		r = libssh2_sftp_readdir(h, name, NAMEBUF, &a);
		if (r == 0)
			break;
		if (r < 0) {
			st = fail(s, dir, "cannot list the folder");
			break;
		}
		if ((r == 1 && name[0] == '.') || (r == 2 && name[0] == '.' && name[1] == '.'))
			continue;
		if (k == MAX_ENTRIES) {
			char *w = where(s, dir);

			msg_warn("%s: more than %d entries in the folder", w, MAX_ENTRIES);
			free(w);
			st = EX_PROTOCOL;
			break;
		}
		if (k == cap) {
			cap = cap ? cap * 2 : 64;
			v = xrealloc(v, cap * sizeof *v);
		}
		v[k].name = xstrndup(name, (size_t)r);
		fill_entry(&v[k], &a);
		k++;
	}
	free(name);
	close_handle(s, h, dir);
	if (st) {
		sftp_entries_free(v, k);
		return st;
	}
	*ents = v;
	*n = k;
	return 0;
}

void
sftp_entries_free(struct sftp_entry *ents, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(ents[i].name);
	free(ents);
}

static int
is_missing(struct sftp *s)
{
	long fx = last_fx(s);

	return fx == LIBSSH2_FX_NO_SUCH_FILE || fx == LIBSSH2_FX_NO_SUCH_PATH;
}

int
sftp_stat(struct sftp *s, const char *path, struct sftp_entry *st)
{
	LIBSSH2_SFTP_ATTRIBUTES a;
	int r;

	memset(st, 0, sizeof *st);
	if ((r = dead(s, path)))
		return r;
	if (libssh2_sftp_stat_ex(s->sftp, path, (unsigned)strlen(path),
	    LIBSSH2_SFTP_STAT, &a) == 0) {
		fill_entry(st, &a);
		return 0;
	}
	if (is_missing(s))
		return SFTP_MISSING;
	return fail(s, path, "cannot stat");
}

/* ----------------------------------------------------------- transfers */

/* The buffer one read of a file of size bytes asks for (READBUF). */
static size_t
read_size(int have_size, uint64_t size)
{
	if (!have_size || size >= READBUF)
		return READBUF;
	return size < READ_MIN ? READ_MIN : (size_t)size + 1;
}

/*
 * A file listed with size bytes is read to that size and no further: what
 * it may have grown by since is for the look after the read to see
 * (future.h: a size not the listed one is a file not settled, left for a
 * later run), never read.  libssh2 1.10 keeps reads in flight past what
 * it was asked for; on a file growing under them one is answered short (its
 * end then) and a later one with the bytes that came since, which libssh2
 * calls "Read Packet At Unexpected Offset" -- ending the read as a failure,
 * and leaking that answer (the sanitizer run's abort, tests/1028).  Asked
 * for no more than the listed size, it never takes an answer past it.
 * The bytes the next read asks for: bufsize, less once got nears size.
 */
static size_t
read_len(size_t bufsize, uint64_t size, uint64_t got)
{
	return size - got < (uint64_t)bufsize ? (size_t)(size - got) : bufsize;
}

/* The size the read is sized by and checked against: the listed one
 * (have_size already set: no round trip) or the open handle's.  0, or a
 * status (said). */
static int
get_size(struct sftp *s, LIBSSH2_SFTP_HANDLE *h, const char *remote,
    uint64_t max, uint64_t *size, int *have_size)
{
	LIBSSH2_SFTP_ATTRIBUTES a;
	char *w;

	if (!*have_size) {
		if (libssh2_sftp_fstat_ex(h, &a, 0) == 0 &&
		    a.flags & LIBSSH2_SFTP_ATTR_SIZE) {
			*size = a.filesize;
			*have_size = 1;
		} else if (s->dead)
			return fail(s, remote, "cannot stat");
	}
	if (*have_size && *size > max) {
		w = where(s, remote);
		msg_warn("%s: %llu bytes, more than the %llu allowed", w,
		    (unsigned long long)*size, (unsigned long long)max);
		free(w);
		close_handle(s, h, remote);
		return EX_DATAERR;
	}
	return 0;
}

/* r bytes of remote just read, to fd: refused past max bytes in all
 * (EX_DATAERR) or when the local write fails (EX_IOERR), each said;
 * *total counts them. */
static int
take_bytes(struct sftp *s, const char *remote, int fd, const char *buf,
    size_t r, uint64_t max, uint64_t *total)
{
	char *w;

	if ((uint64_t)r > max - *total) {
		w = where(s, remote);
		msg_warn("%s: more than the %llu bytes allowed", w,
		    (unsigned long long)max);
		free(w);
		return EX_DATAERR;
	}
	if (write_all(fd, buf, r) < 0) {
		w = where(s, remote);
		msg_warnerr("%s: writing the local copy", w);
		free(w);
		return EX_IOERR;
	}
	*total += (uint64_t)r;
	metric_add(M_DOWNLOADED_BYTES, (long long)r);
	return 0;
}

/* A read that failed.  libssh2 1.10 ends a read of a file that changed
 * under it (answered short, then with data: "Read Packet At Unexpected
 * Offset") with its SFTP status still "ok": that is the file changing,
 * said so (EX_TEMPFAIL; future.h looks at the file again), not "download
 * failed: ok".  A listed file that only grows never comes here (read_len);
 * one shrunk and grown again within its listed size can. */
static int
read_failed(struct sftp *s, const char *remote)
{
	char *w;

	if (last_fx(s) != LIBSSH2_FX_OK)
		return fail(s, remote, "download failed");
	w = where(s, remote);
	msg_warn("%s: the read ended early (an SFTP \"ok\" where data was "
	    "asked for): the file changed while it was read", w);
	free(w);
	return EX_TEMPFAIL;
}

static int
get(struct sftp *s, const char *remote, int fd, uint64_t max, uint64_t *got,
    int have_size, uint64_t size)
{
	LIBSSH2_SFTP_HANDLE *h;
	uint64_t total = 0;
	int st = 0, cst, listed = have_size;
	size_t bufsize;
	ssize_t r;
	char *buf, *w;

	*got = 0;
	if ((st = dead(s, remote)))
		return st;
	h = libssh2_sftp_open_ex(s->sftp, remote, (unsigned)strlen(remote),
	    LIBSSH2_FXF_READ, 0, LIBSSH2_SFTP_OPENFILE);
	if (!h)
		return is_missing(s) ? SFTP_MISSING : fail(s, remote, "cannot open for reading");
	if ((st = get_size(s, h, remote, max, &size, &have_size)) != 0)
		return st;
	bufsize = read_size(have_size, size);
	buf = xmalloc(bufsize);
	/* listed: to that size, the rest the caller's look (read_len) */
	while (!listed || total < size) {
		if ((st = expired(s, remote)))
			break;
		r = libssh2_sftp_read(h, buf, listed ?
		    read_len(bufsize, size, total) : bufsize);
		if (r == 0)
			break;
		if (r < 0) {
			st = read_failed(s, remote);
			break;
		}
		if ((st = take_bytes(s, remote, fd, buf, (size_t)r, max,
		    &total)) != 0)
			break;
		*got = total;
		if (s->progress)
			s->progress(total, size, s->parg);
	}
	free(buf);
	cst = close_handle(s, h, remote);
	if (!st && cst)
		st = cst;
	if (!st && have_size && !listed && total != size) {
		/* A cut that looked like an end of file. */
		w = where(s, remote);
		msg_warn("%s: got %llu bytes of %llu: the file %s", w,
		    (unsigned long long)total, (unsigned long long)size,
		    total < size ? "was cut short" : "changed while it was read");
		free(w);
		st = total < size ? EX_UNAVAILABLE : EX_TEMPFAIL;
	}
	return st;
}

int
sftp_get(struct sftp *s, const char *remote, int fd, uint64_t max, uint64_t *got)
{
	return get(s, remote, fd, max, got, 0, 0);
}

int
sftp_get_listed(struct sftp *s, const char *remote, uint64_t size, int fd,
    uint64_t max, uint64_t *got)
{
	return get(s, remote, fd, max, got, 1, size);
}

/* fd's bytes to the open handle h; *total: how many were sent.  0 or a
 * status, said. */
static int
put_data(struct sftp *s, LIBSSH2_SFTP_HANDLE *h, int fd, const char *remote,
    uint64_t size, uint64_t *total)
{
	ssize_t n, w;
	size_t off;
	char *buf = xmalloc(IOBUF), *wh;
	int st = 0;

	for (;;) {
		n = read(fd, buf, IOBUF);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			wh = where(s, remote);
			msg_warnerr("%s: reading the local file to upload", wh);
			free(wh);
			st = EX_IOERR;
			break;
		}
		if (n == 0)
			break;
		/* libssh2 sends the whole buffer in pipelined requests and
		 * returns what was acknowledged; the rest must be offered again
		 * from where the acknowledgement stopped. */
		for (off = 0; off < (size_t)n; off += (size_t)w) {
			if ((st = expired(s, remote)))
				break;
			w = libssh2_sftp_write(h, buf + off, (size_t)n - off);
			if (w < 0) {
				st = fail(s, remote, "upload failed");
				break;
			}
			metric_add(M_UPLOADED_BYTES, (long long)w);
		}
		if (st)
			break;
		*total += (uint64_t)n;
		if (s->progress)
			s->progress(*total, size, s->parg);
	}
	free(buf);
	return st;
}

/* The server holds the total bytes sent to remote: 0, else
 * EX_UNAVAILABLE, said. */
static int
put_check(struct sftp *s, const char *remote, uint64_t total)
{
	struct sftp_entry e;
	char *wh;

	switch (sftp_stat(s, remote, &e)) {
	case 0:
		break;
	case SFTP_MISSING:
		e.size = UINT64_MAX;
		break;
	default:
		return EX_UNAVAILABLE;
	}
	if (e.size != total) {
		wh = where(s, remote);
		msg_warn("%s: the server holds %llu bytes of the %llu sent", wh,
		    (unsigned long long)e.size, (unsigned long long)total);
		free(wh);
		return EX_UNAVAILABLE;
	}
	return 0;
}

int
sftp_put(struct sftp *s, int fd, const char *remote)
{
	LIBSSH2_SFTP_HANDLE *h;
	struct stat lst;
	uint64_t total = 0;
	char *wh;
	int st = 0, cst;

	if ((st = dead(s, remote)))
		return st;
	if (fstat(fd, &lst) < 0 || lseek(fd, 0, SEEK_SET) < 0) {
		wh = where(s, remote);
		msg_warnerr("%s: the local file to upload", wh);
		free(wh);
		return EX_IOERR;
	}
	h = libssh2_sftp_open_ex(s->sftp, remote, (unsigned)strlen(remote),
	    LIBSSH2_FXF_WRITE | LIBSSH2_FXF_CREAT | LIBSSH2_FXF_TRUNC, 0644,
	    LIBSSH2_SFTP_OPENFILE);
	if (!h)
		return fail(s, remote, "cannot create");
	st = put_data(s, h, fd, remote, (uint64_t)lst.st_size, &total);
	/* Durable on the server before anyone renames it into view; servers
	 * without fsync@openssh.com are still usable. */
	if (!st && libssh2_sftp_fsync(h) < 0 && last_fx(s) != LIBSSH2_FX_OP_UNSUPPORTED)
		st = fail(s, remote, "fsync failed");
	cst = close_handle(s, h, remote);
	if (!st && cst)
		st = cst;
	return st ? st : put_check(s, remote, total);
}

/* ----------------------------------------------------------- the folder */

static int
rename_to(struct sftp *s, const char *from, const char *to, int quiet)
{
	struct sftp_entry e;
	char *w, *wt;
	long fx;
	int r;

	if ((r = dead(s, from)))
		return r;
	/* No OVERWRITE: a published name must never replace another file.
	 * (OpenSSH's plain rename refuses an existing target; v3 servers
	 * ignore the flags.) */
	if (libssh2_sftp_rename_ex(s->sftp, from, (unsigned)strlen(from), to,
	    (unsigned)strlen(to), LIBSSH2_SFTP_RENAME_ATOMIC | LIBSSH2_SFTP_RENAME_NATIVE) == 0)
		return 0;
	fx = last_fx(s);
	if (fx < 0)
		return fail(s, from, "cannot rename");
	/* "No such file" is the source gone, or the target's folder. */
	if (is_missing(s) && (r = sftp_stat(s, from, &e)) != 0)
		return r;
	/* The generic "failure" of a v3 server hides the cause: look, at
	 * the name itself (a link to nowhere is in the way too). */
	r = fx == LIBSSH2_FX_FILE_ALREADY_EXISTS ? 0 : sftp_lstat(s, to, &e, NULL);
	if (fx == LIBSSH2_FX_FILE_ALREADY_EXISTS || (r == 0 && fx == LIBSSH2_FX_FAILURE)) {
		w = where(s, to);
		if (!quiet)
			msg_warn("%s: cannot rename onto it: it already exists", w);
		free(w);
		return EX_CANTCREAT;
	}
	if (r != 0 && r != SFTP_MISSING)
		return r;
	w = where(s, from);
	wt = where(s, to);
	msg_warn("%s: cannot rename to %s: %s (SFTP status %ld)", w, wt,
	    fx_text((unsigned long)fx), fx);
	free(w);
	free(wt);
	return fx_status(fx);
}

int
sftp_rename(struct sftp *s, const char *from, const char *to)
{
	return rename_to(s, from, to, 0);
}

int
sftp_rename_try(struct sftp *s, const char *from, const char *to)
{
	return rename_to(s, from, to, 1);
}

/* Report a path that is there but not a folder: it cannot become one. */
static int
not_a_folder(struct sftp *s, const char *path)
{
	char *w = where(s, path);

	msg_warn("%s: not a folder, so no folder can be made there", w);
	free(w);
	return EX_CONFIG;
}

/* mkdir of one folder whose parent is there. */
static int
make_folder(struct sftp *s, const char *path)
{
	struct sftp_entry e;
	char *w;
	long fx;
	int r;

	if (libssh2_sftp_mkdir_ex(s->sftp, path, (unsigned)strlen(path), 0755) == 0)
		return 0;
	if ((fx = last_fx(s)) < 0)
		return fail(s, path, "cannot create the folder");
	/* Someone else may have made it meanwhile, or something else is in
	 * the way (a generic "failure" says no more). */
	r = sftp_stat(s, path, &e);
	if (r == 0)
		return e.is_dir ? 0 : not_a_folder(s, path);
	if (r != SFTP_MISSING)
		return r;
	w = where(s, path);
	msg_warn("%s: cannot create the folder: %s (SFTP status %ld)", w,
	    fx_text((unsigned long)fx), fx);
	free(w);
	/* refused, or it cannot be a folder there (a dangling link, a
	 * read-only file system): a person must act, waiting will not do */
	return fx_status(fx) == EX_NOPERM ? EX_NOPERM : EX_CONFIG;
}

int
sftp_mkdir_p(struct sftp *s, const char *path)
{
	struct sftp_entry e;
	char *p, *cut, c;
	int r, st = 0;

	if ((r = dead(s, path)))
		return r;
	r = sftp_stat(s, path, &e);
	if (r == 0 && e.is_dir)
		return 0;
	if (r != 0 && r != SFTP_MISSING)
		return r;
	p = xstrdup(path);
	for (cut = p + 1; ; cut++) {
		if (*cut && *cut != '/')
			continue;
		if (cut[-1] == '/') {		/* "a//b" or a trailing '/' */
			if (!*cut)
				break;
			continue;
		}
		c = *cut;
		*cut = 0;
		r = sftp_stat(s, p, &e);
		if (r == SFTP_MISSING)
			r = make_folder(s, p);
		else if (r == 0 && !e.is_dir)
			r = not_a_folder(s, p);
		if (r) {
			st = r;
			break;
		}
		*cut = c;
		if (!c)
			break;
	}
	free(p);
	return st;
}

int
sftp_remove(struct sftp *s, const char *path)
{
	int r;

	if ((r = dead(s, path)))
		return r;
	if (libssh2_sftp_unlink_ex(s->sftp, path, (unsigned)strlen(path)) == 0)
		return 0;
	return fail(s, path, "cannot remove");
}

/* ------------------------------------------------------ what is in the way */

/* What a mode is, for a message. */
static const char *
kind_of(const LIBSSH2_SFTP_ATTRIBUTES *a)
{
	if (!(a->flags & LIBSSH2_SFTP_ATTR_PERMISSIONS))
		return "something the server does not say the type of";
	if (LIBSSH2_SFTP_S_ISREG(a->permissions))
		return "a regular file";
	if (LIBSSH2_SFTP_S_ISDIR(a->permissions))
		return "a folder";
	if (LIBSSH2_SFTP_S_ISLNK(a->permissions))
		return "a symbolic link";
	return "a special file (not a regular file, folder or link)";
}

int
sftp_lstat(struct sftp *s, const char *path, struct sftp_entry *st,
    const char **kind)
{
	LIBSSH2_SFTP_ATTRIBUTES a;
	int r;

	memset(st, 0, sizeof *st);
	if (kind)
		*kind = NULL;
	if ((r = dead(s, path)))
		return r;
	if (libssh2_sftp_stat_ex(s->sftp, path, (unsigned)strlen(path),
	    LIBSSH2_SFTP_LSTAT, &a) == 0) {
		fill_entry(st, &a);
		if (kind)
			*kind = kind_of(&a);
		return 0;
	}
	if (is_missing(s))
		return SFTP_MISSING;
	return fail(s, path, "cannot stat");
}

/* ------------------------------------------------------- the server's clock */

/* A failed request of the clock probe: an SFTP status (no permission, no
 * such folder) is said under -v only, since the caller falls back to this
 * host's clock; anything else goes through fail(), loud, as every call. */
static int
probe_fail(struct sftp *s, const char *path, const char *what)
{
	long fx = last_fx(s);
	char *w;

	if (fx < 0)
		return fail(s, path, what);
	w = where(s, path);
	msg_info("%s: %s: %s (SFTP status %ld)", w, what, fx_text((unsigned long)fx), fx);
	free(w);
	return SFTP_NO_CLOCK;
}

/* Create dir/.posync-clock.PID.MS, exclusively: a few tries when the name
 * is taken (a leftover of a killed run with the same pid). */
static LIBSSH2_SFTP_HANDLE *
probe_create(struct sftp *s, const char *dir, char **path)
{
	LIBSSH2_SFTP_HANDLE *h = NULL;
	int i;

	for (i = 0; i < 3; i++) {
		*path = xasprintf("%s/.posync-clock.%ld.%lld", dir, (long)getpid(),
		    (long long)now_ms() + i);
		h = libssh2_sftp_open_ex(s->sftp, *path, (unsigned)strlen(*path),
		    LIBSSH2_FXF_WRITE | LIBSSH2_FXF_CREAT | LIBSSH2_FXF_EXCL, 0600,
		    LIBSSH2_SFTP_OPENFILE);
		if (h || last_fx(s) != LIBSSH2_FX_FILE_ALREADY_EXISTS)
			break;
		free(*path);
		*path = NULL;
	}
	return h;
}

int
sftp_server_now(struct sftp *s, const char *dir, time_t *now)
{
	LIBSSH2_SFTP_HANDLE *h;
	LIBSSH2_SFTP_ATTRIBUTES a;
	char *path = NULL, *w;
	int st;

	if ((st = dead(s, dir)))
		return st;
	if (!(h = probe_create(s, dir, &path))) {
		st = probe_fail(s, path ? path : dir, "cannot create the clock probe");
		free(path);
		return st;
	}
	/* The mtime the server gave the file it just made: its clock now. */
	if (libssh2_sftp_fstat_ex(h, &a, 0) != 0)
		st = probe_fail(s, path, "cannot read the clock probe's time");
	else if (!(a.flags & LIBSSH2_SFTP_ATTR_ACMODTIME)) {
		w = where(s, path);
		msg_info("%s: the server gives the clock probe no time", w);
		free(w);
		st = SFTP_NO_CLOCK;
	} else
		*now = (time_t)a.mtime;
	/* A probe that cannot be closed or removed still told the time; a
	 * leftover is a dot-file in a folder of posync's own. */
	close_handle(s, h, path);
	if (!s->dead && libssh2_sftp_unlink_ex(s->sftp, path,
	    (unsigned)strlen(path)) != 0) {
		if (last_fx(s) < 0)
			probe_fail(s, path, "cannot remove the clock probe");
		else {	/* one more file left on every run: said without -v */
			w = where(s, path);
			msg_warn("%s: cannot remove the clock probe: %s (SFTP status "
			    "%ld); remove it by hand, and let posync remove files "
			    "there", w, fx_text((unsigned long)last_fx(s)), last_fx(s));
			free(w);
		}
	}
	free(path);
	if (s->dead || s->expired)	/* the connection went: said by fail() */
		return s->expired ? EX_TEMPFAIL : EX_UNAVAILABLE;
	return st;
}

/* ------------------------------------------------------ many at once */

/*
 * A batch (sftp_fetch_many, sftp_stat_many, sftp_rename_many) keeps up to
 * MANY_SLOTS requests in flight, each on a channel of its own, with
 * libssh2 in non-blocking mode for the batch: every slot is stepped in
 * turn, and the socket waited on (wait_socket, [sftp] timeout and
 * run_timeout as ever) only after a round in which no slot moved and no
 * byte came in (rx_bytes: a packet read during one slot's step may be
 * another's answer, found in the next round).
 */
#define SFTP_PENDING	(-1000)	/* a request of a batch not answered yet */
enum many_kind { MANY_GET, MANY_STAT, MANY_RENAME };
enum many_step { STEP_START, STEP_READ, STEP_CLOSE, STEP_LOOK, STEP_DONE };

struct slot {
	LIBSSH2_SFTP *sf;
	struct sftp_req *r;		/* NULL: idle */
	enum many_step step;
	LIBSSH2_SFTP_HANDLE *h;
	char *buf;
	size_t bufsize;
};

struct many {
	struct sftp *s;
	enum many_kind kind;
	struct sftp_req *r;
	size_t n, next;
	uint64_t max;
	struct slot slot[MANY_SLOTS];
	int nslot;
};

static unsigned long long rx_bytes;	/* read from any session's socket */

/* libssh2's own recv (its _libssh2_recv), counting what comes in. */
static ssize_t
counted_recv(libssh2_socket_t sock, void *buf, size_t len, int flags,
    void **abstract)
{
	ssize_t r;

	(void)abstract;
	if ((r = recv(sock, buf, len, flags)) < 0)
		return errno == ENOENT || errno == EWOULDBLOCK ? -EAGAIN : -errno;
	rx_bytes += (unsigned long long)r;
	return r;
}

/* Up to want channels in all (the first is s->sftp), never more than
 * [sftp] channels, opened in blocking
 * mode once a run; a server that allows fewer leaves fewer (-v says so).
 * 0, or the status of a lost connection (said). */
static int
more_channels(struct sftp *s, int want)
{
	LIBSSH2_SFTP *sf;
	int code;

	if (want > s->channels)
		want = s->channels;
	libssh2_session_callback_set(s->ses, LIBSSH2_CALLBACK_RECV,
	    (void *)counted_recv);
	while (!s->more_tried && s->nmore + 1 < want) {
		if ((sf = libssh2_sftp_init(s->ses)) != NULL) {
			s->more[s->nmore++] = sf;
			continue;
		}
		code = libssh2_session_last_errno(s->ses);
		if (code == LIBSSH2_ERROR_CHANNEL_FAILURE ||
		    code == LIBSSH2_ERROR_CHANNEL_REQUEST_DENIED ||
		    code == LIBSSH2_ERROR_SFTP_PROTOCOL) {
			msg_info("%s: the server allows %d SFTP channel%s at once",
			    s->where, s->nmore + 1, s->nmore ? "s" : "");
			s->more_tried = 1;
		} else
			return fail(s, NULL, "cannot start another SFTP channel");
	}
	return 0;
}

/* What a wait of the batch running names: its one request left, or how
 * many are left (a stall is the server's, not a file's). */
static char *
batch_where(struct sftp *s)
{
	struct many *m = s->batch;
	const char *one = NULL;
	size_t i, k = 0;
	char *w;

	for (i = 0; i < m->n; i++)
		if (m->r[i].st == SFTP_PENDING) {
			one = m->r[i].path;
			k++;
		}
	s->batch = NULL;
	if (k == 1)
		w = where(s, one);
	else
		w = xasprintf("%s (a batch: %zu requests not answered)",
		    s->where, k);
	s->batch = m;
	return w;
}

/* The rest of the batch when the connection is gone: its status each. */
static void
many_abandon(struct many *m, int st)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (m->r[i].st == SFTP_PENDING)
			m->r[i].st = st;
}

/* Wait for the socket as libssh2 asks, [sftp] timeout at most and never
 * past run_timeout.  0, or the status of a connection given up (said). */
static int
wait_socket(struct sftp *s, const char *path)
{
	struct pollfd p;
	int dir, r;
	int64_t left;
	long t = s->timeout_ms;
	char *w;

	if ((r = expired(s, path)) != 0)
		return r;
	left = s->deadline - now_ms();
	if (left < t)
		t = (long)(left > 0 ? left : 0);
	dir = libssh2_session_block_directions(s->ses);
	p.fd = s->sock;
	p.events = dir & LIBSSH2_SESSION_BLOCK_OUTBOUND ? POLLOUT : 0;
	if (dir & LIBSSH2_SESSION_BLOCK_INBOUND || !p.events)
		p.events |= POLLIN;
	if ((r = poll(&p, 1, (int)t)) > 0 || (r < 0 && errno == EINTR))
		return 0;
	if (now_ms() >= s->deadline)
		return run_over(s, path);
	s->dead = 1;
	shutdown(s->sock, SHUT_RDWR);
	w = where(s, path);
	msg_warn("%s: no answer within [sftp] timeout", w);
	free(w);
	return EX_UNAVAILABLE;
}

/* libssh2's last call on the slot would block. */
static int
again(struct sftp *s)
{
	return libssh2_session_last_errno(s->ses) == LIBSSH2_ERROR_EAGAIN;
}

/* The slot's request failed; st: its status (said when not
 * SFTP_MISSING).  The slot's handle, when open, is closed next. */
static void
slot_fail(struct slot *sl, int st)
{
	sl->r->st = st;
	sl->step = sl->h ? STEP_CLOSE : STEP_DONE;
}

/* The slot's file opened (STEP_START) and read (STEP_READ) into its fd.
 * 1: it moved on; 0: it waits on the server. */
static int
step_get(struct many *m, struct slot *sl)
{
	struct sftp *s = m->s;
	struct sftp_req *r = sl->r;
	ssize_t n;
	int st;

	if (sl->step == STEP_START) {
		sl->h = libssh2_sftp_open_ex(sl->sf, r->path,
		    (unsigned)strlen(r->path), LIBSSH2_FXF_READ, 0,
		    LIBSSH2_SFTP_OPENFILE);
		if (!sl->h && again(s))
			return 0;
		if (!sl->h)
			slot_fail(sl, is_missing(s) ? SFTP_MISSING :
			    fail(s, r->path, "cannot open for reading"));
		else
			sl->step = STEP_READ;
		return 1;
	}
	if (r->got >= r->size) {	/* as listed: the rest, the look's */
		sl->step = STEP_CLOSE;
		return 1;
	}
	n = libssh2_sftp_read(sl->h, sl->buf, read_len(sl->bufsize, r->size,
	    r->got));
	if (n == LIBSSH2_ERROR_EAGAIN)
		return 0;
	if (n < 0)
		slot_fail(sl, read_failed(s, r->path));
	else if (n == 0)
		sl->step = STEP_CLOSE;
	else if ((st = take_bytes(s, r->path, r->fd, sl->buf, (size_t)n,
	    m->max, &r->got)) != 0)
		slot_fail(sl, st);
	return 1;
}

/* Close the slot's handle (a failed request keeps its status), then the
 * look after the read.  1: it moved on; 0: it waits. */
static int
step_close(struct many *m, struct slot *sl)
{
	struct sftp *s = m->s;
	int rc;

	if ((rc = libssh2_sftp_close_handle(sl->h)) == LIBSSH2_ERROR_EAGAIN)
		return 0;
	sl->h = NULL;
	if (rc < 0 && sl->r->st == SFTP_PENDING)
		sl->r->st = fail(s, sl->r->path, "closing the remote file failed");
	sl->step = sl->r->st == SFTP_PENDING ? STEP_LOOK : STEP_DONE;
	return 1;
}

/* The stat of the slot's path (sftp_stat's answers), or its rename (0, or
 * SFTP_RETRY without a word when the server refused it: the caller asks
 * again one by one, sftp_rename, which says why).  1: done; 0: waits. */
static int
step_one(struct many *m, struct slot *sl)
{
	LIBSSH2_SFTP_ATTRIBUTES a;
	struct sftp *s = m->s;
	struct sftp_req *r = sl->r;
	int rc;

	if (m->kind == MANY_RENAME)
		rc = libssh2_sftp_rename_ex(sl->sf, r->path,
		    (unsigned)strlen(r->path), r->to, (unsigned)strlen(r->to),
		    LIBSSH2_SFTP_RENAME_ATOMIC | LIBSSH2_SFTP_RENAME_NATIVE);
	else
		rc = libssh2_sftp_stat_ex(sl->sf, r->path,
		    (unsigned)strlen(r->path), LIBSSH2_SFTP_STAT, &a);
	if (rc == LIBSSH2_ERROR_EAGAIN)
		return 0;
	sl->step = STEP_DONE;
	if (rc == 0) {
		if (m->kind != MANY_RENAME)
			fill_entry(&r->now, &a);
		r->st = 0;
	} else if (m->kind == MANY_RENAME && last_fx(s) >= 0)
		r->st = SFTP_RETRY;
	else if (is_missing(s))
		r->st = SFTP_MISSING;
	else
		r->st = fail(s, r->path, m->kind == MANY_RENAME ?
		    "cannot rename" : "cannot stat");
	return 1;
}

/* One step of the slot's request; 1 when it moved on. */
static int
step(struct many *m, struct slot *sl)
{
	m->s->cur = sl->sf;
	switch (sl->step) {
	case STEP_START:
	case STEP_READ:
		if (m->kind == MANY_GET)
			return step_get(m, sl);
		return step_one(m, sl);
	case STEP_CLOSE:
		return step_close(m, sl);
	case STEP_LOOK:
		return step_one(m, sl);
	default:
		return 0;
	}
}

/* Idle slots take the next requests; 1 while any slot is busy. */
static int
slots_fill(struct many *m)
{
	struct slot *sl;
	int i, busy = 0;

	for (i = 0; i < m->nslot; i++) {
		sl = &m->slot[i];
		if (sl->r && sl->step == STEP_DONE) {
			free(sl->buf);
			sl->buf = NULL;
			sl->r = NULL;
		}
		if (!sl->r && m->next < m->n) {
			sl->r = &m->r[m->next++];
			sl->step = STEP_START;
			if (m->kind == MANY_GET) {
				sl->bufsize = read_size(1, sl->r->size);
				sl->buf = xmalloc(sl->bufsize);
			}
		}
		busy |= sl->r != NULL;
	}
	return busy;
}

/* Run the batch m to its end; 0, or the status that stopped it (the
 * connection lost or the run over: said, and every request not done
 * carries it). */
static int
many_run(struct many *m)
{
	struct sftp *s = m->s;
	unsigned long long rx;
	int i, moved, st = 0;

	libssh2_session_set_blocking(s->ses, 0);
	s->batch = m;
	while (slots_fill(m)) {
		if ((st = expired(s, NULL)) != 0)
			break;
		rx = rx_bytes;
		moved = 0;
		for (i = 0; i < m->nslot && !s->dead; i++)
			if (m->slot[i].r)
				moved |= step(m, &m->slot[i]);
		if (s->dead || s->expired) {
			st = s->expired ? EX_TEMPFAIL : EX_UNAVAILABLE;
			break;
		}
		if (!moved && rx == rx_bytes &&
		    (st = wait_socket(s, NULL)) != 0)
			break;
	}
	s->batch = NULL;
	for (i = 0; i < m->nslot; i++) {
		free(m->slot[i].buf);
		if (m->slot[i].h)	/* dead: fails at once, frees it */
			libssh2_sftp_close_handle(m->slot[i].h);
	}
	libssh2_session_set_blocking(s->ses, 1);
	s->cur = s->sftp;
	if (st)
		many_abandon(m, st);
	return st;
}

/* A batch of n requests r of kind k on s: 0, or the status that stopped
 * it (said). */
static int
many(struct sftp *s, enum many_kind k, struct sftp_req *r, size_t n,
    uint64_t max)
{
	struct many m;
	size_t i;
	int st;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		r[i].st = SFTP_PENDING;
		r[i].got = 0;
		memset(&r[i].now, 0, sizeof r[i].now);
	}
	if ((st = dead(s, NULL)) != 0 ||
	    (st = more_channels(s, n < MANY_SLOTS ? (int)n : MANY_SLOTS)) != 0) {
		for (i = 0; i < n; i++)
			r[i].st = st;
		return st;
	}
	memset(&m, 0, sizeof m);
	m.s = s;
	m.kind = k;
	m.r = r;
	m.n = n;
	m.max = max;
	m.slot[0].sf = s->sftp;
	for (m.nslot = 1; m.nslot <= s->nmore; m.nslot++)
		m.slot[m.nslot].sf = s->more[m.nslot - 1];
	return many_run(&m);
}

int
sftp_fetch_many(struct sftp *s, struct sftp_req *r, size_t n, uint64_t max)
{
	return many(s, MANY_GET, r, n, max);
}

int
sftp_stat_many(struct sftp *s, struct sftp_req *r, size_t n)
{
	return many(s, MANY_STAT, r, n, 0);
}

int
sftp_rename_many(struct sftp *s, struct sftp_req *r, size_t n)
{
	return many(s, MANY_RENAME, r, n, 0);
}
