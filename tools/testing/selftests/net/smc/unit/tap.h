/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal TAP 13 producer for the codec unit tests.  Each test case is a
 * function returning true on success; the plan is the number of cases
 * collected before anything runs, so it can be printed first.
 */
#ifndef SMC_UNIT_TAP_H
#define SMC_UNIT_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

struct tap_case {
	const char *name;
	bool (*fn)(const void *arg);
	const void *arg;
};

/* print a diagnostic that the TAP consumer treats as a comment */
static inline void tap_diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
}

/* A case that could not try what it tests sets this (a static string)
 * and returns true: reported as skipped, with the reason.
 */
static const char *tap_skip_reason;

/* evaluate a condition inside a test case, report where it failed */
#define CHECK(cond) do {						\
	if (!(cond)) {							\
		tap_diag("%s:%d: check failed: %s", __FILE__, __LINE__,	\
			 #cond);					\
		return false;						\
	}								\
} while (0)

#define CHECK_EQ(a, b) do {						\
	long long _a = (long long)(a), _b = (long long)(b);		\
	if (_a != _b) {							\
		tap_diag("%s:%d: %s == %lld, expected %s == %lld",	\
			 __FILE__, __LINE__, #a, _a, #b, _b);		\
		return false;						\
	}								\
} while (0)

static inline int tap_run(const struct tap_case *cases, unsigned int n)
{
	unsigned int i, failed = 0;

	printf("TAP version 13\n1..%u\n", n);
	fflush(stdout);
	for (i = 0; i < n; i++) {
		bool ok;

		tap_skip_reason = NULL;
		ok = cases[i].fn(cases[i].arg);
		printf("%s %u - %s%s%s\n", ok ? "ok" : "not ok", i + 1,
		       cases[i].name, ok && tap_skip_reason ? " # SKIP " : "",
		       ok && tap_skip_reason ? tap_skip_reason : "");
		fflush(stdout);
		if (!ok)
			failed++;
	}
	if (failed)
		tap_diag("%u of %u failed", failed, n);
	return failed ? 1 : 0;
}

#endif /* SMC_UNIT_TAP_H */
