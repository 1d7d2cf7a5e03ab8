/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mdb_ltype.h - typed values in Lua, from the kernel's BTF, for the core:
 * ctx.args.NAME and ctx.retval (mdb_ltype_args.c, their fast forms in
 * mdb_ltype_fast.c), typed pointers (p.field, p[i], p:str():
 * mdb_ltype_value.c), mdb.cast, mdb.sizeof, mdb.offsetof, mdb.typeof,
 * mdb.has_field, mdb.addr(p), mdb.dump (mdb_ltype.c). The files' own
 * headers are mdb_ltype_value.h and mdb_ltype_cache.h.
 *
 * Everything runs in the context of the script call that reaches it, NMI
 * included: reads only through the nofault copies, no lock, no slab
 * allocation (Lua's objects come from the state's arena), BTF lookups only
 * through the bounded, lock-free functions of btf.h, and their results
 * cached in the state so that a later hit does no lookup.
 */
#ifndef _MDB_LTYPE_H
#define _MDB_LTYPE_H

#include <linux/types.h>

struct lua_State;
struct luaL_Reg;
struct pt_regs;

/* The mdb.* functions of mdb_ltype.c (registered with mdb_lua_register()). */
extern const struct luaL_Reg mdb_ltype_lib[];

/* A typed char * to @addr (p:str() reads it, user or kernel). */
int mdb_ltype_cast_cstr(struct lua_State *L, u64 addr);
/* ctx.retval: @v, typed from the return type of the function at @ip (an integer without BTF). */
int mdb_ltype_retval(struct lua_State *L, unsigned long ip, u64 v);
/*
 * ctx.args.NAME: push the value of parameter @name of the function whose
 * entry @ip is, from @regs (x86-64 System V). A Lua error says why when
 * @ip is not a function's entry, the function has no BTF, or it has no
 * such parameter. @is_watch: the hit is a watchpoint's (no arguments).
 */
int mdb_ltype_arg(struct lua_State *L, struct pt_regs *regs, unsigned long ip,
		  bool is_watch, const char *name, size_t len);

/* mdb_ltype_arg()'s fast form for the VM (mdb_lua_fast.h); NMI-safe, no Lua API */
struct mdb_lua_fastval;
bool mdb_ltype_arg_fast(struct lua_State *L, const struct pt_regs *regs, unsigned long ip,
			const char *name, size_t len, struct mdb_lua_fastval *out);
bool mdb_ltype_retval_fast(struct lua_State *L, unsigned long ip, u64 v,
			   struct mdb_lua_fastval *out);
/* Registers the typed values' fast __index (module init, before any script). */
int mdb_ltype_setup(void);

/* mdb.watch(p, "path"): the field's address and size (mdb_ltype_value.c). */
bool mdb_ltype_field(struct lua_State *L, int tidx, int pidx, u64 *addr, u32 *size);

/* Reads that faulted (a nil given to a script), summed over CPUs. */
u64 mdb_ltype_faults(void);

/*
 * mdb.dump()'s hook: log @len raw bytes of an object of BTF type @type
 * (in handle @nr, made under generation @gen), formatted when the log is
 * read. Set by the core; NMI-safe.
 */
void mdb_ltype_set_dump(void (*dump)(void *hit, unsigned int nr, u32 gen, u32 type,
				     unsigned int depth, const void *data, size_t len));

#endif /* _MDB_LTYPE_H */
