/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <math.h> for Lua in the kernel, where lua_Number is an integer (see
 * luaconf.h). Lua names these only on float paths that integer-only mdb
 * never takes; each is an integer expression that cannot trap, so those
 * paths compile without a single float instruction.
 */
#ifndef _MDB_SHIM_MATH_H
#define _MDB_SHIM_MATH_H

#define HUGE_VAL	__LONG_LONG_MAX__
#define floor(x)	(x)
#define fabs(x)		((x) < 0 ? -(x) : (x))
#define frexp(x, e)	(*(e) = 0, (x))
#define ldexp(x, e)	((void)(e), (x))

#endif
