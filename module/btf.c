// SPDX-License-Identifier: GPL-2.0
/*
 * btf.c - read and check a raw BTF blob: mdb_btf_open(), mdb_btf_close()
 *
 * The blob is untrusted until mdb_btf_open() has checked all of it: the
 * header, both sections, every record, every type id and string offset a
 * record refers to, every chain of links (PTR, ARRAY, TYPEDEF and the
 * modifiers: at most MDB_BTF_DEPTH, so loops are refused), array sizes
 * (fit in 32 bits) and members (inside their struct). Then it has
 * btf_index.c build the name index. After that every other function
 * (btf_index.c, btf_access.c, btf_plan.c, btf_format.c) relies on what was
 * proven but still bounds every loop and checks every id, so a bug
 * elsewhere can give a wrong answer, never a read outside the blob.
 *
 * Context: process context (the open allocates and copies; the close
 * frees), except mdb_btf_stats(), any context. Calls down into
 * btf_index.c (the index build) and btf_access.c (members, strip).
 * The record layout is in btf_rec.h.
 */
#include "btf_rec.h"

#define BTF_MAGIC	0xeB9F
#define BTF_HDR_LEN	24		/* the version-1 header we understand */
#define BTF_MAX_SIZE	(64U << 20)	/* vmlinux of 6.18: 5.5 MiB */
#define BTF_MAX_ID	0x000fffffU	/* the kernel's BTF_MAX_TYPE */

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
	ret = mdb_btf_index_build(btf);
	if (ret)
		goto nomem_free;
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
