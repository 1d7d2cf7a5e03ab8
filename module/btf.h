/* SPDX-License-Identifier: GPL-2.0 */
/*
 * btf.h - mdb's own reader of raw BTF (the kernel's type information)
 *
 * mdb never calls the kernel's internal BTF functions: it reads the raw
 * blob of /sys/kernel/btf/vmlinux (and of a module, as split BTF on top of
 * vmlinux), checks every byte of it once, builds an immutable name index,
 * and answers questions from that index. The design is in docs/btf.md.
 *
 * Pure C shared by the kernel module (MDB_KERNEL defined) and the
 * user-space unit tests and fuzzer; the include block below is the only
 * difference between the two builds.
 *
 * Where each function may run:
 *
 *   process context only (they allocate, free, or recurse):
 *     mdb_btf_open(), mdb_btf_close(), mdb_btf_snprint()
 *
 *   anywhere, NMI included (the hit path): everything else, the plan
 *   compiler and mdb_btf_type_str() included. These only read the
 *   immutable blob and index, never allocate, never lock, never recurse,
 *   are bounded by small constants (MDB_BTF_DEPTH links of a type chain,
 *   MDB_BTF_ANON_DEPTH levels of anonymous members, the probe bound
 *   measured when the index was built, the vlen of one struct) and keep
 *   every frame under 512 bytes (the deepest chain, a plan compile that
 *   names a type in its message, about 1 KiB on x86-64). They stay
 *   defensive: a bad id gives -EINVAL, never a read outside the blob.
 *
 * The code, each file calling only the ones listed after it:
 * btf.c (open, checks, close), btf_plan.c (members, plans, functions),
 * btf_format.c (C text, value formatter), btf_access.c (accessors,
 * strip/resolve/sizeof, the class of a value), btf_index.c (the name
 * index: build and lookups). btf_rec.h is their private header.
 *
 * A handle must outlive every split handle opened on top of it: close the
 * modules' BTF before vmlinux's.
 */
#ifndef _MDB_BTF_H
#define _MDB_BTF_H

#ifdef MDB_KERNEL
#include <linux/types.h>
#include <linux/string.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/mm.h>
#define MDB_BTF_ZALLOC(size)	kvzalloc((size), GFP_KERNEL)
#define MDB_BTF_FREE(p)		kvfree(p)
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef int64_t s64;
#define MDB_BTF_ZALLOC(size)	calloc(1, (size))
#define MDB_BTF_FREE(p)		free(p)
#endif

/* BTF kinds, numbered as in include/uapi/linux/btf.h. */
enum mdb_btf_kind {
	MDB_BTF_UNKN, MDB_BTF_INT, MDB_BTF_PTR, MDB_BTF_ARRAY,
	MDB_BTF_STRUCT, MDB_BTF_UNION, MDB_BTF_ENUM, MDB_BTF_FWD,
	MDB_BTF_TYPEDEF, MDB_BTF_VOLATILE, MDB_BTF_CONST, MDB_BTF_RESTRICT,
	MDB_BTF_FUNC, MDB_BTF_FUNC_PROTO, MDB_BTF_VAR, MDB_BTF_DATASEC,
	MDB_BTF_FLOAT, MDB_BTF_DECL_TAG, MDB_BTF_TYPE_TAG, MDB_BTF_ENUM64,
	MDB_BTF_KIND_NR
};

/* INT encoding bits */
#define MDB_BTF_INT_SIGNED	1
#define MDB_BTF_INT_CHAR	2
#define MDB_BTF_INT_BOOL	4

/*
 * Bounds. A chain is what a type reaches by following PTR, ARRAY,
 * TYPEDEF, CONST, VOLATILE, RESTRICT and TYPE_TAG links; the open refuses
 * a blob with a longer chain (loops included), so every walk below ends.
 * The vmlinux of 6.18 needs at most 8 (see docs/btf.md).
 */
#define MDB_BTF_DEPTH		32	/* links of a type chain */
#define MDB_BTF_ANON_DEPTH	8	/* nested anonymous struct/union members */
#define MDB_BTF_PLAN_STEPS	8	/* dereferences in one access plan */
#define MDB_BTF_PATH_MAX	256	/* bytes of an access path */
#define MDB_BTF_NAME_MAX	128	/* bytes of a C type name given to find */
#define MDB_BTF_MSG_MAX		256	/* a message buffer that always fits */
#define MDB_BTF_FMT_DEPTH_MAX	8	/* struct nesting the formatter expands */

/* mdb_btf_open() flags */
#define MDB_BTF_BORROW	1	/* use the caller's bytes (4-aligned, immutable,
				 * outliving the handle) instead of a copy */

struct mdb_btf;

/* A NUL-terminated name against @len bytes that may hold no NUL. */
static inline bool mdb_btf_name_eq(const char *s, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!s[i] || s[i] != name[i])
			return false;
	return !s[len];
}

/**
 * struct mdb_btf_stats - what an open found and cost, for status and docs
 * @nr_types:    ids of this blob and its base together (ids 1..nr_types-1)
 * @own_types:   types in this blob
 * @named:       entries of the name index
 * @max_probe:   longest probe sequence of the name index (bounds lookups)
 * @max_chain:   longest type chain found
 * @mem:         bytes allocated by the open, the copy of the blob included
 */
struct mdb_btf_stats {
	u32 nr_types, own_types, named, max_probe, max_chain;
	u64 mem;
};

int mdb_btf_open(struct mdb_btf **out, const void *data, size_t size,
		 const struct mdb_btf *base, unsigned int flags,
		 char *msg, size_t msglen);
void mdb_btf_close(struct mdb_btf *btf);
void mdb_btf_stats(const struct mdb_btf *btf, struct mdb_btf_stats *st);

/* ---- raw accessors: every id is checked, -EINVAL / "" / 0 on a bad one ---- */

u32 mdb_btf_nr_types(const struct mdb_btf *btf);
int mdb_btf_kind(const struct mdb_btf *btf, u32 id);		/* 0 (UNKN) for void */
const char *mdb_btf_name(const struct mdb_btf *btf, u32 id);	/* "" if anonymous */
u32 mdb_btf_vlen(const struct mdb_btf *btf, u32 id);
bool mdb_btf_kflag(const struct mdb_btf *btf, u32 id);
/* The size (INT, STRUCT, UNION, ENUM*, FLOAT, DATASEC) or type field of a type. */
u32 mdb_btf_ref(const struct mdb_btf *btf, u32 id);

struct mdb_btf_int {
	u8 encoding;		/* MDB_BTF_INT_* */
	u8 offset;		/* bit offset of the value (kflag=0 bitfields) */
	u8 bits;		/* bits of the value */
	u8 size;		/* bytes of storage */
};
int mdb_btf_int(const struct mdb_btf *btf, u32 id, struct mdb_btf_int *out);
int mdb_btf_array(const struct mdb_btf *btf, u32 id, u32 *elem, u32 *nelems);

/**
 * struct mdb_btf_member - one member of a struct or union, both bitfield
 * encodings decoded
 * @name:     "" for an anonymous member
 * @type:     the member's type id
 * @bit_off:  bit offset from the start of the struct that was asked about
 *            (through anonymous members, in mdb_btf_member_find())
 * @bits:     bitfield size; 0 when the member is not a bitfield
 */
struct mdb_btf_member {
	const char *name;
	u32 type;
	u32 bit_off;
	u32 bits;
};
int mdb_btf_member(const struct mdb_btf *btf, u32 id, u32 i, struct mdb_btf_member *out);
int mdb_btf_enum_val(const struct mdb_btf *btf, u32 id, u32 i, const char **name, s64 *val);
int mdb_btf_param(const struct mdb_btf *btf, u32 proto, u32 i, const char **name, u32 *type);

/* ---- lookups (NMI-safe) ---- */

/*
 * mdb_btf_find_type - a type by its C name: "struct file", "union foo",
 * "enum x", a typedef, a base type ("int", "unsigned long", "u8",
 * "_Bool"), "void", with "const"/"volatile" and any number of trailing
 * "*". Returns the id (0 for "void"), or -ENOENT/-EINVAL with a message.
 * When duplicates share a name, the one with a definition wins (see
 * docs/btf.md); in a split handle the split's own types are searched too.
 */
int mdb_btf_find_type(const struct mdb_btf *btf, const char *name, size_t len,
		      char *msg, size_t msglen);
/* Every type of that name and namespace, preferred first: ids[] up to max. */
int mdb_btf_find_all(const struct mdb_btf *btf, const char *name, size_t len,
		     u32 *ids, u32 max);
/* A FUNC by name. */
int mdb_btf_find_func(const struct mdb_btf *btf, const char *name, size_t len,
		      char *msg, size_t msglen);

/* Skip TYPEDEF, CONST, VOLATILE, RESTRICT, TYPE_TAG (bounded). */
u32 mdb_btf_strip(const struct mdb_btf *btf, u32 id);
/* Same, and a FWD becomes the definition of that name when there is one. */
u32 mdb_btf_resolve(const struct mdb_btf *btf, u32 id);
/* Bytes of a value of this type; -EINVAL for void, functions, FWDs. */
int mdb_btf_sizeof(const struct mdb_btf *btf, u32 id, u32 *size);

/*
 * The type as C text: "struct file *", "const char *", "char[16]",
 * "int (*)(struct file *, int)". Returns the length it wanted, like
 * snprintf; the text is always NUL-terminated when len > 0.
 */
int mdb_btf_type_str(const struct mdb_btf *btf, u32 id, char *buf, size_t len);

/*
 * mdb_btf_member_find - a member by name, looking through anonymous
 * struct/union members (MDB_BTF_ANON_DEPTH levels). @id may be a typedef
 * or a modifier of a struct or union. Returns 0, or -ENOENT with the
 * closest name in @hint (hint_len bytes, "" if none is close).
 */
int mdb_btf_member_find(const struct mdb_btf *btf, u32 id, const char *name, size_t len,
			struct mdb_btf_member *out, char *hint, size_t hint_len);

/* What the final value of a plan is, for the reader of the plan. */
enum mdb_btf_class {
	MDB_BTF_C_VOID,
	MDB_BTF_C_INT,
	MDB_BTF_C_BOOL,
	MDB_BTF_C_CHAR,		/* a 1-byte char-like INT */
	MDB_BTF_C_ENUM,
	MDB_BTF_C_PTR,
	MDB_BTF_C_FLOAT,
	MDB_BTF_C_CHAR_ARRAY,
	MDB_BTF_C_ARRAY,
	MDB_BTF_C_STRUCT,
	MDB_BTF_C_UNION,
	MDB_BTF_C_FUNC,		/* a function prototype: nothing to read */
	MDB_BTF_C_NR
};

/* The class of a value of this type (typedefs, modifiers, FWDs resolved). */
enum mdb_btf_class mdb_btf_class(const struct mdb_btf *btf, u32 id);

/**
 * struct mdb_btf_plan - how to fetch root->a.b[3].c at a hit
 *
 * Start with addr = the root's address (a pointer root: its value). For
 * each step: addr += off; if deref, addr = the 8-byte pointer read at addr.
 * The last step never dereferences: addr is then where the final value
 * lives. Read @size bytes there (for a struct, union or array: addr is the
 * answer), then, when @bits is non-zero, keep bits [@bit_off, @bit_off +
 * @bits) of the little-endian value and sign-extend when @is_signed.
 */
struct mdb_btf_plan {
	u8 nr_steps;
	u8 cls;			/* enum mdb_btf_class */
	u8 is_signed;
	u8 bit_off;
	u8 bits;
	u32 size;
	u32 type;		/* the final type, as written in BTF */
	struct {
		u32 off;
		u32 deref;
	} step[MDB_BTF_PLAN_STEPS];
};

/*
 * mdb_btf_plan_compile - turn "f_path.dentry.d_name.name" into a plan.
 * '.' and '->' are the same (either dereferences a pointer, like
 * bpftrace); "a[3]" indexes an array or a pointer. @root_name names the
 * root in messages ("count" for ctx.args.count; NULL: "root"). Returns 0
 * or -errno with a message such as "struct file has no field 'f_pth' (did
 * you mean 'f_path'?)" or "'count' is not a struct or union (it is size_t)".
 */
int mdb_btf_plan_compile(const struct mdb_btf *btf, u32 root, const char *root_name,
			 const char *path, size_t len, struct mdb_btf_plan *plan,
			 char *msg, size_t msglen);

/* ---- functions ---- */

struct mdb_btf_func {
	u32 func;		/* the FUNC */
	u32 proto;		/* its FUNC_PROTO */
	u32 ret;		/* return type, 0 = void */
	u16 nr_params;		/* without the "..." of a variadic function */
	bool variadic;
};
int mdb_btf_func(const struct mdb_btf *btf, u32 func, struct mdb_btf_func *out);
/* Index of a parameter by name, or -ENOENT: "vfs_read has no parameter 'cnt' (parameters: ...)". */
int mdb_btf_param_find(const struct mdb_btf *btf, u32 func, const char *name, size_t len,
		       char *msg, size_t msglen);

/* ---- the value formatter (process context: recursive, bounded) ---- */

#define MDB_BTF_FMT_SKIP_ZERO	1	/* leave out members whose bytes are all zero */
#define MDB_BTF_FMT_COMPACT	2	/* no space after ',' and around '=' */

/*
 * mdb_btf_snprint - "(struct T){.a = 1, .b = (struct U){...}, .c = "text"}"
 * from @data, a raw copy of @data_len bytes of an object of type @id.
 * Structs nested deeper than @depth (at most MDB_BTF_FMT_DEPTH_MAX) print
 * as {...}; members past @data_len print as <truncated>. Returns the
 * length it wanted, like snprintf; negative on a bad id.
 */
int mdb_btf_snprint(const struct mdb_btf *btf, u32 id, const void *data, size_t data_len,
		    unsigned int depth, unsigned int flags, char *buf, size_t len);

#endif /* _MDB_BTF_H */
