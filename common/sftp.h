/*
 * sftp -- one SSH session per run (libssh2), one SFTP channel on it, and
 * up to 7 more for batches of requests in flight together (below).
 *
 * Promises: the host key is checked against [sftp] known_hosts, read as
 * ssh(1) reads it (sftp.c, kh_verdict), and an unknown or changed key is
 * refused, with its fingerprint and the ssh-keyscan line that would
 * trust it; [sftp] timeout bounds the TCP
 * connect, the handshake and every later operation, so a server that
 * accepts and never speaks cannot hang a run; reads and writes are large
 * and pipelined; a transfer cut short is an error, never a short file
 * passed on.  Every error message names the remote path and carries
 * libssh2's own message.
 *
 * [sftp] run_timeout bounds the whole session: past it every operation
 * fails with EX_TEMPFAIL, said once (sftp_expired then says so).
 *
 * Functions return 0, or a sysexits status after printing a message:
 * EX_UNAVAILABLE (cannot connect, timed out, connection lost: only the
 * server itself being out of reach), EX_NOPERM (host key refused,
 * authentication failed, permission denied on a path), EX_CONFIG (missing
 * host or known_hosts; a remote path that does not exist or runs through
 * a file, or a folder to list that is not one; something in the way), EX_TEMPFAIL (the server refused one operation without saying
 * why: SFTP's generic "failure", a full disk; and [sftp] run_timeout),
 * EX_PROTOCOL (the server said nonsense), EX_IOERR (local file).
 */
#ifndef POSYNC_SFTP_H
#define POSYNC_SFTP_H

#include <stdint.h>
#include <time.h>

struct config;
struct sftp;

struct sftp_entry {
	char *name;		/* the remote name as is: any bytes but '/' and NUL */
	uint64_t size;
	time_t mtime;
	int is_reg, is_dir;
};

int sftp_open(const struct config *c, struct sftp **out);
void sftp_close(struct sftp *s);
/* 1 once [sftp] run_timeout has passed: stop, leave the rest for later. */
int sftp_expired(const struct sftp *s);
/* 1 when st (a status of s's) or the session says the connection is no
 * use any more: lost or out of reach (EX_UNAVAILABLE), the server spoke
 * nonsense (EX_PROTOCOL), or run_timeout passed.  Every caller asks this
 * one question; the rest for a later run. */
int sftp_lost(const struct sftp *s, int st);

/* Every entry of dir except "." and ".."; *ents malloc'd. */
int sftp_list(struct sftp *s, const char *dir, struct sftp_entry **ents, size_t *n);
void sftp_entries_free(struct sftp_entry *ents, size_t n);

/* 0 and *st filled (name NULL) when path exists, SFTP_MISSING when it does
 * not, else a status as above. */
#define SFTP_MISSING 1
int sftp_stat(struct sftp *s, const char *path, struct sftp_entry *st);

/* Download remote into fd (from its current offset); refuses more than max
 * bytes (EX_DATAERR).  *got: bytes written.  SFTP_MISSING, nothing said,
 * when remote is not there (gone since it was listed). */
int sftp_get(struct sftp *s, const char *remote, int fd, uint64_t max, uint64_t *got);
/* sftp_get of a file listed with size bytes: the read is sized by that
 * size, without asking the server (one round trip less), and goes no
 * further: bytes it grew by since are not read.  *got against size, and
 * whether the file changed meanwhile (grew, past max too), are the
 * caller's to judge (future_fetch looks at the file again after the
 * read). */
int sftp_get_listed(struct sftp *s, const char *remote, uint64_t size, int fd,
    uint64_t max, uint64_t *got);
/* Upload all of fd (from offset 0) to remote, created or truncated, mode
 * 0644; the size on the server is checked afterwards. */
int sftp_put(struct sftp *s, int fd, const char *remote);
/* Rename; fails (EX_CANTCREAT, said) when anything is under the name to
 * already (a link to nowhere too), the one call that answers
 * EX_CANTCREAT: its callers map it to the suite's table; SFTP_MISSING,
 * nothing said, when from is not there. */
int sftp_rename(struct sftp *s, const char *from, const char *to);
/* sftp_rename to a name that may well be taken: EX_CANTCREAT without a
 * word then, for the caller to look for a free one (no look before). */
int sftp_rename_try(struct sftp *s, const char *from, const char *to);
/* Make path and the folders above it that are missing.  A component that
 * is there but not a folder, or a folder the server will not make, is
 * EX_CONFIG; one it refuses for want of permission EX_NOPERM; each said
 * with the path at fault. */
int sftp_mkdir_p(struct sftp *s, const char *path);
int sftp_remove(struct sftp *s, const char *path);

/* Progress callback for long transfers (NULL: none). */
void sftp_set_progress(struct sftp *s, void (*fn)(uint64_t done, uint64_t total, void *arg), void *arg);

/* As sftp_stat, but a symbolic link is not followed (is_reg is then 0):
 * what is under that name itself.  *kind (kind may be NULL) says what it
 * is, for a message: "a regular file", "a folder", "a symbolic link",
 * ...; NULL unless 0 is returned. */
int sftp_lstat(struct sftp *s, const char *path, struct sftp_entry *st,
    const char **kind);

/* The server's clock now (posync(7), CLOCKS): creates a dot-file with a
 * unique name in dir, a folder posync owns and that must exist, reads the
 * mtime the server gave it through the open handle, closes and removes
 * it.  0 and *now set; SFTP_NO_CLOCK when the server would not tell (no
 * permission to write there, no such folder, no time in its answer: said
 * under -v only, the caller falls back to this host's clock); else the
 * status of a lost connection or an expired run (said).  A leftover of a
 * killed run is a file ".posync-clock.*" in dir. */
#define SFTP_NO_CLOCK 2
int sftp_server_now(struct sftp *s, const char *dir, time_t *now);

/*
 * Batches: up to 8 requests in flight at once, on as many SFTP channels of
 * the one session, where one at a time would wait a round trip each.  r[i]
 * is one request; each answer is in r[i].st (0, SFTP_MISSING without a
 * word, or a status said as above) in any order of completion, the calls
 * return 0 or the status that stopped the batch (the connection lost or
 * run_timeout passed: said once, and every request not answered carries
 * it).
 *
 * sftp_fetch_many: each r.path, listed with r.size bytes, read into r.fd
 *   as sftp_get_listed reads (r.got bytes, at most max, never past
 *   r.size), then looked at again: r.now, for the
 *   caller to judge (future.h).  A read that would be long gains nothing
 *   here: for files small next to a round trip's worth of bytes.
 * sftp_stat_many: r.now for each r.path.
 * sftp_rename_many: r.path renamed to r.to as sftp_rename_try does, but
 *   any refusal (the name taken, the file gone, anything) is SFTP_RETRY
 *   without a word: the caller does that one again one by one (sftp_rename
 *   and its diagnosis).
 */
#define SFTP_RETRY 3
struct sftp_req {
	const char *path;	/* in: the remote file */
	const char *to;		/* in, rename: its new name */
	uint64_t size;		/* in, fetch: as listed */
	int fd;			/* in, fetch: where its bytes go */
	int st;			/* out */
	uint64_t got;		/* out, fetch: the bytes written to fd */
	struct sftp_entry now;	/* out, fetch and stat: the look (name NULL) */
};
int sftp_fetch_many(struct sftp *s, struct sftp_req *r, size_t n, uint64_t max);
int sftp_stat_many(struct sftp *s, struct sftp_req *r, size_t n);
int sftp_rename_many(struct sftp *s, struct sftp_req *r, size_t n);

#endif
