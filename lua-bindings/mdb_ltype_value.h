/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mdb_ltype_value.h - typed values (mdb_ltype_value.c): a userdata "an
 * object of BTF type T at address A", made and read by the other
 * mdb_ltype files. The reads a hit makes are in line here (tv_read(),
 * plan_walk(), scalar_bits()), for the fast forms and the slow paths alike.
 *
 * Any context, NMI included: reads only through the nofault copies.
 */
#ifndef _MDB_LTYPE_VALUE_H
#define _MDB_LTYPE_VALUE_H

#include <linux/types.h>
#include "btfidx.h"
#include "nofault.h"
#include "mdb_ltype_cache.h"

struct lua_State;

/* "an object of @type at @addr", in BTF handle @nr made under @gen */
struct mdb_tv {
	u64 addr;
	u32 type;	/* as written in BTF (typedefs and modifiers kept) */
	u32 ptr;	/* the PTR type it was reached through, or 0 */
	u32 gen;
	u8 nr;
};

/* Kernel memory only: a user or non-canonical address fails, never faults. */
static __always_inline bool tv_read(void *dst, u64 addr, size_t len)
{
	return mdb_read_nofault(dst, (unsigned long)addr, len);
}

/* Follow @plan from @addr: the final value's address, false on a fault. */
static __always_inline bool plan_walk(const struct mdb_btf_plan *plan, u64 *addr)
{
	u64 a = *addr;
	int i;

	for (i = 0; i < plan->nr_steps; i++) {
		a += plan->step[i].off;
		if (plan->step[i].deref) {
			if (!tv_read(&a, a, sizeof(a)) || !a)
				return false;
		}
	}
	*addr = a;
	return true;
}

/* A scalar's value from its raw little-endian bytes @v: its bits, sign-extended. */
static __always_inline u64 scalar_bits(u64 v, u32 size, u32 bit_off, u32 bits, bool is_signed)
{
	if (bits) {
		v >>= bit_off;
		if (bits < 64)
			v &= (1ULL << bits) - 1;
	} else if (size < 8) {
		bits = size * 8;
		v &= (1ULL << bits) - 1;
	} else {
		bits = 64;
	}
	if (is_signed && bits < 64 && (v & (1ULL << (bits - 1))))
		v |= ~0ULL << bits;
	return v;
}

/* This CPU's buffer for a message (MDB_BTF_MSG_MAX): a script call never nests on a CPU. */
char *mdb_tv_msg(void);
/* A read that faulted: counted, and nil pushed (1). */
int mdb_tv_fault(struct lua_State *L);
/* @tv's BTF, or a Lua error (an unloaded module's type, no BTF). */
const struct mdb_btf *mdb_tv_btf(struct lua_State *L, const struct mdb_tv *tv);
/* The typed value at stack index @i, or NULL. */
struct mdb_tv *mdb_tv_check(struct lua_State *L, int i);
/* Push a new typed value; @ptr: the PTR type it was reached through, or 0. */
struct mdb_tv *mdb_tv_new(struct lua_State *L, unsigned int nr, u32 type, u32 ptr, u64 addr);
/* Is an INT or ENUM type signed? */
bool mdb_tv_signed(const struct mdb_btf *b, u32 type);
/* A scalar of class @cls from its raw little-endian bytes (in @v). */
int mdb_tv_push_scalar(struct lua_State *L, const struct mdb_btf *b, unsigned int nr, u32 type,
		       int cls, u64 v, u32 size, u32 bit_off, u32 bits, bool is_signed);
/*
 * The value of type @type at @addr: a Lua integer, boolean or string for
 * scalars and char arrays, a typed value for structs, unions and arrays.
 */
int mdb_tv_push_value(struct lua_State *L, const struct mdb_btf *b, unsigned int nr, u32 type,
		      int cls, u64 addr, u32 size, u32 bit_off, u32 bits, bool is_signed);
/*
 * mdb_tv_push_value() for a type whose facts are in @v: no BTF walk for
 * scalars and pointers. @addr is where the value is; @raw, when non-NULL,
 * is the value itself (a register).
 */
int mdb_tv_push_fast(struct lua_State *L, unsigned int nr, const struct fc_val *v, u64 addr,
		     const u64 *raw, u32 bit_off, u32 bits);
/* A plan of field @key (a stack index: the name) of @tv's type, cached. Pushes nothing. */
const struct mdb_btf_plan *mdb_tv_plan(struct lua_State *L, const struct mdb_btf *b,
				       const struct mdb_tv *tv, int key);
/* The typed values' __index (a field, an element, str) */
int mdb_tv_index(struct lua_State *L);
/* The typed values' fast __index (mdb_ltype_fast.c), registered with mdb_tv_index. */
struct mdb_lua_fastval;
int mdb_tv_fast_index(struct lua_State *L, void *obj, const char *key, unsigned long klen,
		      const void *kid, struct mdb_lua_fastval *out);

#endif
