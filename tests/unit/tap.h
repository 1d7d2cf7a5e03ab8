/* SPDX-License-Identifier: GPL-2.0 */
/* TAP output for the host unit tests: ok() counts, diag() comments. */
#ifndef _MDB_UNIT_TAP_H
#define _MDB_UNIT_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

static unsigned int t_num, t_failed;

static void __attribute__((format(printf, 2, 3), unused))
ok(bool pass, const char *fmt, ...)
{
	va_list ap;

	t_num++;
	if (!pass)
		t_failed++;
	printf("%sok %u - ", pass ? "" : "not ", t_num);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static void __attribute__((format(printf, 1, 2), unused))
diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

#endif /* _MDB_UNIT_TAP_H */
