/*
 * fuzz.h -- what every libFuzzer harness in tests/fuzz/ shares.
 *
 * A harness is one file, NAME.c, defining LLVMFuzzerTestOneInput.  It
 * checks an invariant of the code it drives, not only that nothing
 * crashed: a broken invariant is reported by FUZZ_CHECK, which prints
 * what broke and aborts, so libFuzzer saves the input as a crash and the
 * replay (tests/6015-fuzz-replay.t) fails on it.
 */
#ifndef POSYNC_FUZZ_H
#define POSYNC_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <sanitizer/common_interface_defs.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* The message goes where the sanitizers report (libFuzzer keeps that
 * open when -close_fd_mask=2 closes the code's own stderr). */
#define FUZZ_CHECK(cond, ...) do { \
	if (!(cond)) { \
		char fuzz_m_[2048]; \
		int fuzz_n_ = snprintf(fuzz_m_, sizeof fuzz_m_, \
		    "%s:%d: invariant broken: %s: ", __FILE__, __LINE__, #cond); \
		if (fuzz_n_ > 0 && (size_t)fuzz_n_ < sizeof fuzz_m_) \
			snprintf(fuzz_m_ + fuzz_n_, sizeof fuzz_m_ - (size_t)fuzz_n_, \
			    __VA_ARGS__); \
		__sanitizer_report_error_summary(fuzz_m_); \
		abort(); \
	} \
} while (0)

/* A scratch folder for the whole process, removed at exit: harnesses
 * whose code reads files get one (mkdtemp under $TMPDIR). */
const char *fuzz_tmpdir(void);
/* Write data to path (mode 0600, replacing it); aborts on failure. */
void fuzz_write(const char *path, const void *data, size_t len);

#endif
