// SPDX-License-Identifier: GPL-2.0
/*
 * btf_access.c - what one BTF type is: the raw accessors (kind, name,
 * members, enum values, parameters), the chains (strip, resolve, sizeof)
 * and the class of a value (mdb_btf_class())
 *
 * Context: any, NMI included (the hit path's plans and typed values):
 * every function only reads the immutable blob, checks every id (-EINVAL,
 * "" or 0 on a bad one), never allocates, never recurses, and walks at
 * most MDB_BTF_DEPTH links. The layer under btf_plan.c and btf_format.c,
 * which both classify values; mdb_btf_resolve() calls down into
 * btf_index.c for the definition of a forward declaration.
 */
#include "btf_rec.h"

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

/* ---- chains ---- */

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
	def = mdb_btf_lookup(btf, str(btf, r[0]), strlen(str(btf, r[0])), ns_of(r));
	return def && rank(rec(btf, def)) ? def : id;
}

int mdb_btf_sizeof(const struct mdb_btf *btf, u32 id, u32 *size)
{
	int ret = size_of(btf, mdb_btf_resolve(btf, id), size, NULL);

	return ret == -EINVAL ? size_of(btf, id, size, NULL) : ret;
}

/* ---- the class of a value ---- */

/* A 1-byte integer that C calls a char (typedefs such as u8 are not). */
static bool is_char(const struct mdb_btf *btf, u32 id)
{
	struct mdb_btf_int it;
	int n, k;

	for (n = 0; n < MDB_BTF_DEPTH; n++) {
		k = kind_of(btf, id);
		if (k != MDB_BTF_CONST && k != MDB_BTF_VOLATILE && k != MDB_BTF_RESTRICT &&
		    k != MDB_BTF_TYPE_TAG)
			break;
		id = mdb_btf_ref(btf, id);
	}
	return !mdb_btf_int(btf, id, &it) && it.size == 1 &&
	       ((it.encoding & MDB_BTF_INT_CHAR) || strstr(mdb_btf_name(btf, id), "char"));
}

enum mdb_btf_class mdb_btf_class(const struct mdb_btf *btf, u32 id)
{
	u32 t = mdb_btf_resolve(btf, id), elem = 0, n;
	struct mdb_btf_int it;

	switch (kind_of(btf, t)) {
	case MDB_BTF_UNKN:
		return MDB_BTF_C_VOID;
	case MDB_BTF_INT:
		mdb_btf_int(btf, t, &it);
		if (it.encoding & MDB_BTF_INT_BOOL)
			return MDB_BTF_C_BOOL;
		return is_char(btf, id) ? MDB_BTF_C_CHAR : MDB_BTF_C_INT;
	case MDB_BTF_ENUM: case MDB_BTF_ENUM64:	return MDB_BTF_C_ENUM;
	case MDB_BTF_PTR:	return MDB_BTF_C_PTR;
	case MDB_BTF_FLOAT:	return MDB_BTF_C_FLOAT;
	case MDB_BTF_ARRAY:
		mdb_btf_array(btf, t, &elem, &n);
		return is_char(btf, elem) ? MDB_BTF_C_CHAR_ARRAY : MDB_BTF_C_ARRAY;
	case MDB_BTF_STRUCT:	return MDB_BTF_C_STRUCT;
	case MDB_BTF_UNION:	return MDB_BTF_C_UNION;
	case MDB_BTF_FWD:
		return mdb_btf_kflag(btf, t) ? MDB_BTF_C_UNION : MDB_BTF_C_STRUCT;
	}
	return MDB_BTF_C_FUNC;
}
