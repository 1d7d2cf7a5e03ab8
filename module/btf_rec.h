/* SPDX-License-Identifier: GPL-2.0 */
/*
 * btf_rec.h - inside mdb's BTF reader: struct mdb_btf and the raw records
 *
 * Private to btf.c (open and check), btf_index.c (the name index) and
 * btf_access.c (the accessors); everything else sees btf.h only. The
 * helpers are static inline so that each file's lookups keep them inlined
 * on the hit path, as they were when all of this was one file.
 *
 * Context: any, NMI included: they only read the immutable blob and index.
 *
 * Records, as in include/uapi/linux/btf.h: a type is 3 words (name_off;
 * info = kflag:1 unused:2 kind:5 unused:8 vlen:16; size or type), then
 * what its kind adds: INT 1 word, ARRAY 3, STRUCT/UNION 3 per member,
 * ENUM 2 per value, ENUM64 3, FUNC_PROTO 2 per parameter, VAR 1,
 * DATASEC 3 per variable, DECL_TAG 1.
 */
#ifndef _MDB_BTF_REC_H
#define _MDB_BTF_REC_H

#include "btf.h"

#define MSG(...)	do { if (msg && msglen) snprintf(msg, msglen, __VA_ARGS__); } while (0)

/* Name spaces of the index: C's tag spaces, ordinary names, functions, vars. */
enum { NS_NONE, NS_STRUCT, NS_UNION, NS_ENUM, NS_TYPE, NS_FUNC, NS_VAR };

struct mdb_btf {
	const struct mdb_btf *base;	/* NULL for vmlinux */
	void *copy;			/* our copy of the blob, or NULL if borrowed */
	const u8 *types;
	const char *strs;
	u32 types_len, str_len;
	u32 start_id;			/* first id of this blob: 1, or base->nr_types */
	u32 nr_types;			/* one past the last id */
	u32 start_str;			/* string offset of strs[0]: 0, or base's end */
	u32 *off;			/* off[id - start_id]: record offset in types */
	u32 *dup;			/* dup[id - start_id]: next id of the same name */
	u32 *names, names_mask, names_probe;	/* name index: ids, 0 = empty */
	u32 *derived, derived_mask, derived_probe;	/* (kind, target) -> id */
	struct mdb_btf_stats st;
};

/* ---- records ---- */

static inline u32 r_kind(const u32 *r) { return (r[1] >> 24) & 0x1f; }
static inline u32 r_vlen(const u32 *r) { return r[1] & 0xffff; }
static inline bool r_kflag(const u32 *r) { return r[1] >> 31; }

/* The record of an id, routed to the blob that holds it; NULL for void and bad ids. */
static inline const u32 *rec(const struct mdb_btf *btf, u32 id)
{
	int hops;

	for (hops = 0; btf && id < btf->start_id && hops < 2; hops++)
		btf = btf->base;
	if (!btf || id == 0 || id < btf->start_id || id >= btf->nr_types)
		return NULL;
	return (const u32 *)(btf->types + btf->off[id - btf->start_id]);
}

/* A string by offset; the open proved every offset in a record is valid. */
static inline const char *str(const struct mdb_btf *btf, u32 off)
{
	int hops;

	for (hops = 0; btf && off < btf->start_str && hops < 2; hops++)
		btf = btf->base;
	if (!btf || off < btf->start_str || off - btf->start_str >= btf->str_len)
		return "";
	return btf->strs + (off - btf->start_str);
}

static inline u32 kind_of(const struct mdb_btf *btf, u32 id)
{
	const u32 *r = rec(btf, id);

	return r ? r_kind(r) : MDB_BTF_UNKN;
}

/* The one link a chain follows from this record, 0 when there is none. */
static inline u32 link_of(const u32 *r)
{
	switch (r_kind(r)) {
	case MDB_BTF_PTR: case MDB_BTF_TYPEDEF: case MDB_BTF_VOLATILE:
	case MDB_BTF_CONST: case MDB_BTF_RESTRICT: case MDB_BTF_TYPE_TAG:
		return r[2];
	case MDB_BTF_ARRAY:
		return r[3];
	}
	return 0;
}

static inline bool is_modifier(u32 kind)
{
	return kind == MDB_BTF_TYPEDEF || kind == MDB_BTF_VOLATILE || kind == MDB_BTF_CONST ||
	       kind == MDB_BTF_RESTRICT || kind == MDB_BTF_TYPE_TAG;
}

static inline u32 ns_of(const u32 *r)
{
	switch (r_kind(r)) {
	case MDB_BTF_STRUCT:	return NS_STRUCT;
	case MDB_BTF_UNION:	return NS_UNION;
	case MDB_BTF_FWD:	return r_kflag(r) ? NS_UNION : NS_STRUCT;
	case MDB_BTF_ENUM: case MDB_BTF_ENUM64:	return NS_ENUM;
	case MDB_BTF_TYPEDEF: case MDB_BTF_INT: case MDB_BTF_FLOAT:	return NS_TYPE;
	case MDB_BTF_FUNC:	return NS_FUNC;
	case MDB_BTF_VAR:	return NS_VAR;
	}
	return NS_NONE;
}

/*
 * Which of several types of one name a lookup returns: a definition beats
 * an empty one (struct foo {}), which beats a forward declaration. Among
 * equals in one blob, build_names() decides; between a split and its base,
 * the split's own.
 */
static inline int rank(const u32 *r)
{
	switch (r_kind(r)) {
	case MDB_BTF_FWD:
		return 0;
	case MDB_BTF_STRUCT: case MDB_BTF_UNION:
		return r_vlen(r) ? 3 : r[2] ? 2 : 1;
	case MDB_BTF_ENUM: case MDB_BTF_ENUM64:
		return r_vlen(r) ? 3 : 0;
	}
	return 3;
}

/*
 * Size of a value of type id, following typedefs, modifiers and arrays at
 * most MDB_BTF_DEPTH links. -EINVAL when it has none (void, function,
 * forward declaration), -E2BIG past 4 GiB. *links gets the links walked.
 */
static inline int size_of(const struct mdb_btf *btf, u32 id, u32 *size, u32 *links)
{
	u64 mult = 1;
	const u32 *r;
	u32 n;

	for (n = 0; n <= MDB_BTF_DEPTH; n++) {
		r = rec(btf, id);
		if (links)
			*links = n;
		if (!r)
			return -EINVAL;
		switch (r_kind(r)) {
		case MDB_BTF_INT: case MDB_BTF_ENUM: case MDB_BTF_ENUM64:
		case MDB_BTF_STRUCT: case MDB_BTF_UNION: case MDB_BTF_FLOAT:
		case MDB_BTF_DATASEC:
			mult *= r[2];
			goto done;
		case MDB_BTF_PTR:
			mult *= 8;
			goto done;
		case MDB_BTF_ARRAY:
			mult *= r[5];
			if (mult > 0x100000000ULL)
				mult = 0x100000000ULL;	/* stays > U32_MAX unless a 0 comes */
			id = r[3];
			break;
		default:
			if (!is_modifier(r_kind(r)))
				return -EINVAL;
			id = r[2];
		}
	}
	return -ELOOP;
done:
	if (mult > 0xffffffffULL)
		return -E2BIG;
	*size = (u32)mult;
	return 0;
}

/* btf_index.c: build the index at open (process context)... */
int mdb_btf_index_build(struct mdb_btf *btf);
/* ...and find a type by (name, name space): any context, NMI included. */
u32 mdb_btf_lookup(const struct mdb_btf *btf, const char *name, size_t len, u32 ns);

#endif /* _MDB_BTF_REC_H */
