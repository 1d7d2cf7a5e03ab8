// SPDX-License-Identifier: GPL-2.0
/*
 * btf_plan.c - members, access plans and function parameters from BTF
 *
 * The hit path's side of the BTF reader: find a member through anonymous
 * structs and unions, suggest the closest name when there is none, compile
 * "f_path.dentry.d_name.name" into a fixed-size plan of offsets and
 * dereferences, and name a function's parameters. Everything here may run
 * in NMI: it only reads the blob checked by mdb_btf_open() (btf.c) through
 * the accessors of btf_access.c, never allocates, never recurses
 * (anonymous members are walked with an explicit stack) and keeps frames
 * under 512 bytes. Calls down into btf_access.c and, for the type names
 * in its messages, btf_format.c (mdb_btf_type_str()); nothing calls back.
 */
#include "btf.h"

#define MSG(...)	do { if (msg && msglen) snprintf(msg, msglen, __VA_ARGS__); } while (0)

static int kind_of(const struct mdb_btf *btf, u32 id)
{
	int k = mdb_btf_kind(btf, id);

	return k < 0 ? MDB_BTF_UNKN : k;
}

static bool is_su(const struct mdb_btf *btf, u32 id)
{
	return kind_of(btf, id) == MDB_BTF_STRUCT || kind_of(btf, id) == MDB_BTF_UNION;
}

/* ---- members ---- */

/*
 * Walks every member of a struct, descending into anonymous struct and
 * union members in place, depth first like C's name lookup; an explicit
 * stack instead of recursion.
 */
struct anon_frame {
	u32 id, i, bit_off;
};

struct anon_walk {
	u32 depth;
	struct anon_frame f[MDB_BTF_ANON_DEPTH + 1];
};

static int walk_next(const struct mdb_btf *btf, struct anon_walk *w, struct mdb_btf_member *m)
{
	u32 t;

	for (;;) {
		struct anon_frame *f = &w->f[w->depth];

		if (mdb_btf_member(btf, f->id, f->i++, m)) {
			if (!w->depth)
				return -ENOENT;
			w->depth--;
			continue;
		}
		m->bit_off += f->bit_off;
		if (*m->name)
			return 0;
		t = mdb_btf_resolve(btf, m->type);
		if (w->depth < MDB_BTF_ANON_DEPTH && is_su(btf, t)) {
			w->depth++;
			w->f[w->depth].id = t;
			w->f[w->depth].i = 0;
			w->f[w->depth].bit_off = m->bit_off;
		}
	}
}

#define EDIT_MAX	63

/* Levenshtein distance, two rows on the stack; EDIT_MAX+1 when too long. */
static u32 edit_distance(const char *a, size_t la, const char *b, size_t lb)
{
	u8 prev[EDIT_MAX + 1], cur[EDIT_MAX + 1];
	size_t i, j;

	if (la > EDIT_MAX || lb > EDIT_MAX)
		return EDIT_MAX + 1;
	for (j = 0; j <= lb; j++)
		prev[j] = j;
	for (i = 1; i <= la; i++) {
		cur[0] = i;
		for (j = 1; j <= lb; j++) {
			u8 best = prev[j - 1] + (a[i - 1] != b[j - 1]);

			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			cur[j] = best;
		}
		memcpy(prev, cur, lb + 1);
	}
	return prev[lb];
}

int mdb_btf_member_find(const struct mdb_btf *btf, u32 id, const char *name, size_t len,
			struct mdb_btf_member *out, char *hint, size_t hint_len)
{
	struct anon_walk w;
	struct mdb_btf_member m;
	u32 d, best = EDIT_MAX + 1;

	if (hint && hint_len)
		hint[0] = '\0';
	id = mdb_btf_resolve(btf, id);
	if (!is_su(btf, id))
		return -EINVAL;
	w.depth = 0;
	w.f[0].id = id;
	w.f[0].i = 0;
	w.f[0].bit_off = 0;
	while (!walk_next(btf, &w, &m)) {
		if (mdb_btf_name_eq(m.name, name, len)) {
			*out = m;
			return 0;
		}
	}
	if (!hint || !hint_len)
		return -ENOENT;
	/* Not found: suggest the closest name, if it is close enough. */
	w.depth = 0;
	w.f[0].i = 0;
	while (!walk_next(btf, &w, &m)) {
		d = edit_distance(m.name, strlen(m.name), name, len);
		if (d < best && d <= (len + 2) / 3) {
			best = d;
			snprintf(hint, hint_len, "%s", m.name);
		}
	}
	return -ENOENT;
}

/* ---- access plans ---- */

/* Compiler state, kept out of the function's locals list for readability. */
struct plan_state {
	const struct mdb_btf *btf;
	struct mdb_btf_plan *plan;
	u64 off;		/* bytes added since the last step */
	u32 cur;		/* type of what is at addr + off */
	bool at_value;		/* a pointer root: addr already holds its value */
	char *msg;
	size_t msglen;
};

/* Emit {off, deref} and move to the pointee of the pointer cur. */
static int plan_deref(struct plan_state *ps, const char *what, int wlen)
{
	struct mdb_btf_plan *plan = ps->plan;
	char *msg = ps->msg;
	size_t msglen = ps->msglen;
	u32 ptr = mdb_btf_strip(ps->btf, ps->cur);

	if (ps->at_value) {
		ps->at_value = false;
	} else {
		if (plan->nr_steps >= MDB_BTF_PLAN_STEPS - 1) {
			MSG("path too deep (more than %d dereferences)", MDB_BTF_PLAN_STEPS - 1);
			return -E2BIG;
		}
		if (ps->off > 0xffffffffULL) {
			MSG("offset of '%.*s' too large", wlen, what);
			return -E2BIG;
		}
		plan->step[plan->nr_steps].off = ps->off;
		plan->step[plan->nr_steps].deref = 1;
		plan->nr_steps++;
	}
	ps->off = 0;
	ps->cur = kind_of(ps->btf, ptr) == MDB_BTF_PTR ? mdb_btf_ref(ps->btf, ptr) : 0;
	if (!ps->cur) {
		MSG("'%.*s' is a void pointer: cast it first", wlen, what);
		return -EINVAL;
	}
	return 0;
}

static bool is_ident(char c, bool first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       (!first && c >= '0' && c <= '9');
}

int mdb_btf_plan_compile(const struct mdb_btf *btf, u32 root, const char *root_name,
			 const char *path, size_t len, struct mdb_btf_plan *plan,
			 char *msg, size_t msglen)
{
	struct plan_state ps = { btf, plan, 0, root, false, msg, msglen };
	const char *prev = root_name ? root_name : "root";
	int prevlen = strnlen(prev, 64), ret;
	size_t p = 0, s;
	u32 bits = 0, bitpos = 0, t, size, decl;
	struct mdb_btf_member m;
	char tname[96], hint[64];

	if (msg && msglen)
		msg[0] = '\0';

	memset(plan, 0, sizeof(*plan));
	if (len > MDB_BTF_PATH_MAX) {
		MSG("path longer than %d bytes", MDB_BTF_PATH_MAX);
		return -E2BIG;
	}
	if (mdb_btf_kind(btf, root) < 0) {
		MSG("no type [%u]", root);
		return -EINVAL;
	}
	/* A pointer root is given by its value: the first dereference is done. */
	if (kind_of(btf, mdb_btf_strip(btf, root)) == MDB_BTF_PTR)
		ps.at_value = true;
	while (p < len) {
		if (bits) {
			MSG("'%.*s' is a bitfield: nothing can follow it", prevlen, prev);
			return -EINVAL;
		}
		if (path[p] == '[') {
			u64 idx = 0;
			u32 elem, nelems;

			for (s = ++p; p < len && path[p] >= '0' && path[p] <= '9' && p - s < 10; p++)
				idx = idx * 10 + (path[p] - '0');
			if (p == s || p >= len || path[p] != ']' || idx > 0xffffffffULL) {
				MSG("bad index after '%.*s': [DECIMAL] expected", prevlen, prev);
				return -EINVAL;
			}
			p++;
			t = mdb_btf_strip(btf, ps.cur);
			if (!mdb_btf_array(btf, t, &elem, &nelems)) {
				if (nelems && idx >= nelems) {
					MSG("index %llu out of range: '%.*s' has %u elements",
					    (unsigned long long)idx, prevlen, prev, nelems);
					return -ERANGE;
				}
				ps.cur = elem;
			} else if (kind_of(btf, t) == MDB_BTF_PTR) {
				ret = plan_deref(&ps, prev, prevlen);
				if (ret)
					return ret;
			} else {
				mdb_btf_type_str(btf, ps.cur, tname, sizeof(tname));
				MSG("'%.*s' is not an array or pointer (it is %s)", prevlen, prev, tname);
				return -EINVAL;
			}
			if (mdb_btf_sizeof(btf, ps.cur, &size)) {
				MSG("elements of '%.*s' have no size", prevlen, prev);
				return -EINVAL;
			}
			ps.off += idx * size;	/* < 2^64: both factors < 2^32 */
			if (ps.off > 0xffffffffULL) {
				MSG("offset of '%.*s' too large", prevlen, prev);
				return -E2BIG;
			}
			continue;
		}
		if (path[p] == '.')
			p++;
		else if (path[p] == '-' && p + 1 < len && path[p + 1] == '>')
			p += 2;
		else if (p)
			goto syntax;
		for (s = p; p < len && is_ident(path[p], p == s); p++)
			;
		if (p == s)
			goto syntax;
		decl = ps.cur;	/* for messages: the type as the user sees it */
		t = mdb_btf_strip(btf, ps.cur);
		if (kind_of(btf, t) == MDB_BTF_PTR) {
			ret = plan_deref(&ps, prev, prevlen);
			if (ret)
				return ret;
			t = mdb_btf_strip(btf, ps.cur);
		}
		t = mdb_btf_resolve(btf, t);
		if (!is_su(btf, t)) {
			mdb_btf_type_str(btf, decl, tname, sizeof(tname));
			if (kind_of(btf, t) == MDB_BTF_FWD)
				MSG("%s is only declared: BTF has no definition", tname);
			else
				MSG("'%.*s' is not a struct or union (it is %s)", prevlen, prev, tname);
			return -EINVAL;
		}
		if (mdb_btf_member_find(btf, t, path + s, p - s, &m, hint, sizeof(hint))) {
			mdb_btf_type_str(btf, t, tname, sizeof(tname));
			if (hint[0])
				MSG("%s has no field '%.*s' (did you mean '%s'?)", tname,
				    (int)(p - s), path + s, hint);
			else
				MSG("%s has no field '%.*s'", tname, (int)(p - s), path + s);
			return -ENOENT;
		}
		prev = path + s;
		prevlen = p - s;
		ps.cur = m.type;
		if (m.bits) {
			bits = m.bits;
			bitpos = m.bit_off;
		} else {
			ps.off += m.bit_off / 8;
		}
	}
	if (!len && ps.at_value) {
		ret = plan_deref(&ps, prev, prevlen);	/* empty path: the pointee */
		if (ret)
			return ret;
	}
	plan->type = ps.cur;
	plan->cls = mdb_btf_class(btf, ps.cur);
	if (plan->cls == MDB_BTF_C_FUNC || plan->cls == MDB_BTF_C_VOID ||
	    mdb_btf_sizeof(btf, ps.cur, &size))
		size = 0;
	if (plan->cls == MDB_BTF_C_INT || plan->cls == MDB_BTF_C_CHAR) {
		struct mdb_btf_int it;

		mdb_btf_int(btf, mdb_btf_strip(btf, ps.cur), &it);
		plan->is_signed = it.encoding & MDB_BTF_INT_SIGNED;
	} else if (plan->cls == MDB_BTF_C_ENUM) {
		plan->is_signed = mdb_btf_kflag(btf, mdb_btf_resolve(btf, ps.cur));
	}
	if (bits) {
		/* Read the storage unit that holds it, or the bytes it spans. */
		u32 unit = size >= 1 && size <= 8 ? size : 8;
		u64 start = bitpos / (unit * 8) * unit;

		if (bitpos - start * 8 + bits > unit * 8) {
			start = bitpos / 8;
			for (unit = 1; unit < 8 && (bitpos & 7) + bits > unit * 8; unit <<= 1)
				;
		}
		if (bits > 64 || (bitpos - start * 8) + bits > unit * 8) {
			MSG("bitfield '%.*s' wider than 64 bits", prevlen, prev);
			return -EINVAL;
		}
		ps.off += start;
		size = unit;
		plan->bit_off = bitpos - start * 8;
		plan->bits = bits;
	}
	if (ps.off > 0xffffffffULL) {
		MSG("offset of '%.*s' too large", prevlen, prev);
		return -E2BIG;
	}
	plan->size = size;
	plan->step[plan->nr_steps].off = ps.off;
	plan->step[plan->nr_steps].deref = 0;
	plan->nr_steps++;
	return 0;
syntax:
	MSG("bad path at '%.*s': NAME, .NAME, ->NAME or [N] expected",
	    (int)(len - p > 32 ? 32 : len - p), path + p);
	return -EINVAL;
}

/* ---- functions ---- */

int mdb_btf_func(const struct mdb_btf *btf, u32 func, struct mdb_btf_func *out)
{
	u32 proto = mdb_btf_ref(btf, func), vlen, type;
	const char *name;

	if (kind_of(btf, func) != MDB_BTF_FUNC || kind_of(btf, proto) != MDB_BTF_FUNC_PROTO)
		return -EINVAL;
	vlen = mdb_btf_vlen(btf, proto);
	out->func = func;
	out->proto = proto;
	out->ret = mdb_btf_ref(btf, proto);
	/* a last parameter of type void without a name is the "..." */
	out->variadic = vlen && !mdb_btf_param(btf, proto, vlen - 1, &name, &type) && !type;
	out->nr_params = vlen - out->variadic;
	return 0;
}

int mdb_btf_param_find(const struct mdb_btf *btf, u32 func, const char *name, size_t len,
		       char *msg, size_t msglen)
{
	struct mdb_btf_func f;
	const char *pn;
	size_t o;
	u32 i, t;
	int n;

	if (msg && msglen)
		msg[0] = '\0';

	if (mdb_btf_func(btf, func, &f)) {
		MSG("type [%u] is not a function", func);
		return -EINVAL;
	}
	for (i = 0; i < f.nr_params; i++) {
		mdb_btf_param(btf, f.proto, i, &pn, &t);
		if (mdb_btf_name_eq(pn, name, len))
			return i;
	}
	if (!msg || !msglen)
		return -ENOENT;
	n = snprintf(msg, msglen, "%s has no parameter '%.*s' (parameters:",
		     mdb_btf_name(btf, func), (int)(len > 64 ? 64 : len), name);
	for (o = n > 0 ? n : 0, i = 0; i < f.nr_params && o < msglen; i++, o += n > 0 ? n : 0) {
		mdb_btf_param(btf, f.proto, i, &pn, &t);
		n = snprintf(msg + o, msglen - o, "%s %s", i ? "," : "", *pn ? pn : "?");
	}
	if (o < msglen)
		snprintf(msg + o, msglen - o, "%s)", f.nr_params ? "" : " none");
	return -ENOENT;
}
