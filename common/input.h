/*
 * input -- where a program's items come from, as in mblaze: the arguments;
 * else the lines of stdin, one path each (when stdin is not a terminal);
 * else, when neither gave anything, every file in a spool folder, sorted.
 */
#ifndef POSYNC_INPUT_H
#define POSYNC_INPUT_H

/* fn is called for each item; its status is merged with exit_merge().
 * suffix filters the spool folder's names (NULL: all).  Returns the merged
 * status (0 when all items succeeded, or when there were none). */
typedef int input_fn(const char *path, void *arg);
int input_loop(int argc, char **argv, const char *spooldir_sub,
    const char *suffix, input_fn *fn, void *arg);

/* The same, but collects the items instead: a malloc'd NULL-terminated
 * vector of malloc'd paths; *from_spool says which source was used. */
char **input_collect(int argc, char **argv, const char *spooldir_sub,
    const char *suffix, size_t *n, int *from_spool);
void input_free(char **v);

/* The exit status for an input file that could not be opened or read,
 * errno err: EX_NOINPUT (66) when it is missing, unreadable, not a
 * regular file (util.h open_regular: a FIFO or device is refused at once
 * rather than read for ever) or a bad path; EX_IOERR for anything else (a
 * failing disk, no memory), which is not the input's fault. */
int input_status(int err);

#endif
