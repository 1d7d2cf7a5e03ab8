// SPDX-License-Identifier: GPL-2.0
/*
 * btf_index.c - the name index of a BTF handle: built once, then probed
 *
 * mdb_btf_index_build() runs at the end of mdb_btf_open() (btf.c), in
 * process context: one open-addressing table of (name, name space) to the
 * preferred type of that name, the others chained in dup[], and one of
 * (kind, target) to the PTR, CONST or VOLATILE of a type. Nothing changes
 * them afterwards.
 *
 * The lookups, mdb_btf_find_type(), mdb_btf_find_all(), mdb_btf_find_func()
 * and mdb_btf_lookup() (for mdb_btf_resolve() in btf_access.c), run in any
 * context, NMI included: they only read, take no lock, never allocate,
 * never recurse, and every probe sequence is bounded by the longest one
 * measured at build. This file calls no other file: it reads the records
 * through btf_rec.h.
 */
#include "btf_rec.h"

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

/* Both tables of a freshly checked blob; -ENOMEM. */
int mdb_btf_index_build(struct mdb_btf *btf)
{
	int ret = build_names(btf);

	if (!ret)
		ret = build_derived(btf);
	if (ret)
		return ret;
	btf->st.max_probe = btf->names_probe > btf->derived_probe ?
			    btf->names_probe : btf->derived_probe;
	return 0;
}

/* ---- lookups (any context) ---- */

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
u32 mdb_btf_lookup(const struct mdb_btf *btf, const char *name, size_t len, u32 ns)
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
		return mdb_btf_lookup(btf, nm, strlen(nm), NS_TYPE);
	}
	i = nshort ? 0 : nlong == 0 ? 1 : nlong == 1 ? 2 : 3;
	nm = int_names[i][sgn == 2][0];
	id = mdb_btf_lookup(btf, nm, strlen(nm), NS_TYPE);
	if (!id) {
		nm = int_names[i][sgn == 2][1];
		id = mdb_btf_lookup(btf, nm, strlen(nm), NS_TYPE);
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
		id = mdb_btf_lookup(btf, s, n, ns);
	} else if (word_is(s, n, "void")) {
		id = 0;
		goto found;
	} else {
		id = mdb_btf_lookup(btf, s, n, NS_TYPE);
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
	u32 id = len <= MDB_BTF_NAME_MAX ? mdb_btf_lookup(btf, name, len, NS_FUNC) : 0;

	if (msg && msglen)
		msg[0] = '\0';

	if (!id) {
		MSG("no function '%.*s' in BTF", (int)(len > 64 ? 64 : len), name);
		return -ENOENT;
	}
	return id;
}
