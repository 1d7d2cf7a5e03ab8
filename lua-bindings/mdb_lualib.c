// SPDX-License-Identifier: GPL-2.0
/*
 * mdb_lualib.c - the 'mdb' Lua library: memory reads, symbols, printf,
 * backtraces.
 *
 * Every function here runs in the context of the script call that reaches
 * it, which may be NMI (a #DB handler): no sleeping, no locks, no
 * allocation but the state's own (Lua's), and memory is only read with the
 * nofault copies, which return an error instead of faulting. A Lua value
 * is built only after the read succeeded, so an unreadable address gives
 * nil and nothing else.
 *
 * Addresses are Lua integers (64 bits): kernel addresses are negative as
 * signed numbers; string.format("%x", a) prints them as usual.
 *
 * The core adds functions with mdb_lua_register() (mdb_lua.h); they land in
 * the same table. mdb_lua_create() is here: a state of the runtime
 * (mdb_lua_new(), below this library) with this library opened in it.
 *
 * Context: the library's functions run in the context of the script call
 * (NMI included); registration and mdb_lua_create() in process context.
 */
#include <linux/errno.h>
#include <linux/kallsyms.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/unwind.h>

#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"

#include "mdb_lua.h"
#include "mdb_lua_internal.h"
#include "nofault.h"

/* Longest mdb.read() and mdb.str()/user_str() result. */
#define MDB_LUA_READ_MAX	(64 * 1024)
#define MDB_LUA_STR_DEFAULT	256
#define MDB_LUA_BT_DEFAULT	16
#define MDB_LUA_BT_MAX		64
#define MDB_LUA_MAX_LIBS	8

/* Set at module init (process context) before any state. */
static unsigned long (*mdb_lua_lookup_fn)(const char *name);
static const luaL_Reg *mdb_lua_libs[MDB_LUA_MAX_LIBS];
static int mdb_lua_nlibs;

/*
 * sprint_symbol()'s buffer is too big for the script stack: one per CPU.
 * A CPU runs one Lua call at a time (mdb_lua_run.c), so it is never shared.
 */
static DEFINE_PER_CPU(char[KSYM_SYMBOL_LEN], mdb_lua_symbuf);

static unsigned long check_addr(lua_State *L, int arg)
{
	return (unsigned long)luaL_checkinteger(L, arg);
}

/* mdb.read(addr, len) -> string or nil */
static int mdb_l_read(lua_State *L)
{
	unsigned long addr = check_addr(L, 1);
	lua_Integer len = luaL_checkinteger(L, 2);
	luaL_Buffer b;
	char *p;

	luaL_argcheck(L, len >= 0 && len <= MDB_LUA_READ_MAX, 2,
		      "length out of range");
	mdb_lua_charge(L, len >> 6);
	p = luaL_buffinitsize(L, &b, len);
	if (copy_from_kernel_nofault(p, (const void *)addr, len)) {
		lua_pushnil(L);
		return 1;
	}
	luaL_pushresultsize(&b, len);
	return 1;
}

/* mdb.u8/u16/u32/u64(addr) -> integer or nil */
static int read_uint(lua_State *L, unsigned int size)
{
	unsigned long addr = check_addr(L, 1);
	u64 v = 0;

	if (!mdb_read_nofault(&v, addr, size)) {
		lua_pushnil(L);
		return 1;
	}
	lua_pushinteger(L, (lua_Integer)v);	/* little-endian: low bytes */
	return 1;
}

static int mdb_l_u8(lua_State *L) { return read_uint(L, 1); }
static int mdb_l_u16(lua_State *L) { return read_uint(L, 2); }
static int mdb_l_u32(lua_State *L) { return read_uint(L, 4); }
static int mdb_l_u64(lua_State *L) { return read_uint(L, 8); }

/*
 * Any context (the hit path included): push the NUL-terminated string of
 * at most @max bytes at @addr, read a chunk at a time without crossing a
 * page (a string may end just before an unmapped page) with the nofault
 * copies only. False, and nothing pushed, if not even the first byte is
 * readable; the readable part if the string runs into an unreadable page.
 * Shared by mdb.str()/mdb.user_str() and typed values' p:str().
 */
bool mdb_lua_push_memstr(lua_State *L, unsigned long addr, size_t max, bool user)
{
	size_t got = 0;
	luaL_Buffer b;

	/*
	 * A kernel thread has no user memory: whatever mm it borrowed
	 * lazily belongs to some other process. From 5.18 or so
	 * copy_from_user_nofault() refuses then (nmi_uaccess_okay()); 5.10's
	 * does not, and would read that process's memory.
	 */
	if (user && !current->mm)
		return false;
	luaL_buffinit(L, &b);
	while (got < max) {
		size_t n = min_t(size_t, max - got, 64);
		unsigned long a = addr + got;
		char *p, *nul;
		long rc;

		n = min_t(size_t, n, PAGE_SIZE - offset_in_page(a));
		p = luaL_prepbuffsize(&b, n);
		if (user)
			rc = copy_from_user_nofault(p, (const void __user *)a, n);
		else
			rc = copy_from_kernel_nofault(p, (const void *)a, n);
		if (rc) {
			if (!got) {
				luaL_pushresult(&b);
				lua_pop(L, 1);
				return false;
			}
			break;
		}
		mdb_lua_charge(L, 1);
		nul = memchr(p, '\0', n);
		if (nul) {
			luaL_addsize(&b, nul - p);
			break;
		}
		luaL_addsize(&b, n);
		got += n;
	}
	luaL_pushresult(&b);
	return true;
}

/* mdb.str(addr [, max]) / mdb.user_str(addr [, max]) -> string or nil */
static int read_string(lua_State *L, bool user)
{
	unsigned long addr = check_addr(L, 1);
	lua_Integer max = luaL_optinteger(L, 2, MDB_LUA_STR_DEFAULT);

	luaL_argcheck(L, max >= 0 && max <= MDB_LUA_READ_MAX, 2,
		      "length out of range");
	if (!mdb_lua_push_memstr(L, addr, max, user))
		lua_pushnil(L);
	return 1;
}

/* mdb.str(addr [, max]) -> kernel string or nil */
static int mdb_l_str(lua_State *L)
{
	return read_string(L, false);
}

/* mdb.user_str(addr [, max]) -> user-space string or nil */
static int mdb_l_user_str(lua_State *L)
{
	return read_string(L, true);
}

/*
 * "name+0xoff" or "name+0xoff [module]" for @addr into the per-CPU buffer;
 * false if no symbol covers it. sprint_symbol() writes
 * "name+0xoff/0xsize [module]": the "/0xsize" goes.
 */
static bool format_sym(unsigned long addr, char *buf)
{
	char *slash, *end;

	sprint_symbol(buf, addr);
	slash = strchr(buf, '/');
	if (!slash)
		return false;	/* no symbol: sprint_symbol printed 0x... */
	end = strchr(slash, ' ');
	if (end)
		memmove(slash, end, strlen(end) + 1);
	else
		*slash = '\0';
	return true;
}

/* mdb.sym(addr) -> "name+0xoff" or nil */
static int mdb_l_sym(lua_State *L)
{
	unsigned long addr = check_addr(L, 1);
	char *buf = (char *)this_cpu_ptr(&mdb_lua_symbuf);

	if (!format_sym(addr, buf)) {
		lua_pushnil(L);
		return 1;
	}
	lua_pushstring(L, buf);
	return 1;
}

/* mdb.addr(name) -> address or nil */
static int mdb_l_addr(lua_State *L)
{
	const char *name = luaL_checkstring(L, 1);
	unsigned long addr = mdb_lua_lookup(name);

	if (!addr)
		lua_pushnil(L);
	else
		lua_pushinteger(L, (lua_Integer)addr);
	return 1;
}

/* mdb.printf(fmt, ...): string.format, then the log (one message). */
static int mdb_l_printf(lua_State *L)
{
	const char *s;
	size_t len;

	lua_pushvalue(L, lua_upvalueindex(1));	/* string.format */
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, 1);
	s = lua_tolstring(L, -1, &len);
	if (s && len && s[len - 1] == '\n')
		len--;			/* the log is line-based already */
	if (s)
		mdb_lua_log(L, s, len);
	return 0;
}

static void push_frame(lua_State *L, int *n, unsigned long addr, char *buf)
{
	if (!format_sym(addr, buf))
		snprintf(buf, KSYM_SYMBOL_LEN, "0x%lx", addr);
	lua_pushstring(L, buf);
	lua_rawseti(L, -2, ++*n);
}

/*
 * mdb.backtrace([max]) -> { "name+0xoff", ... }, innermost first.
 *
 * In a hit: the interrupted code's stack, from the hit's registers (the
 * breakpoint address first). In a call without registers: mdb_lua_call()'s
 * caller. Unwinds with the kernel's unwinder (what stack_trace_save() does
 * inside), from registers: the script itself runs on a stack the unwinder
 * does not know, so stack_trace_save() from here would find nothing.
 */
static int mdb_l_backtrace(lua_State *L)
{
	lua_Integer max = luaL_optinteger(L, 1, MDB_LUA_BT_DEFAULT);
	char *buf = (char *)this_cpu_ptr(&mdb_lua_symbuf);
	struct unwind_state state;
	struct pt_regs *regs;
	bool hit;
	int n = 0;

	luaL_argcheck(L, max > 0 && max <= MDB_LUA_BT_MAX, 1, "out of range");
	lua_createtable(L, (int)max, 0);
	regs = mdb_lua_walk_regs(L, &hit);
	if (!regs || user_mode(regs))
		return 1;
	if (hit)
		push_frame(L, &n, regs->ip, buf);
	for (unwind_start(&state, current, regs, NULL);
	     !unwind_done(&state) && n < max; unwind_next_frame(&state)) {
		unsigned long addr = unwind_get_return_address(&state);

		if (!addr)
			break;
		mdb_lua_charge(L, 16);
		push_frame(L, &n, addr, buf);
	}
	return 1;
}

static const luaL_Reg mdb_lib[] = {
	{ "read", mdb_l_read },
	{ "u8", mdb_l_u8 },
	{ "u16", mdb_l_u16 },
	{ "u32", mdb_l_u32 },
	{ "u64", mdb_l_u64 },
	{ "str", mdb_l_str },
	{ "user_str", mdb_l_user_str },
	{ "sym", mdb_l_sym },
	{ "addr", mdb_l_addr },
	{ "backtrace", mdb_l_backtrace },
	{ "printf", NULL },	/* a closure over string.format, below */
	{ NULL, NULL }
};

/* Protected, at state creation: the global table 'mdb'. */
static int mdb_lualib_open(lua_State *L)
{
	int i;

	luaL_newlib(L, mdb_lib);
	lua_getglobal(L, LUA_STRLIBNAME);
	lua_getfield(L, -1, "format");
	lua_pushcclosure(L, mdb_l_printf, 1);
	lua_setfield(L, -3, "printf");
	lua_pop(L, 1);			/* the string table */
	mdb_agg_open(L);
	for (i = 0; i < mdb_lua_nlibs; i++)
		luaL_setfuncs(L, mdb_lua_libs[i], 0);
	lua_setglobal(L, "mdb");
	return 0;
}

/* ---- the API of the library ------------------------------------------- */

void mdb_lua_set_lookup(unsigned long (*lookup)(const char *name))
{
	mdb_lua_lookup_fn = lookup;
}

unsigned long mdb_lua_lookup(const char *name)
{
	return mdb_lua_lookup_fn ? mdb_lua_lookup_fn(name) : 0;
}

int mdb_lua_register(const luaL_Reg *fns)
{
	if (mdb_lua_nlibs >= MDB_LUA_MAX_LIBS)
		return -ENOSPC;
	mdb_lua_libs[mdb_lua_nlibs++] = fns;
	return 0;
}

struct mdb_lua *mdb_lua_create(size_t arena_bytes, char *err, size_t errlen)
{
	return mdb_lua_new(arena_bytes, mdb_lualib_open, err, errlen);
}
