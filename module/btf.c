// SPDX-License-Identifier: GPL-2.0
/*
 * btf.c - open and check a raw BTF blob, build its name index, answer
 * lookups (find a type, strip, sizeof, members, access plans, functions)
 *
 * The blob is untrusted until mdb_btf_open() has checked all of it: the
 * header, both sections, every record, every type id and string offset a
 * record refers to, every chain of links (PTR, ARRAY, TYPEDEF and the
 * modifiers: at most MDB_BTF_DEPTH, so loops are refused), array sizes
 * (fit in 32 bits) and members (inside their struct). After that the
 * lookups rely on what was proven but still bound every loop and check
 * every id, so a bug elsewhere can give a wrong answer, never a read
 * outside the blob.
 *
 * Everything after mdb_btf_open() only reads: no allocation, no lock, no
 * recursion, small frames. That is what lets the hit path (NMI) use it.
 * Members, access plans and functions are in btf_plan.c, the C-text
 * renderer and the value formatter in btf_format.c.
 *
 * Records, as in include/uapi/linux/btf.h: a type is 3 words (name_off;
 * info = kflag:1 unused:2 kind:5 unused:8 vlen:16; size or type), then
 * what its kind adds: INT 1 word, ARRAY 3, STRUCT/UNION 3 per member,
 * ENUM 2 per value, ENUM64 3, FUNC_PROTO 2 per parameter, VAR 1,
 * DATASEC 3 per variable, DECL_TAG 1.
 */
#include "btf.h"

#define BTF_MAGIC	0xeB9F
#define BTF_HDR_LEN	24		/* the version-1 header we understand */
#define BTF_MAX_SIZE	(64U << 20)	/* vmlinux of 6.18: 5.5 MiB */
#define BTF_MAX_ID	0x000fffffU	/* the kernel's BTF_MAX_TYPE */

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
static const u32 *rec(const struct mdb_btf *btf, u32 id)
{
	int hops;

	for (hops = 0; btf && id < btf->start_id && hops < 2; hops++)
		btf = btf->base;
	if (!btf || id == 0 || id < btf->start_id || id >= btf->nr_types)
		return NULL;
	return (const u32 *)(btf->types + btf->off[id - btf->start_id]);
}

/* A string by offset; the open proved every offset in a record is valid. */
static const char *str(const struct mdb_btf *btf, u32 off)
{
	int hops;

	for (hops = 0; btf && off < btf->start_str && hops < 2; hops++)
		btf = btf->base;
	if (!btf || off < btf->start_str || off - btf->start_str >= btf->str_len)
		return "";
	return btf->strs + (off - btf->start_str);
}

static u32 kind_of(const struct mdb_btf *btf, u32 id)
{
	const u32 *r = rec(btf, id);

	return r ? r_kind(r) : MDB_BTF_UNKN;
}

/* Bytes of a record, 0 for an unknown kind. */
static u64 rec_len(const u32 *r)
{
	u64 v = r_vlen(r);

	switch (r_kind(r)) {
	case MDB_BTF_INT: case MDB_BTF_VAR: case MDB_BTF_DECL_TAG:
		return 16;
	case MDB_BTF_PTR: case MDB_BTF_FWD: case MDB_BTF_TYPEDEF:
	case MDB_BTF_VOLATILE: case MDB_BTF_CONST: case MDB_BTF_RESTRICT:
	case MDB_BTF_FUNC: case MDB_BTF_FLOAT: case MDB_BTF_TYPE_TAG:
		return 12;
	case MDB_BTF_ARRAY:
		return 24;
	case MDB_BTF_STRUCT: case MDB_BTF_UNION: case MDB_BTF_ENUM64: case MDB_BTF_DATASEC:
		return 12 + 12 * v;
	case MDB_BTF_ENUM: case MDB_BTF_FUNC_PROTO:
		return 12 + 8 * v;
	}
	return 0;
}

/* The one link a chain follows from this record, 0 when there is none. */
static u32 link_of(const u32 *r)
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

static bool is_modifier(u32 kind)
{
	return kind == MDB_BTF_TYPEDEF || kind == MDB_BTF_VOLATILE || kind == MDB_BTF_CONST ||
	       kind == MDB_BTF_RESTRICT || kind == MDB_BTF_TYPE_TAG;
}

static u32 ns_of(const u32 *r)
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
static int rank(const u32 *r)
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

static u32 mix(u32 h)
{
	h ^= h >> 16;
	h *= 0x7feb352dU;
	h ^= h >> 15;
	h *= 0x846ca68bU;
	h ^= h >> 16;
	return h;
}

static u32 name_hash(const char *s, size_t len, u32 ns)
{
	u32 h = 2166136261U ^ ns;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (u8)s[i];
		h *= 16777619U;
	}
	return mix(h);
}

/* ---- checking a blob ---- */

/* A type id a record refers to: in range, and something a value can have. */
static bool ref_ok(const struct mdb_btf *btf, u32 id, bool void_ok)
{
	u32 k;

	if (id >= btf->nr_types)
		return false;
	if (!id)
		return void_ok;
	k = kind_of(btf, id);
	return k != MDB_BTF_FUNC && k != MDB_BTF_VAR && k != MDB_BTF_DATASEC &&
	       k != MDB_BTF_DECL_TAG;
}

static bool stroff_ok(const struct mdb_btf *btf, u32 off)
{
	return off < btf->start_str + btf->str_len;
}

/*
 * Size of a value of type id, following typedefs, modifiers and arrays at
 * most MDB_BTF_DEPTH links. -EINVAL when it has none (void, function,
 * forward declaration), -E2BIG past 4 GiB. *links gets the links walked.
 */
static int size_of(const struct mdb_btf *btf, u32 id, u32 *size, u32 *links)
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

static const char * const kind_names[MDB_BTF_KIND_NR] = {
	"UNKN", "INT", "PTR", "ARRAY", "STRUCT", "UNION", "ENUM", "FWD", "TYPEDEF",
	"VOLATILE", "CONST", "RESTRICT", "FUNC", "FUNC_PROTO", "VAR", "DATASEC",
	"FLOAT", "DECL_TAG", "TYPE_TAG", "ENUM64",
};

/* Kind-specific checks that need only the record and id ranges. */
static int check_rec(const struct mdb_btf *btf, u32 id, const u32 *r, char *msg, size_t msglen)
{
	u32 kind = r_kind(r), vlen = r_vlen(r), i, v;
	const char *kn = kind_names[kind];
	const u32 *e = r + 3;

	if (!stroff_ok(btf, r[0]))
		goto bad_str;
	switch (kind) {
	case MDB_BTF_INT:
		v = r[3];
		if (r[2] != 1 && r[2] != 2 && r[2] != 4 && r[2] != 8 && r[2] != 16) {
			MSG("type [%u] INT: size %u is not 1, 2, 4, 8 or 16", id, r[2]);
			return -EINVAL;
		}
		/* one encoding at most; bits and offset inside the storage */
		if ((v >> 28) || ((v >> 8) & 0xff) ||
		    (((v >> 24) & 0xf) != 0 && ((v >> 24) & 0xf) != MDB_BTF_INT_SIGNED &&
		     ((v >> 24) & 0xf) != MDB_BTF_INT_CHAR && ((v >> 24) & 0xf) != MDB_BTF_INT_BOOL) ||
		    (v & 0xff) > 128 || ((v >> 16) & 0xff) + (v & 0xff) > r[2] * 8) {
			MSG("type [%u] INT: bad encoding word 0x%08x", id, v);
			return -EINVAL;
		}
		break;
	case MDB_BTF_ARRAY:
		if (!ref_ok(btf, e[0], false) || !ref_ok(btf, e[1], false) ||
		    kind_of(btf, e[0]) == MDB_BTF_FUNC_PROTO)
			goto bad_ref;
		break;
	case MDB_BTF_STRUCT:
	case MDB_BTF_UNION:
		for (i = 0; i < vlen; i++, e += 3) {
			if (!stroff_ok(btf, e[0]))
				goto bad_str;
			if (!ref_ok(btf, e[1], false) || kind_of(btf, e[1]) == MDB_BTF_FUNC_PROTO)
				goto bad_ref;
			if (r_kflag(r) && (e[2] >> 24) &&
			    (u64)(e[2] & 0xffffff) + (e[2] >> 24) > (u64)r[2] * 8) {
				MSG("type [%u] %s: bitfield member %u outside the struct", id, kn, i);
				return -EINVAL;
			}
		}
		break;
	case MDB_BTF_ENUM:
	case MDB_BTF_ENUM64:
		if (r[2] != 1 && r[2] != 2 && r[2] != 4 && r[2] != 8) {
			MSG("type [%u] %s: size %u is not 1, 2, 4 or 8", id, kn, r[2]);
			return -EINVAL;
		}
		for (i = 0; i < vlen; i++, e += kind == MDB_BTF_ENUM ? 2 : 3)
			if (!stroff_ok(btf, e[0]))
				goto bad_str;
		break;
	case MDB_BTF_FUNC_PROTO:
		if (!ref_ok(btf, r[2], true))
			goto bad_ref;
		for (i = 0; i < vlen; i++, e += 2) {
			if (!stroff_ok(btf, e[0]))
				goto bad_str;
			/* void only as the last one: the "..." of a variadic function */
			if (!ref_ok(btf, e[1], i == vlen - 1 && !e[0]))
				goto bad_ref;
		}
		break;
	case MDB_BTF_DATASEC:
		for (i = 0; i < vlen; i++, e += 3)
			if (e[0] >= btf->nr_types || !e[0] ||
			    (u64)e[1] + e[2] > r[2]) {
				MSG("type [%u] DATASEC: variable %u out of range", id, i);
				return -EINVAL;
			}
		break;
	case MDB_BTF_FLOAT:
		if (r[2] != 2 && r[2] != 4 && r[2] != 8 && r[2] != 12 && r[2] != 16) {
			MSG("type [%u] FLOAT: size %u is not 2, 4, 8, 12 or 16", id, r[2]);
			return -EINVAL;
		}
		break;
	case MDB_BTF_FUNC:
		if (vlen > 2 || kind_of(btf, r[2]) != MDB_BTF_FUNC_PROTO || r[2] >= btf->nr_types) {
			MSG("type [%u] FUNC: type [%u] is not a FUNC_PROTO", id, r[2]);
			return -EINVAL;
		}
		break;
	case MDB_BTF_VAR:
		if (!ref_ok(btf, r[2], false))
			goto bad_ref;
		break;
	case MDB_BTF_DECL_TAG:
		if (!r[2] || r[2] >= btf->nr_types)
			goto bad_ref;
		v = kind_of(btf, r[2]);
		if ((s32)r[3] < -1)
			goto bad_tag;
		if ((s32)r[3] >= 0) {
			const u32 *t = rec(btf, r[2]);

			/* a FUNC's parameters are its FUNC_PROTO's */
			if (v == MDB_BTF_FUNC)
				t = rec(btf, t[2]);
			if (!t || (r_kind(t) != MDB_BTF_STRUCT && r_kind(t) != MDB_BTF_UNION &&
				   r_kind(t) != MDB_BTF_FUNC_PROTO) || r[3] >= r_vlen(t))
				goto bad_tag;
		}
		break;
	case MDB_BTF_PTR: case MDB_BTF_TYPEDEF: case MDB_BTF_VOLATILE:
	case MDB_BTF_CONST: case MDB_BTF_RESTRICT: case MDB_BTF_TYPE_TAG:
		if (!ref_ok(btf, r[2], true))
			goto bad_ref;
		break;
	}
	/* These must have a name: the index and the messages rely on it. */
	switch (kind) {
	case MDB_BTF_INT: case MDB_BTF_FWD: case MDB_BTF_TYPEDEF: case MDB_BTF_FUNC:
	case MDB_BTF_VAR: case MDB_BTF_DECL_TAG: case MDB_BTF_TYPE_TAG:
		if (!*str(btf, r[0])) {
			MSG("type [%u] %s has no name", id, kn);
			return -EINVAL;
		}
	}
	return 0;
bad_str:
	MSG("type [%u] %s: string offset past the string section", id, kn);
	return -EINVAL;
bad_ref:
	MSG("type [%u] %s refers to a type id that is out of range or not a type", id, kn);
	return -EINVAL;
bad_tag:
	MSG("type [%u] DECL_TAG: component %d does not exist", id, (int)r[3]);
	return -EINVAL;
}

/* Checks that need every record checked first: chains, sizes, members. */
static int check_deep(struct mdb_btf *btf, u32 id, const u32 *r, char *msg, size_t msglen)
{
	u32 kind = r_kind(r), i, n, t = id, size, bits, off;
	const u32 *e = r + 3, *m;
	int ret;

	/* Every chain ends within MDB_BTF_DEPTH links: no loops. */
	for (n = 0; n <= MDB_BTF_DEPTH && (m = rec(btf, t)) && link_of(m); n++)
		t = link_of(m);
	if (n > MDB_BTF_DEPTH) {
		MSG("type [%u] %s: chain of types longer than %d links (a loop?)",
		    id, kind_names[kind], MDB_BTF_DEPTH);
		return -ELOOP;
	}
	if (n > btf->st.max_chain)
		btf->st.max_chain = n;
	if (kind == MDB_BTF_ARRAY && size_of(btf, id, &size, NULL) == -E2BIG) {
		MSG("type [%u] ARRAY: larger than 4 GiB", id);
		return -E2BIG;
	}
	if (kind != MDB_BTF_STRUCT && kind != MDB_BTF_UNION)
		return 0;
	for (i = 0; i < r_vlen(r); i++, e += 3) {
		struct mdb_btf_int it;

		off = r_kflag(r) ? e[2] & 0xffffff : e[2];
		bits = r_kflag(r) ? e[2] >> 24 : 0;
		if (bits)
			continue;		/* checked in check_rec() */
		t = mdb_btf_strip(btf, e[1]);
		if (!r_kflag(r) && mdb_btf_int(btf, t, &it) == 0 &&
		    (it.offset || it.bits != it.size * 8)) {
			if ((u64)off + it.offset + it.bits > (u64)r[2] * 8)
				goto outside;
			continue;
		}
		ret = size_of(btf, e[1], &size, NULL);
		if (ret == -EINVAL)
			continue;		/* a flexible or incomplete member */
		if (ret || (off & 7) || (u64)off / 8 + size > r[2])
			goto outside;
	}
	return 0;
outside:
	MSG("type [%u] %s: member %u is not byte-aligned or lies outside the %s",
	    id, kind_names[kind], i, kind == MDB_BTF_STRUCT ? "struct" : "union");
	return -EINVAL;
}

static u32 pow2_at_least(u64 n)
{
	u32 p = 16;

	while (p < n && p < 0x80000000U)
		p <<= 1;
	return p;
}

/* The terminal type of id's chain (through pointers, arrays, typedefs, modifiers). */
static u32 terminal(const struct mdb_btf *btf, u32 id)
{
	const u32 *r;
	int n;

	for (n = 0; n < MDB_BTF_DEPTH && (r = rec(btf, id)) && link_of(r); n++)
		id = link_of(r);
	return id;
}

/*
 * Uses of each of this blob's types by a member, parameter, return value
 * or variable, directly or through pointers, arrays and typedefs: how
 * duplicates of one name are told apart (see build_names()).
 */
static void count_uses(const struct mdb_btf *btf, u32 *uses)
{
	u32 id, i, t, k;
	const u32 *r;

	for (id = btf->start_id; id < btf->nr_types; id++) {
		r = rec(btf, id);
		k = r_kind(r);
		for (i = 0; i <= r_vlen(r); i++) {
			if (k == MDB_BTF_STRUCT || k == MDB_BTF_UNION)
				t = i < r_vlen(r) ? r[3 + 3 * i + 1] : 0;
			else if (k == MDB_BTF_FUNC_PROTO)
				t = i < r_vlen(r) ? r[3 + 2 * i + 1] : r[2];
			else if (k == MDB_BTF_VAR && !i)
				t = r[2];
			else
				break;
			t = terminal(btf, t);
			if (t >= btf->start_id && t < btf->nr_types)
				uses[t - btf->start_id]++;
		}
	}
}

/* Is a a better answer than b (both of one name, a later in the blob)? */
static bool better(const struct mdb_btf *btf, const u32 *uses, u32 a, u32 b)
{
	int ra = rank(rec(btf, a)), rb = rank(rec(btf, b));

	if (ra != rb)
		return ra > rb;
	return uses && uses[a - btf->start_id] > uses[b - btf->start_id];
}

/*
 * The name index: open addressing, one slot per (name, namespace) holding
 * the preferred type; the others of that name hang off it in dup[]. Real
 * kernels have a dozen struct names defined twice (struct console in
 * kernel/printk and a 4-member local one): the preferred is the one with
 * a definition (not a FWD, not empty), then the one most used by members,
 * parameters and variables, then the first.
 */
static int build_names(struct mdb_btf *btf)
{
	u32 id, count = 0, pos, probe, cur, own, *uses;
	const u32 *r, *c;
	const char *name;
	size_t len;

	for (id = btf->start_id; id < btf->nr_types; id++) {
		r = rec(btf, id);
		if (ns_of(r) && *str(btf, r[0]))
			count++;
	}
	btf->names_mask = pow2_at_least(3ULL * count) - 1;	/* load <= 1/3 */
	btf->names = MDB_BTF_ZALLOC((size_t)(btf->names_mask + 1) * sizeof(u32));
	uses = MDB_BTF_ZALLOC((size_t)(btf->nr_types - btf->start_id + 1) * sizeof(u32));
	if (!btf->names || !uses) {
		MDB_BTF_FREE(uses);
		return -ENOMEM;
	}
	count_uses(btf, uses);
	btf->st.mem += (u64)(btf->names_mask + 1) * sizeof(u32);
	btf->st.named = count;
	for (id = btf->start_id; id < btf->nr_types; id++) {
		r = rec(btf, id);
		name = str(btf, r[0]);
		if (!ns_of(r) || !*name)
			continue;
		len = strlen(name);
		pos = name_hash(name, len, ns_of(r)) & btf->names_mask;
		for (probe = 0; (cur = btf->names[pos]); probe++) {
			c = rec(btf, cur);
			if (ns_of(c) == ns_of(r) && mdb_btf_name_eq(str(btf, c[0]), name, len))
				break;
			pos = (pos + 1) & btf->names_mask;
		}
		if (probe > btf->names_probe)
			btf->names_probe = probe;
		own = id - btf->start_id;
		if (!cur) {
			btf->names[pos] = id;
		} else if (better(btf, uses, id, cur)) {
			/* a better one heads the list of duplicates */
			btf->dup[own] = cur;
			btf->names[pos] = id;
		} else {
			btf->dup[own] = btf->dup[cur - btf->start_id];
			btf->dup[cur - btf->start_id] = id;
		}
	}
	MDB_BTF_FREE(uses);
	return 0;
}

static u32 derived_hash(u32 kind, u32 target)
{
	return mix(target * 0x9e3779b1U ^ (kind << 27));
}

/* PTR, CONST and VOLATILE by target: how "T *" and "const T" are found. */
static int build_derived(struct mdb_btf *btf)
{
	u32 id, count = 0, pos, probe, cur;
	const u32 *r, *c;

	for (id = btf->start_id; id < btf->nr_types; id++) {
		u32 k = r_kind(rec(btf, id));

		count += k == MDB_BTF_PTR || k == MDB_BTF_CONST || k == MDB_BTF_VOLATILE;
	}
	btf->derived_mask = pow2_at_least(3ULL * count) - 1;
	btf->derived = MDB_BTF_ZALLOC((size_t)(btf->derived_mask + 1) * sizeof(u32));
	if (!btf->derived)
		return -ENOMEM;
	btf->st.mem += (u64)(btf->derived_mask + 1) * sizeof(u32);
	for (id = btf->start_id; id < btf->nr_types; id++) {
		r = rec(btf, id);
		if (r_kind(r) != MDB_BTF_PTR && r_kind(r) != MDB_BTF_CONST &&
		    r_kind(r) != MDB_BTF_VOLATILE)
			continue;
		pos = derived_hash(r_kind(r), r[2]) & btf->derived_mask;
		for (probe = 0; (cur = btf->derived[pos]); probe++) {
			c = rec(btf, cur);
			if (r_kind(c) == r_kind(r) && c[2] == r[2])
				break;		/* keep the first */
			pos = (pos + 1) & btf->derived_mask;
		}
		if (probe > btf->derived_probe)
			btf->derived_probe = probe;
		if (!cur)
			btf->derived[pos] = id;
	}
	return 0;
}

static int check_header(const u8 *p, size_t size, const struct mdb_btf *base,
			u32 h[6], char *msg, size_t msglen)
{
	u16 magic;
	u64 ts, te, ss, se;

	if (size < BTF_HDR_LEN) {
		MSG("BTF: %zu bytes, shorter than its header", size);
		return -EINVAL;
	}
	memcpy(&magic, p, 2);
	if (magic != BTF_MAGIC) {
		if (magic == 0x9FeB)
			MSG("BTF: of the other byte order");
		else
			MSG("BTF: bad magic 0x%04x", magic);
		return -EINVAL;
	}
	if (p[2] != 1 || p[3]) {
		MSG("BTF: version %u flags %u, only version 1 flags 0 is known", p[2], p[3]);
		return -EINVAL;
	}
	memcpy(h, p + 4, 5 * sizeof(u32));	/* hdr_len, type off/len, str off/len */
	if (h[0] < BTF_HDR_LEN || h[0] > size) {
		MSG("BTF: header length %u out of range", h[0]);
		return -EINVAL;
	}
	/* A longer header (a newer kernel) is honoured: sections follow it. */
	ts = (u64)h[0] + h[1];
	te = ts + h[2];
	ss = (u64)h[0] + h[3];
	se = ss + h[4];
	if (te > size || se > size) {
		MSG("BTF: %s section ends past the blob (%llu > %zu)",
		    te > size ? "type" : "string",
		    (unsigned long long)(te > size ? te : se), size);
		return -EINVAL;
	}
	if ((ts & 3) || (h[2] & 3)) {
		MSG("BTF: type section not 4-byte aligned");
		return -EINVAL;
	}
	if (h[2] && h[4] && ts < se && ss < te) {
		MSG("BTF: type and string sections overlap");
		return -EINVAL;
	}
	if (!base && (!h[4] || p[ss])) {
		MSG("BTF: string section must start with an empty string");
		return -EINVAL;
	}
	if (h[4] && p[se - 1]) {
		MSG("BTF: string section does not end with a NUL");
		return -EINVAL;
	}
	if (base && (u64)base->start_str + base->str_len + h[4] > BTF_MAX_SIZE) {
		MSG("BTF: string sections too large");
		return -E2BIG;
	}
	return 0;
}

/**
 * mdb_btf_open - check a raw BTF blob and index it (process context)
 * @out:   the new handle, NULL on failure
 * @data:  the blob; copied unless @flags has MDB_BTF_BORROW
 * @size:  its length in bytes
 * @base:  NULL for vmlinux; vmlinux's handle for a module's split BTF
 * @flags: MDB_BTF_BORROW or 0
 * @msg:   why the blob was refused (may be NULL)
 * @msglen: its size
 *
 * Return: 0, -EINVAL (the message says what is wrong), -ELOOP, -E2BIG,
 * -ENOMEM.
 */
int mdb_btf_open(struct mdb_btf **out, const void *data, size_t size,
		 const struct mdb_btf *base, unsigned int flags,
		 char *msg, size_t msglen)
{
	struct mdb_btf *btf;
	const u8 *p = data;
	u32 h[6], id, pos, n;
	const u32 *r;
	u64 len;
	int ret;

	if (msg && msglen)
		msg[0] = '\0';

	*out = NULL;
	if (base && base->base) {
		MSG("BTF: a split BTF goes on top of a base, not of another split");
		return -EINVAL;
	}
	if (!data || size > BTF_MAX_SIZE) {
		MSG("BTF: no blob, or larger than %u bytes", BTF_MAX_SIZE);
		return -E2BIG;
	}
	ret = check_header(p, size, base, h, msg, msglen);
	if (ret)
		return ret;
	btf = MDB_BTF_ZALLOC(sizeof(*btf));
	if (!btf)
		goto nomem;
	btf->st.mem = sizeof(*btf);
	/* Records are read as u32: a borrowed blob must be aligned. */
	if (!(flags & MDB_BTF_BORROW) || ((uintptr_t)data & 3)) {
		btf->copy = MDB_BTF_ZALLOC(size);
		if (!btf->copy)
			goto nomem_free;
		memcpy(btf->copy, data, size);
		p = btf->copy;
		btf->st.mem += size;
	}
	btf->base = base;
	btf->types = p + h[0] + h[1];
	btf->types_len = h[2];
	btf->strs = (const char *)p + h[0] + h[3];
	btf->str_len = h[4];
	btf->start_id = base ? base->nr_types : 1;
	btf->start_str = base ? base->start_str + base->str_len : 0;

	/* Walk once to count and size the records... */
	for (pos = 0, n = 0; pos < btf->types_len; pos += len, n++) {
		r = (const u32 *)(btf->types + pos);
		if (btf->types_len - pos < 12) {
			MSG("BTF: truncated type record at byte %u", pos);
			goto inval;
		}
		len = rec_len(r);
		if (!len) {
			MSG("BTF: type [%u] has unknown kind %u", btf->start_id + n, r_kind(r));
			goto inval;
		}
		if (len > btf->types_len - pos) {
			MSG("BTF: type [%u] %s with vlen %u runs past the type section",
			    btf->start_id + n, kind_names[r_kind(r)], r_vlen(r));
			goto inval;
		}
		if ((u64)btf->start_id + n >= BTF_MAX_ID) {
			MSG("BTF: more than %u types", BTF_MAX_ID);
			ret = -E2BIG;
			goto fail;
		}
	}
	btf->nr_types = btf->start_id + n;
	btf->st.own_types = n;
	btf->st.nr_types = btf->nr_types;
	btf->off = MDB_BTF_ZALLOC((size_t)(n + 1) * sizeof(u32));
	btf->dup = MDB_BTF_ZALLOC((size_t)(n + 1) * sizeof(u32));
	if (!btf->off || !btf->dup)
		goto nomem_free;
	btf->st.mem += 2ULL * (n + 1) * sizeof(u32);
	/* ...then again to record where each one starts. */
	for (pos = 0, n = 0; pos < btf->types_len; pos += rec_len(r), n++) {
		r = (const u32 *)(btf->types + pos);
		btf->off[n] = pos;
	}
	for (id = btf->start_id; id < btf->nr_types; id++) {
		ret = check_rec(btf, id, rec(btf, id), msg, msglen);
		if (ret)
			goto fail;
	}
	for (id = btf->start_id; id < btf->nr_types; id++) {
		ret = check_deep(btf, id, rec(btf, id), msg, msglen);
		if (ret)
			goto fail;
	}
	ret = build_names(btf);
	if (!ret)
		ret = build_derived(btf);
	if (ret)
		goto nomem_free;
	btf->st.max_probe = btf->names_probe > btf->derived_probe ?
			    btf->names_probe : btf->derived_probe;
	*out = btf;
	return 0;

nomem_free:
	mdb_btf_close(btf);
nomem:
	MSG("BTF: out of memory");
	return -ENOMEM;
inval:
	ret = -EINVAL;
fail:
	mdb_btf_close(btf);
	return ret;
}

void mdb_btf_close(struct mdb_btf *btf)
{
	if (!btf)
		return;
	MDB_BTF_FREE(btf->derived);
	MDB_BTF_FREE(btf->names);
	MDB_BTF_FREE(btf->dup);
	MDB_BTF_FREE(btf->off);
	MDB_BTF_FREE(btf->copy);
	MDB_BTF_FREE(btf);
}

void mdb_btf_stats(const struct mdb_btf *btf, struct mdb_btf_stats *st)
{
	*st = btf->st;
}

/* ---- raw accessors ---- */

u32 mdb_btf_nr_types(const struct mdb_btf *btf)
{
	return btf->nr_types;
}

int mdb_btf_kind(const struct mdb_btf *btf, u32 id)
{
	const u32 *r = rec(btf, id);

	if (!r)
		return id ? -EINVAL : MDB_BTF_UNKN;
	return r_kind(r);
}

const char *mdb_btf_name(const struct mdb_btf *btf, u32 id)
{
	const u32 *r = rec(btf, id);

	return r ? str(btf, r[0]) : "";
}

u32 mdb_btf_vlen(const struct mdb_btf *btf, u32 id)
{
	const u32 *r = rec(btf, id);

	return r ? r_vlen(r) : 0;
}

bool mdb_btf_kflag(const struct mdb_btf *btf, u32 id)
{
	const u32 *r = rec(btf, id);

	return r && r_kflag(r);
}

u32 mdb_btf_ref(const struct mdb_btf *btf, u32 id)
{
	const u32 *r = rec(btf, id);

	return r ? r[2] : 0;
}

int mdb_btf_int(const struct mdb_btf *btf, u32 id, struct mdb_btf_int *out)
{
	const u32 *r = rec(btf, id);

	if (!r || r_kind(r) != MDB_BTF_INT)
		return -EINVAL;
	out->encoding = (r[3] >> 24) & 0xf;
	out->offset = (r[3] >> 16) & 0xff;
	out->bits = r[3] & 0xff;
	out->size = r[2];
	return 0;
}

int mdb_btf_array(const struct mdb_btf *btf, u32 id, u32 *elem, u32 *nelems)
{
	const u32 *r = rec(btf, id);

	if (!r || r_kind(r) != MDB_BTF_ARRAY)
		return -EINVAL;
	*elem = r[3];
	*nelems = r[5];
	return 0;
}

/*
 * Member i, both bitfield encodings decoded: kflag=1 keeps the size in the
 * top 8 bits of the offset; kflag=0 says it with an INT whose bits or
 * offset differ from its storage, so the INT's offset is added here.
 */
int mdb_btf_member(const struct mdb_btf *btf, u32 id, u32 i, struct mdb_btf_member *out)
{
	const u32 *r = rec(btf, id), *e;
	struct mdb_btf_int it;

	if (!r || (r_kind(r) != MDB_BTF_STRUCT && r_kind(r) != MDB_BTF_UNION) ||
	    i >= r_vlen(r))
		return -EINVAL;
	e = r + 3 + 3 * i;
	out->name = str(btf, e[0]);
	out->type = e[1];
	if (r_kflag(r)) {
		out->bit_off = e[2] & 0xffffff;
		out->bits = e[2] >> 24;
		return 0;
	}
	out->bit_off = e[2];
	out->bits = 0;
	if (!mdb_btf_int(btf, mdb_btf_strip(btf, e[1]), &it) &&
	    (it.offset || it.bits != it.size * 8)) {
		out->bit_off += it.offset;
		out->bits = it.bits;
	}
	return 0;
}

int mdb_btf_enum_val(const struct mdb_btf *btf, u32 id, u32 i, const char **name, s64 *val)
{
	const u32 *r = rec(btf, id), *e;

	if (!r || i >= r_vlen(r))
		return -EINVAL;
	if (r_kind(r) == MDB_BTF_ENUM) {
		e = r + 3 + 2 * i;
		*val = r_kflag(r) ? (s64)(s32)e[1] : (s64)e[1];
	} else if (r_kind(r) == MDB_BTF_ENUM64) {
		e = r + 3 + 3 * i;
		*val = (s64)((u64)e[2] << 32 | e[1]);
	} else {
		return -EINVAL;
	}
	*name = str(btf, e[0]);
	return 0;
}

int mdb_btf_param(const struct mdb_btf *btf, u32 proto, u32 i, const char **name, u32 *type)
{
	const u32 *r = rec(btf, proto), *e;

	if (!r || r_kind(r) != MDB_BTF_FUNC_PROTO || i >= r_vlen(r))
		return -EINVAL;
	e = r + 3 + 2 * i;
	*name = str(btf, e[0]);
	*type = e[1];
	return 0;
}

/* ---- lookups ---- */

/* This blob's head of (name, ns), bounded by the longest probe at build. */
static u32 names_find(const struct mdb_btf *btf, const char *name, size_t len, u32 ns)
{
	u32 pos, probe, id;
	const u32 *r;

	if (!btf->names)
		return 0;
	pos = name_hash(name, len, ns) & btf->names_mask;
	for (probe = 0; probe <= btf->names_probe; probe++) {
		id = btf->names[pos];
		r = rec(btf, id);
		if (!r)
			return 0;
		if (ns_of(r) == ns && mdb_btf_name_eq(str(btf, r[0]), name, len))
			return id;
		pos = (pos + 1) & btf->names_mask;
	}
	return 0;
}

/* Best of the split and its base: higher rank, the split on a tie. */
static u32 lookup(const struct mdb_btf *btf, const char *name, size_t len, u32 ns)
{
	const struct mdb_btf *h;
	u32 best = 0, id;
	int hops;

	for (h = btf, hops = 0; h && hops < 2; h = h->base, hops++) {
		id = names_find(h, name, len, ns);
		if (id && (!best || rank(rec(btf, id)) > rank(rec(btf, best))))
			best = id;
	}
	return best;
}

static u32 derived_find(const struct mdb_btf *btf, u32 kind, u32 target)
{
	u32 pos, probe, id;
	const u32 *r;
	int hops;

	for (hops = 0; btf && hops < 2; btf = btf->base, hops++) {
		if (!btf->derived)
			continue;
		pos = derived_hash(kind, target) & btf->derived_mask;
		for (probe = 0; probe <= btf->derived_probe; probe++) {
			id = btf->derived[pos];
			r = rec(btf, id);
			if (!r)
				break;
			if (r_kind(r) == kind && r[2] == target)
				return id;
			pos = (pos + 1) & btf->derived_mask;
		}
	}
	return 0;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

static bool word_is(const char *w, size_t n, const char *s)
{
	return strlen(s) == n && !memcmp(w, s, n);
}

/*
 * Base types spelled the way the compiler wrote them into BTF: gcc
 * ("long unsigned int") first, then clang ("unsigned long").
 */
static const char * const int_names[4][2][2] = {
	{ { "short int", "short" }, { "short unsigned int", "unsigned short" } },
	{ { "int", "int" }, { "unsigned int", "unsigned int" } },
	{ { "long int", "long" }, { "long unsigned int", "unsigned long" } },
	{ { "long long int", "long long" }, { "long long unsigned int", "unsigned long long" } },
};

/* A C base type from its words, in any order ("unsigned long", "long unsigned"). */
static u32 find_base_int(const struct mdb_btf *btf, const char *s, size_t len)
{
	unsigned int sgn = 0, nshort = 0, nlong = 0, nint = 0, nchar = 0, i;
	size_t p = 0, w;
	const char *nm;
	u32 id;

	while (p < len) {
		while (p < len && is_space(s[p]))
			p++;
		for (w = p; w < len && !is_space(s[w]); w++)
			;
		if (w == p)
			break;
		if (word_is(s + p, w - p, "signed"))
			sgn |= 1;
		else if (word_is(s + p, w - p, "unsigned"))
			sgn |= 2;
		else if (word_is(s + p, w - p, "short"))
			nshort++;
		else if (word_is(s + p, w - p, "long"))
			nlong++;
		else if (word_is(s + p, w - p, "int"))
			nint++;
		else if (word_is(s + p, w - p, "char"))
			nchar++;
		else
			return 0;
		p = w;
	}
	if (sgn == 3 || nint > 1 || nchar > 1 || nlong > 2 || nshort > 1 ||
	    (nshort && nlong) || (nchar && (nint || nshort || nlong)))
		return 0;
	if (nchar) {
		nm = sgn == 1 ? "signed char" : sgn == 2 ? "unsigned char" : "char";
		return lookup(btf, nm, strlen(nm), NS_TYPE);
	}
	i = nshort ? 0 : nlong == 0 ? 1 : nlong == 1 ? 2 : 3;
	nm = int_names[i][sgn == 2][0];
	id = lookup(btf, nm, strlen(nm), NS_TYPE);
	if (!id) {
		nm = int_names[i][sgn == 2][1];
		id = lookup(btf, nm, strlen(nm), NS_TYPE);
	}
	return id;
}

/* Trim blanks at both ends. */
static void trim(const char **s, size_t *len)
{
	while (*len && is_space(**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len && is_space((*s)[*len - 1]))
		(*len)--;
}

/* Take a leading or trailing "const"/"volatile" word off; bit 1 const, bit 2 volatile. */
static unsigned int take_quals(const char **s, size_t *len)
{
	unsigned int q = 0;

	for (;;) {
		trim(s, len);
		if (*len > 6 && !memcmp(*s, "const", 5) && is_space((*s)[5])) {
			*s += 6;
			*len -= 6;
			q |= 1;
		} else if (*len > 9 && !memcmp(*s, "volatile", 8) && is_space((*s)[8])) {
			*s += 9;
			*len -= 9;
			q |= 2;
		} else if (*len > 6 && !memcmp(*s + *len - 5, "const", 5) &&
			   is_space((*s)[*len - 6])) {
			*len -= 6;
			q |= 1;
		} else if (*len > 9 && !memcmp(*s + *len - 8, "volatile", 8) &&
			   is_space((*s)[*len - 9])) {
			*len -= 9;
			q |= 2;
		} else {
			break;
		}
	}
	return q;
}

int mdb_btf_find_type(const struct mdb_btf *btf, const char *name, size_t len,
		      char *msg, size_t msglen)
{
	const char *s = name;
	unsigned int nptr = 0, quals;
	size_t n = len, w;
	u32 id = 0, q, ns;

	if (msg && msglen)
		msg[0] = '\0';

	trim(&s, &n);
	if (!n || n > MDB_BTF_NAME_MAX) {
		MSG("no type '%.*s'", (int)(len > 64 ? 64 : len), name);
		return -EINVAL;
	}
	while (n && s[n - 1] == '*') {
		nptr++;
		n--;
		trim(&s, &n);
	}
	quals = take_quals(&s, &n);
	for (w = 0; w < n && !is_space(s[w]); w++)
		;
	if (w < n && (word_is(s, w, "struct") || word_is(s, w, "union") || word_is(s, w, "enum"))) {
		ns = s[0] == 's' ? NS_STRUCT : s[0] == 'u' ? NS_UNION : NS_ENUM;
		s += w;
		n -= w;
		trim(&s, &n);
		for (w = 0; w < n && !is_space(s[w]); w++)
			;
		if (w != n || !n)
			goto none;
		id = lookup(btf, s, n, ns);
	} else if (word_is(s, n, "void")) {
		id = 0;
		goto found;
	} else {
		id = lookup(btf, s, n, NS_TYPE);
		if (!id)
			id = find_base_int(btf, s, n);
	}
	if (!id)
		goto none;
found:
	/* "const volatile T" may be either order in BTF. */
	for (q = 1; q <= 2; q++) {
		if (!(quals & q))
			continue;
		if (quals == 3 && q == 1) {
			u32 cv = derived_find(btf, MDB_BTF_VOLATILE, derived_find(btf, MDB_BTF_CONST, id));
			u32 vc = derived_find(btf, MDB_BTF_CONST, derived_find(btf, MDB_BTF_VOLATILE, id));

			id = cv ? cv : vc;
			if (!id)
				goto no_derived;
			break;
		}
		id = derived_find(btf, q == 1 ? MDB_BTF_CONST : MDB_BTF_VOLATILE, id);
		if (!id)
			goto no_derived;
	}
	while (nptr--) {
		id = derived_find(btf, MDB_BTF_PTR, id);
		if (!id)
			goto no_derived;
	}
	return id;
none:
	MSG("no type '%.*s'", (int)len, name);
	return -ENOENT;
no_derived:
	MSG("no type '%.*s' in BTF (the base type exists, nothing in the kernel uses this form)",
	    (int)len, name);
	return -ENOENT;
}

int mdb_btf_find_all(const struct mdb_btf *btf, const char *name, size_t len,
		     u32 *ids, u32 max)
{
	const char *s = name;
	size_t n = len, w;
	u32 ns = NS_TYPE, cnt = 0, id, best = 0, i, t;
	const struct mdb_btf *h;
	int hops;

	trim(&s, &n);
	for (w = 0; w < n && !is_space(s[w]); w++)
		;
	if (w < n && (word_is(s, w, "struct") || word_is(s, w, "union") || word_is(s, w, "enum"))) {
		ns = s[0] == 's' ? NS_STRUCT : s[0] == 'u' ? NS_UNION : NS_ENUM;
		s += w;
		n -= w;
		trim(&s, &n);
	}
	for (h = btf, hops = 0; h && hops < 2; h = h->base, hops++) {
		/* a dup chain holds at most the blob's own types */
		for (id = names_find(h, s, n, ns), i = 0; id && i < h->st.own_types && cnt < max;
		     id = h->dup[id - h->start_id], i++) {
			ids[cnt] = id;
			if (!best || rank(rec(btf, id)) > rank(rec(btf, ids[best - 1])))
				best = cnt + 1;
			cnt++;
		}
	}
	if (best > 1) {
		t = ids[0];
		ids[0] = ids[best - 1];
		ids[best - 1] = t;
	}
	return cnt;
}

int mdb_btf_find_func(const struct mdb_btf *btf, const char *name, size_t len,
		      char *msg, size_t msglen)
{
	u32 id = len <= MDB_BTF_NAME_MAX ? lookup(btf, name, len, NS_FUNC) : 0;

	if (msg && msglen)
		msg[0] = '\0';

	if (!id) {
		MSG("no function '%.*s' in BTF", (int)(len > 64 ? 64 : len), name);
		return -ENOENT;
	}
	return id;
}

u32 mdb_btf_strip(const struct mdb_btf *btf, u32 id)
{
	const u32 *r;
	int n;

	for (n = 0; n < MDB_BTF_DEPTH && (r = rec(btf, id)) && is_modifier(r_kind(r)); n++)
		id = r[2];
	return id;
}

u32 mdb_btf_resolve(const struct mdb_btf *btf, u32 id)
{
	const u32 *r;
	u32 def;

	id = mdb_btf_strip(btf, id);
	r = rec(btf, id);
	if (!r || rank(r) != 0)
		return id;
	def = lookup(btf, str(btf, r[0]), strlen(str(btf, r[0])), ns_of(r));
	return def && rank(rec(btf, def)) ? def : id;
}

int mdb_btf_sizeof(const struct mdb_btf *btf, u32 id, u32 *size)
{
	int ret = size_of(btf, mdb_btf_resolve(btf, id), size, NULL);

	return ret == -EINVAL ? size_of(btf, id, size, NULL) : ret;
}
