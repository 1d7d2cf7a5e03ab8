/* SPDX-License-Identifier: GPL-2.0 */
/* <time.h> for Lua in the kernel: nothing is needed from it (see luaconf.h). */
#ifndef _MDB_SHIM_TIME_H
#define _MDB_SHIM_TIME_H
#endif
