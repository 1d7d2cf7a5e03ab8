/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <limits.h> for Lua in the kernel. The kernel's own limits are casts
 * ("((int)(~0U >> 1))"), which Lua cannot test in #if, so after taking
 * the kernel's header (whose include guard then keeps it from coming back
 * in a glue file) the ones Lua uses are redefined from the compiler's
 * predefined macros: same values, same types, usable in #if.
 */
#ifndef _MDB_SHIM_LIMITS_H
#define _MDB_SHIM_LIMITS_H

#include <linux/limits.h>

#undef SHRT_MAX
#undef SHRT_MIN
#undef USHRT_MAX
#undef INT_MAX
#undef INT_MIN
#undef UINT_MAX
#undef LONG_MAX
#undef LONG_MIN
#undef ULONG_MAX
#undef LLONG_MAX
#undef LLONG_MIN
#undef ULLONG_MAX
#undef SIZE_MAX

#define CHAR_BIT	__CHAR_BIT__
#define SCHAR_MAX	__SCHAR_MAX__
#define SCHAR_MIN	(-SCHAR_MAX - 1)
#define UCHAR_MAX	(SCHAR_MAX * 2 + 1)
#define CHAR_MAX	SCHAR_MAX	/* x86-64: char is signed */
#define CHAR_MIN	SCHAR_MIN
#define SHRT_MAX	__SHRT_MAX__
#define SHRT_MIN	(-SHRT_MAX - 1)
#define USHRT_MAX	(SHRT_MAX * 2 + 1)
#define INT_MAX		__INT_MAX__
#define INT_MIN		(-INT_MAX - 1)
#define UINT_MAX	(INT_MAX * 2U + 1U)
#define LONG_MAX	__LONG_MAX__
#define LONG_MIN	(-LONG_MAX - 1L)
#define ULONG_MAX	(LONG_MAX * 2UL + 1UL)
#define LLONG_MAX	__LONG_LONG_MAX__
#define LLONG_MIN	(-LLONG_MAX - 1LL)
#define ULLONG_MAX	(LLONG_MAX * 2ULL + 1ULL)
#define SIZE_MAX	__SIZE_MAX__
#define MB_LEN_MAX	1

#endif
