// SPDX-License-Identifier: GPL-2.0
/*
 * test_btf.c - unit tests of mdb's BTF reader (module/btf*.c), TAP output
 *
 * Blobs are written here by a small BTF writer (struct bw), so every kind,
 * both bitfield encodings, duplicates, forward declarations, split BTF and
 * each way a blob can be broken are built byte by byte. Every blob handed
 * to the reader sits in a heap buffer of exactly its size, so ASan catches
 * any read past its end. Then the real thing: /sys/kernel/btf/vmlinux and
 * deps/kernels/NAME/vmlinux.btf when they exist (skipped otherwise), and
 * any file named on the command line (scripts/extract-btf makes them from
 * a vmlinuz), with their load time and memory printed as TAP diagnostics.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glob.h>
#include <time.h>

#include "btf.h"

#include "tap.h"

static void skip(const char *why)
{
	printf("ok %u - # SKIP %s\n", ++t_num, why);
}

/* ---- a BTF writer ---- */

struct bw {
	u32 *t;			/* type section, in words */
	size_t nt, capt;
	char *s;		/* string section */
	size_t ns, caps;
	u32 next_id, str_base;
};

static void bw_init(struct bw *w, const struct bw *base)
{
	memset(w, 0, sizeof(*w));
	w->next_id = base ? base->next_id : 1;
	w->str_base = base ? base->str_base + base->ns : 0;
	if (!base) {
		w->s = calloc(1, 1);
		w->ns = w->caps = 1;	/* the empty string at offset 0 */
	}
}

static void bw_free(struct bw *w)
{
	free(w->t);
	free(w->s);
}

static void w32(struct bw *w, u32 v)
{
	if (w->nt == w->capt) {
		w->capt = w->capt ? 2 * w->capt : 64;
		w->t = realloc(w->t, w->capt * 4);
	}
	w->t[w->nt++] = v;
}

static u32 bw_str(struct bw *w, const char *name)
{
	size_t n = strlen(name) + 1;
	u32 off = w->str_base + w->ns;

	if (!*name && !w->str_base)
		return 0;
	if (w->ns + n > w->caps) {
		w->caps = 2 * (w->ns + n);
		w->s = realloc(w->s, w->caps);
	}
	memcpy(w->s + w->ns, name, n);
	w->ns += n;
	return off;
}

/* The offset of a string already in the base's section. */
static u32 base_str(const struct bw *w, const char *name)
{
	size_t i, n = strlen(name) + 1;

	for (i = 1; i + n <= w->ns; i++)
		if (!w->s[i - 1] && !memcmp(w->s + i, name, n))
			return i;
	return 0;
}

static u32 info(u32 kind, u32 vlen, bool kflag)
{
	return (kflag ? 1U << 31 : 0) | kind << 24 | vlen;
}

/* A type's three words; returns its id. */
static u32 ty(struct bw *w, u32 kind, const char *name, u32 vlen, bool kflag, u32 st)
{
	w32(w, name ? bw_str(w, name) : 0);
	w32(w, info(kind, vlen, kflag));
	w32(w, st);
	return w->next_id++;
}

static u32 t_int(struct bw *w, const char *name, u32 size, u32 enc, u32 off, u32 bits)
{
	u32 id = ty(w, MDB_BTF_INT, name, 0, false, size);

	w32(w, enc << 24 | off << 16 | bits);
	return id;
}

static u32 t_ref(struct bw *w, u32 kind, const char *name, u32 type)
{
	return ty(w, kind, name, 0, false, type);
}

static u32 t_array(struct bw *w, u32 elem, u32 idx, u32 n)
{
	u32 id = ty(w, MDB_BTF_ARRAY, NULL, 0, false, 0);

	w32(w, elem);
	w32(w, idx);
	w32(w, n);
	return id;
}

/* A member: bit offset, and for kflag=1 structs the bitfield size. */
static void mem(struct bw *w, const char *name, u32 type, u32 bit_off, u32 bits)
{
	w32(w, name ? bw_str(w, name) : 0);
	w32(w, type);
	w32(w, bits << 24 | bit_off);
}

static void two(struct bw *w, const char *name, u32 v)
{
	w32(w, name ? bw_str(w, name) : 0);
	w32(w, v);
}

/* The blob: header (hdr_len bytes, the tail filled with @fill), types, strings. */
static u8 *bw_blob(const struct bw *w, size_t *len, u32 hdr_len, u8 fill)
{
	size_t tl = w->nt * 4, n = hdr_len + tl + w->ns;
	u8 *b = malloc(n);
	u32 h[5] = { hdr_len, 0, tl, tl, w->ns };

	b[0] = 0x9f;
	b[1] = 0xeb;
	b[2] = 1;
	b[3] = 0;
	memcpy(b + 4, h, 20);
	memset(b + 24, fill, hdr_len - 24);
	memcpy(b + hdr_len, w->t, tl);
	memcpy(b + hdr_len + tl, w->s, w->ns);
	*len = n;
	return b;
}

static u32 hdr(const u8 *b, int i)
{
	u32 v;

	memcpy(&v, b + 4 + 4 * i, 4);
	return v;
}

static void set_hdr(u8 *b, int i, u32 v)
{
	memcpy(b + 4 + 4 * i, &v, 4);
}

/* ---- the synthetic kernel ---- */

static struct {
	u32 int_, uint, chr, ulong, charp, cchar, ccharp, char16, u32_, inner, outer, anon_u,
	    anon_s, color, big, fwdonly, fwd_later, later, later_p, kf0, bits3, bits5, vint,
	    rcharp, tag, user_charp, proto, myfunc, vproto, myprintf, myvar, datasec, dbl,
	    dtag1, dtag2, dup_empty, dup_fwd, dup_a, dup_b, un, outer_t, outer_p, int4,
	    chain, chain_p, outer_pp, outer_parr, char16_p, deep, deep_p, fp, ops, lastid;
} T;

static void build_base(struct bw *w)
{
	bw_init(w, NULL);
	T.int_ = t_int(w, "int", 4, MDB_BTF_INT_SIGNED, 0, 32);
	T.uint = t_int(w, "unsigned int", 4, 0, 0, 32);
	T.chr = t_int(w, "char", 1, MDB_BTF_INT_CHAR, 0, 8);
	T.ulong = t_int(w, "long unsigned int", 8, 0, 0, 64);
	T.charp = t_ref(w, MDB_BTF_PTR, NULL, T.chr);
	T.cchar = t_ref(w, MDB_BTF_CONST, NULL, T.chr);
	T.ccharp = t_ref(w, MDB_BTF_PTR, NULL, T.cchar);
	T.char16 = t_array(w, T.chr, T.int_, 16);
	T.u32_ = t_ref(w, MDB_BTF_TYPEDEF, "u32", T.uint);
	/* ids are known in advance where a type refers forward */
	T.inner = w->next_id;
	ty(w, MDB_BTF_STRUCT, "inner", 2, false, 8);
	mem(w, "x", T.int_, 0, 0);
	mem(w, "y", T.u32_, 32, 0);
	T.outer = w->next_id;
	T.anon_u = T.outer + 1;
	T.anon_s = T.outer + 2;
	T.color = T.outer + 3;
	T.later_p = T.outer + 8;
	T.int4 = T.outer + 9;
	ty(w, MDB_BTF_STRUCT, "outer", 11, true, 96);
	mem(w, "a", T.int_, 0, 0);			/* bytes 0-3 */
	mem(w, "flags", T.u32_, 32, 3);			/* bits 32-34 */
	mem(w, "mode", T.uint, 35, 5);			/* bits 35-39 */
	mem(w, NULL, T.anon_u, 64, 0);			/* bytes 8-15 */
	mem(w, "name", T.char16, 128, 0);		/* bytes 16-31 */
	mem(w, "p", T.ccharp, 256, 0);			/* bytes 32-39 */
	mem(w, "in", T.inner, 320, 0);			/* bytes 40-47 */
	mem(w, "e", T.color, 384, 0);			/* bytes 48-51 */
	mem(w, "lp", T.later_p, 448, 0);		/* bytes 56-63 */
	mem(w, "arr", T.int4, 512, 0);			/* bytes 64-79 */
	mem(w, "neg", T.int_, 640, 0);			/* bytes 80-83 */
	/* union { unsigned long u; struct { u32 lo; u32 hi; }; } */
	ty(w, MDB_BTF_UNION, NULL, 2, false, 8);
	mem(w, "u", T.ulong, 0, 0);
	mem(w, NULL, T.anon_s, 0, 0);
	ty(w, MDB_BTF_STRUCT, NULL, 2, false, 8);
	mem(w, "lo", T.u32_, 0, 0);
	mem(w, "hi", T.u32_, 32, 0);
	ty(w, MDB_BTF_ENUM, "color", 3, true, 4);
	two(w, "RED", 0);
	two(w, "GREEN", 1);
	two(w, "BLUE", (u32)-1);
	T.big = ty(w, MDB_BTF_ENUM64, "big", 2, false, 8);
	two(w, "SMALL", 1);
	w32(w, 0);
	two(w, "HUGE", 0x23456789);
	w32(w, 0x1);
	T.fwdonly = t_ref(w, MDB_BTF_FWD, "fwdonly", 0);
	T.fwd_later = t_ref(w, MDB_BTF_FWD, "later", 0);
	T.later = ty(w, MDB_BTF_STRUCT, "later", 1, false, 4);
	mem(w, "v", T.int_, 0, 0);
	t_ref(w, MDB_BTF_PTR, NULL, T.fwd_later);
	t_array(w, T.int_, T.int_, 4);
	/* kflag=0 bitfields: the INT says bits and offset */
	T.kf0 = w->next_id;
	T.bits3 = T.kf0 + 1;
	T.bits5 = T.kf0 + 2;
	ty(w, MDB_BTF_STRUCT, "kf0", 3, false, 4);
	mem(w, "b3", T.bits3, 0, 0);
	mem(w, "b5", T.bits5, 0, 0);
	mem(w, "rest", T.int_, 0, 0);
	t_int(w, "unsigned int", 4, 0, 0, 3);
	t_int(w, "int", 4, MDB_BTF_INT_SIGNED, 3, 5);
	T.vint = t_ref(w, MDB_BTF_VOLATILE, NULL, T.int_);
	T.rcharp = t_ref(w, MDB_BTF_RESTRICT, NULL, T.charp);
	T.tag = t_ref(w, MDB_BTF_TYPE_TAG, "user", T.chr);
	T.user_charp = t_ref(w, MDB_BTF_PTR, NULL, T.tag);
	T.proto = ty(w, MDB_BTF_FUNC_PROTO, NULL, 3, false, T.int_);
	two(w, "file", T.later_p);
	two(w, "buf", T.charp);
	two(w, "count", T.ulong);
	T.myfunc = t_ref(w, MDB_BTF_FUNC, "myfunc", T.proto);
	w->t[w->nt - 2] |= 1;				/* linkage: global */
	T.vproto = ty(w, MDB_BTF_FUNC_PROTO, NULL, 2, false, 0);
	two(w, "fmt", T.ccharp);
	two(w, NULL, 0);
	T.myprintf = t_ref(w, MDB_BTF_FUNC, "myprintf", T.vproto);
	T.myvar = t_ref(w, MDB_BTF_VAR, "myvar", T.int_);
	w32(w, 1);
	T.datasec = ty(w, MDB_BTF_DATASEC, ".data", 1, false, 16);
	w32(w, T.myvar);
	w32(w, 4);
	w32(w, 4);
	T.dbl = ty(w, MDB_BTF_FLOAT, "double", 0, false, 8);
	T.dtag1 = t_ref(w, MDB_BTF_DECL_TAG, "tag1", T.outer);
	w32(w, 0);
	T.dtag2 = t_ref(w, MDB_BTF_DECL_TAG, "tag2", T.myfunc);
	w32(w, 1);
	/* duplicates: an empty one, a FWD, two definitions; dup_b is used more */
	T.dup_empty = ty(w, MDB_BTF_STRUCT, "dup", 0, false, 0);
	T.dup_fwd = t_ref(w, MDB_BTF_FWD, "dup", 0);
	T.dup_a = ty(w, MDB_BTF_STRUCT, "dup", 1, false, 4);
	mem(w, "a", T.int_, 0, 0);
	T.dup_b = ty(w, MDB_BTF_STRUCT, "dup", 1, false, 8);
	mem(w, "b", T.ulong, 0, 0);
	T.un = ty(w, MDB_BTF_UNION, "un", 3, false, 8);
	mem(w, "i", T.int_, 0, 0);
	mem(w, "l", T.ulong, 0, 0);
	mem(w, "d", T.dup_b, 0, 0);
	T.outer_t = t_ref(w, MDB_BTF_TYPEDEF, "outer_t", T.outer);
	T.outer_p = t_ref(w, MDB_BTF_PTR, NULL, T.outer);
	T.chain = w->next_id;
	T.chain_p = T.chain + 1;
	ty(w, MDB_BTF_STRUCT, "chain", 2, false, 16);
	mem(w, "next", T.chain_p, 0, 0);
	mem(w, "o", T.outer_p, 64, 0);
	t_ref(w, MDB_BTF_PTR, NULL, T.chain);
	T.outer_pp = t_ref(w, MDB_BTF_PTR, NULL, T.outer_p);
	T.outer_parr = t_array(w, T.outer_p, T.int_, 2);
	T.char16_p = t_ref(w, MDB_BTF_PTR, NULL, T.char16);
	T.fp = w->next_id + 2;
	T.ops = ty(w, MDB_BTF_STRUCT, "ops", 1, false, 8);
	mem(w, "read", T.fp, 0, 0);
	T.lastid = w->next_id;
	ty(w, MDB_BTF_FUNC_PROTO, NULL, 2, false, T.int_);	/* fp - 1 */
	two(w, "x", T.outer_pp);
	two(w, "cb", T.fp);
	t_ref(w, MDB_BTF_PTR, NULL, T.lastid);			/* fp */
	T.lastid = w->next_id - 1;
}

static struct mdb_btf *open_bw(const struct bw *w, const struct mdb_btf *base, u32 hdr_len,
			       u8 fill, char *msg, int *ret)
{
	struct mdb_btf *b = NULL;
	size_t n;
	u8 *blob = bw_blob(w, &n, hdr_len, fill);

	*ret = mdb_btf_open(&b, blob, n, base, 0, msg, MDB_BTF_MSG_MAX);
	free(blob);
	return b;
}

static int find(const struct mdb_btf *b, const char *name)
{
	return mdb_btf_find_type(b, name, strlen(name), NULL, 0);
}

static const char *tstr(const struct mdb_btf *b, u32 id)
{
	static char bufs[4][256];
	static int which;
	char *s = bufs[which++ & 3];

	mdb_btf_type_str(b, id, s, 256);
	return s;
}

static void test_find(const struct mdb_btf *b)
{
	static const struct { const char *name; u32 *id; } t[] = {
		{ "int", &T.int_ }, { "  int  ", &T.int_ }, { "signed int", &T.int_ },
		{ "unsigned", &T.uint }, { "unsigned int", &T.uint }, { "int unsigned", &T.uint },
		{ "unsigned long", &T.ulong }, { "long unsigned", &T.ulong },
		{ "char *", &T.charp }, { "char*", &T.charp }, { "const char *", &T.ccharp },
		{ "char const *", &T.ccharp }, { "u32", &T.u32_ }, { "struct inner", &T.inner },
		{ "struct  outer", &T.outer }, { "enum color", &T.color }, { "enum big", &T.big },
		{ "union un", &T.un }, { "struct outer **", &T.outer_pp }, { "outer_t", &T.outer_t },
		{ "struct later", &T.later }, { "struct fwdonly", &T.fwdonly },
		{ "struct dup", &T.dup_b }, { "double", &T.dbl }, { "volatile int", &T.vint },
	};
	static const char * const bad[] = {
		"struct filee", "union outer", "enum inner", "long long", "unsigned char",
		"struct", "struct a b", "", "   ", "myfunc", "int **", "const double",
		"unsigned signed int", "short long",
	};
	char msg[MDB_BTF_MSG_MAX];
	u32 ids[8];
	size_t i;
	int id;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		id = find(b, t[i].name);
		ok(id == (int)*t[i].id, "find '%s' -> [%d] %s", t[i].name, id, id >= 0 ? tstr(b, id) : "");
	}
	ok(find(b, "void") == 0, "find 'void' -> 0");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		id = mdb_btf_find_type(b, bad[i], strlen(bad[i]), msg, sizeof(msg));
		ok(id < 0, "find '%s' fails: %s", bad[i], msg);
	}
	id = mdb_btf_find_type(b, "struct filee", 12, msg, sizeof(msg));
	ok(id == -ENOENT && !strcmp(msg, "no type 'struct filee'"), "message: %s", msg);
	/* not NUL-terminated: "struct inner" followed by garbage */
	ok(mdb_btf_find_type(b, "struct innerXYZ", 12, NULL, 0) == (int)T.inner,
	   "find takes a length, not a C string");
	id = mdb_btf_find_all(b, "struct dup", 10, ids, 8);
	ok(id == 4 && ids[0] == T.dup_b, "find_all 'struct dup': %d, the most used definition first", id);
	ok(mdb_btf_find_func(b, "myfunc", 6, NULL, 0) == (int)T.myfunc, "find_func myfunc");
	id = mdb_btf_find_func(b, "nofunc", 6, msg, sizeof(msg));
	ok(id == -ENOENT && !strcmp(msg, "no function 'nofunc' in BTF"), "%s", msg);
	ok(mdb_btf_resolve(b, T.fwd_later) == T.later, "FWD later resolves to its definition");
	ok(mdb_btf_resolve(b, T.fwdonly) == T.fwdonly, "FWD without definition stays a FWD");
	ok(mdb_btf_resolve(b, T.dup_fwd) == T.dup_b, "FWD dup resolves to the preferred dup");
	ok(mdb_btf_strip(b, T.outer_t) == T.outer, "strip typedef");
	ok(mdb_btf_strip(b, T.cchar) == T.chr && mdb_btf_strip(b, T.vint) == T.int_ &&
	   mdb_btf_strip(b, T.tag) == T.chr && mdb_btf_strip(b, T.rcharp) == T.charp,
	   "strip const, volatile, type_tag, restrict");
}

static void test_sizes_names(const struct mdb_btf *b)
{
	static const struct { u32 *id; u32 size; const char *name; } t[] = {
		{ &T.int_, 4, "int" }, { &T.chr, 1, "char" }, { &T.charp, 8, "char *" },
		{ &T.ccharp, 8, "const char *" }, { &T.char16, 16, "char[16]" },
		{ &T.outer, 96, "struct outer" }, { &T.outer_t, 96, "outer_t" },
		{ &T.anon_u, 8, "union {...}" }, { &T.color, 4, "enum color" },
		{ &T.big, 8, "enum big" }, { &T.outer_parr, 16, "struct outer *[2]" },
		{ &T.char16_p, 8, "char (*)[16]" }, { &T.outer_pp, 8, "struct outer **" },
		{ &T.vint, 4, "volatile int" }, { &T.rcharp, 8, "char * restrict" },
		{ &T.user_charp, 8, "char *" }, { &T.dbl, 8, "double" },
		{ &T.later_p, 8, "struct later *" }, { &T.fp, 8,
		  "int (*)(struct outer **, fn *)" }, { &T.un, 8, "union un" },
		{ &T.datasec, 16, ".data" },
	};
	u32 size, i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int r = mdb_btf_sizeof(b, *t[i].id, &size);

		ok(!r && size == t[i].size &&
		   !strcmp(tstr(b, *t[i].id), t[i].name),
		   "[%u] is '%s' (%s), %u bytes", *t[i].id, tstr(b, *t[i].id), t[i].name, size);
	}
	ok(!strcmp(tstr(b, T.myfunc), "int myfunc(struct later *, char *, long unsigned int)"),
	   "FUNC as text: %s", tstr(b, T.myfunc));
	ok(!strcmp(tstr(b, T.myprintf), "void myprintf(const char *, ...)"),
	   "variadic FUNC as text: %s", tstr(b, T.myprintf));
	ok(!strcmp(tstr(b, 0), "void"), "[0] is void");
	ok(mdb_btf_sizeof(b, 0, &size) == -EINVAL && mdb_btf_sizeof(b, T.fwdonly, &size) == -EINVAL &&
	   mdb_btf_sizeof(b, T.proto, &size) == -EINVAL, "void, FWD, FUNC_PROTO have no size");
	ok(!mdb_btf_sizeof(b, T.fwd_later, &size) && size == 4, "FWD later: the definition's size");
	{
		char small[8];
		int n = mdb_btf_type_str(b, T.outer_pp, small, sizeof(small));

		ok(n == 15 && !strcmp(small, "struct "), "type_str truncates like snprintf (%d, '%s')",
		   n, small);
	}
	ok(mdb_btf_kind(b, T.lastid + 1) == -EINVAL && mdb_btf_kind(b, 0x7fffffff) == -EINVAL &&
	   !*mdb_btf_name(b, 1000000) && !strcmp(tstr(b, 99999), "?"), "bad ids answer safely");
}

static void test_members(const struct mdb_btf *b)
{
	static const struct { u32 *root; const char *name; u32 bit_off, bits; u32 *type; } t[] = {
		{ &T.outer, "a", 0, 0, &T.int_ }, { &T.outer, "flags", 32, 3, &T.u32_ },
		{ &T.outer, "mode", 35, 5, &T.uint }, { &T.outer, "u", 64, 0, &T.ulong },
		{ &T.outer, "lo", 64, 0, &T.u32_ }, { &T.outer, "hi", 96, 0, &T.u32_ },
		{ &T.outer, "name", 128, 0, &T.char16 }, { &T.outer_t, "in", 320, 0, &T.inner },
		{ &T.kf0, "b3", 0, 3, &T.bits3 }, { &T.kf0, "b5", 3, 5, &T.bits5 },
		{ &T.kf0, "rest", 0, 0, &T.int_ }, { &T.fwd_later, "v", 0, 0, &T.int_ },
	};
	struct mdb_btf_member m;
	char hint[64];
	u32 i;
	int r;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		r = mdb_btf_member_find(b, *t[i].root, t[i].name, strlen(t[i].name), &m, NULL, 0);
		ok(!r && m.bit_off == t[i].bit_off && m.bits == t[i].bits && m.type == *t[i].type,
		   "%s.%s: bit %u, %u bits, type %s", tstr(b, *t[i].root), t[i].name, m.bit_off,
		   m.bits, tstr(b, m.type));
	}
	r = mdb_btf_member_find(b, T.outer, "flag", 4, &m, hint, sizeof(hint));
	ok(r == -ENOENT && !strcmp(hint, "flags"), "no 'flag', hint '%s'", hint);
	r = mdb_btf_member_find(b, T.outer, "hj", 2, &m, hint, sizeof(hint));
	ok(r == -ENOENT && !strcmp(hint, "hi"), "a hint from inside anonymous members: '%s'", hint);
	r = mdb_btf_member_find(b, T.outer, "zzzzzz", 6, &m, hint, sizeof(hint));
	ok(r == -ENOENT && !hint[0], "nothing close: no hint");
	ok(mdb_btf_member_find(b, T.int_, "a", 1, &m, NULL, 0) == -EINVAL, "an int has no members");
}

static void test_plans(const struct mdb_btf *b)
{
	static const struct {
		u32 *root;
		const char *path;
		int nr;
		u32 off[4], deref[4];
		u32 size, cls, sign, bit_off, bits;
	} t[] = {
		{ &T.outer, "a", 1, { 0 }, { 0 }, 4, MDB_BTF_C_INT, 1, 0, 0 },
		{ &T.outer, "in.y", 1, { 44 }, { 0 }, 4, MDB_BTF_C_INT, 0, 0, 0 },
		{ &T.outer, ".in.y", 1, { 44 }, { 0 }, 4, MDB_BTF_C_INT, 0, 0, 0 },
		{ &T.outer, "flags", 1, { 4 }, { 0 }, 4, MDB_BTF_C_INT, 0, 0, 3 },
		{ &T.outer, "mode", 1, { 4 }, { 0 }, 4, MDB_BTF_C_INT, 0, 3, 5 },
		{ &T.outer, "hi", 1, { 12 }, { 0 }, 4, MDB_BTF_C_INT, 0, 0, 0 },
		{ &T.outer, "name", 1, { 16 }, { 0 }, 16, MDB_BTF_C_CHAR_ARRAY, 0, 0, 0 },
		{ &T.outer, "name[3]", 1, { 19 }, { 0 }, 1, MDB_BTF_C_CHAR, 0, 0, 0 },
		{ &T.outer, "p", 1, { 32 }, { 0 }, 8, MDB_BTF_C_PTR, 0, 0, 0 },
		{ &T.outer, "p[5]", 2, { 32, 5 }, { 1, 0 }, 1, MDB_BTF_C_CHAR, 0, 0, 0 },
		{ &T.outer, "e", 1, { 48 }, { 0 }, 4, MDB_BTF_C_ENUM, 1, 0, 0 },
		{ &T.outer, "lp->v", 2, { 56, 0 }, { 1, 0 }, 4, MDB_BTF_C_INT, 1, 0, 0 },
		{ &T.outer, "lp.v", 2, { 56, 0 }, { 1, 0 }, 4, MDB_BTF_C_INT, 1, 0, 0 },
		{ &T.outer, "arr[3]", 1, { 76 }, { 0 }, 4, MDB_BTF_C_INT, 1, 0, 0 },
		{ &T.outer, "in", 1, { 40 }, { 0 }, 8, MDB_BTF_C_STRUCT, 0, 0, 0 },
		{ &T.outer, "", 1, { 0 }, { 0 }, 96, MDB_BTF_C_STRUCT, 0, 0, 0 },
		{ &T.outer_p, "in.x", 1, { 40 }, { 0 }, 4, MDB_BTF_C_INT, 1, 0, 0 },
		{ &T.outer_p, "", 1, { 0 }, { 0 }, 96, MDB_BTF_C_STRUCT, 0, 0, 0 },
		{ &T.outer_p, "[2].a", 1, { 192 }, { 0 }, 4, MDB_BTF_C_INT, 1, 0, 0 },
		{ &T.outer_pp, "[0].in", 2, { 0, 40 }, { 1, 0 }, 8, MDB_BTF_C_STRUCT, 0, 0, 0 },
		{ &T.outer_parr, "[1]->u", 2, { 8, 8 }, { 1, 0 }, 8, MDB_BTF_C_INT, 0, 0, 0 },
		{ &T.chain, "next.next.o.a", 4, { 0, 0, 8, 0 }, { 1, 1, 1, 0 }, 4, MDB_BTF_C_INT, 1, 0, 0 },
		{ &T.kf0, "b5", 1, { 0 }, { 0 }, 4, MDB_BTF_C_INT, 1, 3, 5 },
		{ &T.un, "d.b", 1, { 0 }, { 0 }, 8, MDB_BTF_C_INT, 0, 0, 0 },
		{ &T.ops, "read", 1, { 0 }, { 0 }, 8, MDB_BTF_C_PTR, 0, 0, 0 },
		{ &T.int_, "", 1, { 0 }, { 0 }, 4, MDB_BTF_C_INT, 1, 0, 0 },
	};
	static const struct { u32 *root; const char *path; const char *msg; } bad[] = {
		{ &T.outer, "flag", "struct outer has no field 'flag' (did you mean 'flags'?)" },
		{ &T.outer, "zzz", "struct outer has no field 'zzz'" },
		{ &T.outer, "a.b", "'a' is not a struct or union (it is int)" },
		{ &T.outer, "in.y.z", "'y' is not a struct or union (it is u32)" },
		{ &T.int_, "x", "'root' is not a struct or union (it is int)" },
		{ &T.outer, "a[1]", "'a' is not an array or pointer (it is int)" },
		{ &T.outer, "name[16]", "index 16 out of range: 'name' has 16 elements" },
		{ &T.outer, "name[", "bad index after 'name': [DECIMAL] expected" },
		{ &T.outer, "name[x]", "bad index after 'name': [DECIMAL] expected" },
		{ &T.outer, "flags.x", "'flags' is a bitfield: nothing can follow it" },
		{ &T.outer, "a..b", "bad path at '.b': NAME, .NAME, ->NAME or [N] expected" },
		{ &T.outer, "a b", "bad path at ' b': NAME, .NAME, ->NAME or [N] expected" },
		{ &T.outer, "-", "bad path at '-': NAME, .NAME, ->NAME or [N] expected" },
		{ &T.chain, "next.next.next.next.next.next.next.next.o",
		  "path too deep (more than 7 dereferences)" },
		{ &T.outer, "p.x", "'p' is not a struct or union (it is const char *)" },
		{ &T.outer_pp, "in", "'root' is not a struct or union (it is struct outer **)" },
		{ &T.proto, "x", "'root' is not a struct or union "
		  "(it is int (struct later *, char *, long unsigned int))" },
	};
	struct mdb_btf_plan p;
	char msg[MDB_BTF_MSG_MAX];
	u32 i, j;
	int r;
	bool pass;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		msg[0] = '\0';
		r = mdb_btf_plan_compile(b, *t[i].root, NULL, t[i].path, strlen(t[i].path), &p,
					 msg, sizeof(msg));
		pass = !r && p.nr_steps == t[i].nr && p.size == t[i].size && p.cls == t[i].cls &&
		       p.is_signed == t[i].sign && p.bit_off == t[i].bit_off && p.bits == t[i].bits;
		for (j = 0; pass && j < p.nr_steps; j++)
			pass = p.step[j].off == t[i].off[j] && p.step[j].deref == t[i].deref[j];
		ok(pass, "plan %s '%s': %d %s steps %u {%u,%u} {%u,%u} size %u cls %u bits %u@%u",
		   tstr(b, *t[i].root), t[i].path, r, msg, p.nr_steps, p.step[0].off, p.step[0].deref,
		   p.step[1].off, p.step[1].deref, p.size, p.cls, p.bits, p.bit_off);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		msg[0] = '\0';
		r = mdb_btf_plan_compile(b, *bad[i].root, NULL, bad[i].path, strlen(bad[i].path),
					 &p, msg, sizeof(msg));
		ok(r < 0 && !strcmp(msg, bad[i].msg), "plan '%s' fails: %s", bad[i].path, msg);
	}
	/* a void pointer cannot be followed */
	{
		struct bw w;
		struct mdb_btf *v;
		u32 vp, s;

		bw_init(&w, NULL);
		vp = t_ref(&w, MDB_BTF_PTR, NULL, 0);
		s = ty(&w, MDB_BTF_STRUCT, "s", 1, false, 8);
		mem(&w, "priv", vp, 0, 0);
		v = open_bw(&w, NULL, 24, 0, msg, &r);
		r = mdb_btf_plan_compile(v, s, NULL, "priv.x", 6, &p, msg, sizeof(msg));
		ok(r == -EINVAL && !strcmp(msg, "'priv' is a void pointer: cast it first"), "%s", msg);
		mdb_btf_close(v);
		bw_free(&w);
	}
	r = mdb_btf_plan_compile(b, T.outer, NULL, "a", 1, &p, NULL, 0);
	ok(r == 0, "a plan without a message buffer");
	{
		char longpath[300];

		memset(longpath, 'x', sizeof(longpath));
		r = mdb_btf_plan_compile(b, T.outer, NULL, longpath, 300, &p, msg, sizeof(msg));
	}
	ok(r == -E2BIG && !strcmp(msg, "path longer than 256 bytes"), "%s", msg);
}

static void test_funcs(const struct mdb_btf *b)
{
	struct mdb_btf_func f;
	const char *name;
	char msg[MDB_BTF_MSG_MAX];
	u32 type;
	int r;

	r = mdb_btf_func(b, T.myfunc, &f);
	ok(!r && f.proto == T.proto && f.ret == T.int_ && f.nr_params == 3 && !f.variadic,
	   "myfunc: %u parameters, returns %s", f.nr_params, tstr(b, f.ret));
	ok(!mdb_btf_param(b, f.proto, 1, &name, &type) && !strcmp(name, "buf") && type == T.charp,
	   "parameter 1 is 'buf' (%s)", tstr(b, type));
	ok(mdb_btf_param_find(b, T.myfunc, "count", 5, NULL, 0) == 2, "parameter 'count' is 2");
	r = mdb_btf_param_find(b, T.myfunc, "cnt", 3, msg, sizeof(msg));
	ok(r == -ENOENT && !strcmp(msg, "myfunc has no parameter 'cnt' (parameters: file, buf, count)"),
	   "%s", msg);
	r = mdb_btf_func(b, T.myprintf, &f);
	ok(!r && f.nr_params == 1 && f.variadic && f.ret == 0, "myprintf: 1 parameter and ...");
	ok(mdb_btf_func(b, T.proto, &f) == -EINVAL, "a FUNC_PROTO is not a FUNC");
	r = mdb_btf_param_find(b, T.int_, "x", 1, msg, sizeof(msg));
	ok(r == -EINVAL, "%s", msg);
}

static void test_raw(const struct mdb_btf *b)
{
	struct mdb_btf_int it;
	const char *name;
	s64 v;
	u32 e, n;

	ok(!mdb_btf_int(b, T.bits5, &it) && it.bits == 5 && it.offset == 3 &&
	   it.encoding == MDB_BTF_INT_SIGNED && it.size == 4, "INT: encoding, offset, bits");
	ok(!mdb_btf_enum_val(b, T.color, 2, &name, &v) && !strcmp(name, "BLUE") && v == -1,
	   "signed ENUM value -1");
	ok(!mdb_btf_enum_val(b, T.big, 1, &name, &v) && !strcmp(name, "HUGE") && v == 0x123456789LL,
	   "ENUM64 value 0x123456789");
	ok(!mdb_btf_array(b, T.char16, &e, &n) && e == T.chr && n == 16, "ARRAY: elem, nelems");
	ok(mdb_btf_kind(b, T.dtag2) == MDB_BTF_DECL_TAG && mdb_btf_ref(b, T.dtag2) == T.myfunc &&
	   mdb_btf_kind(b, T.datasec) == MDB_BTF_DATASEC && mdb_btf_kind(b, T.myvar) == MDB_BTF_VAR &&
	   mdb_btf_kind(b, T.dbl) == MDB_BTF_FLOAT && mdb_btf_kind(b, T.tag) == MDB_BTF_TYPE_TAG &&
	   !strcmp(mdb_btf_name(b, T.tag), "user"), "DECL_TAG, DATASEC, VAR, FLOAT, TYPE_TAG");
	ok(mdb_btf_kflag(b, T.outer) && !mdb_btf_kflag(b, T.kf0) && mdb_btf_vlen(b, T.outer) == 11,
	   "kflag and vlen");
}

static void test_format(const struct mdb_btf *b)
{
	u8 d[96];
	char out[1024];
	int n;
	u64 p = 0xffff888012345678ULL;

	memset(d, 0, sizeof(d));
	d[0] = 7;				/* a = 7 */
	d[4] = 5 | 9 << 3;			/* flags = 5, mode = 9 */
	d[8] = 1;				/* u = 0x200000001: lo 1, hi 2 */
	d[12] = 2;
	memcpy(d + 16, "hi \"x\"\n", 7);	/* name */
	memcpy(d + 32, &p, 8);			/* p */
	d[40] = 0xff; d[41] = 0xff; d[42] = 0xff; d[43] = 0xff;	/* in.x = -1 */
	d[44] = 3;				/* in.y = 3 */
	d[48] = 0xff; d[49] = 0xff; d[50] = 0xff; d[51] = 0xff;	/* e = BLUE */
	d[64] = 1; d[68] = 2; d[72] = 3; d[76] = 4;
	d[80] = 0xfe; d[81] = 0xff; d[82] = 0xff; d[83] = 0xff;	/* neg = -2 */
	n = mdb_btf_snprint(b, T.outer, d, 96, 2, 0, out, sizeof(out));
	ok(n == (int)strlen(out) && !strcmp(out,
	   "(struct outer){.a = 7, .flags = 5, .mode = 9, .u = 8589934593, .lo = 1, .hi = 2, "
	   ".name = \"hi \\\"x\\\"\\x0a\", .p = 0xffff888012345678, .in = (struct inner){.x = -1, "
	   ".y = 3}, .e = BLUE, .lp = NULL, .arr = [1, 2, 3, 4], .neg = -2}"),
	   "format: %s", out);
	n = mdb_btf_snprint(b, T.outer, d, 96, 1, MDB_BTF_FMT_SKIP_ZERO | MDB_BTF_FMT_COMPACT,
			    out, sizeof(out));
	ok(!strcmp(out, "(struct outer){.a=7,.flags=5,.mode=9,.u=8589934593,.lo=1,.hi=2,"
	   ".name=\"hi \\\"x\\\"\\x0a\",.p=0xffff888012345678,.in=(struct inner){...},.e=BLUE,"
	   ".arr=[1,2,3,4],.neg=-2}"), "format depth 1, skip zero, compact: %s", out);
	n = mdb_btf_snprint(b, T.outer, d, 20, 2, 0, out, sizeof(out));
	ok(!strcmp(out, "(struct outer){.a = 7, .flags = 5, .mode = 9, .u = 8589934593, .lo = 1, "
	   ".hi = 2, <truncated>}"), "format of 20 bytes: %s", out);
	n = mdb_btf_snprint(b, T.outer, d, 96, 0, 0, out, sizeof(out));
	ok(!strcmp(out, "(struct outer){...}"), "depth 0: %s", out);
	n = mdb_btf_snprint(b, T.outer, d, 96, 2, 0, out, 30);
	ok(n > 29 && strlen(out) == 29 && !strncmp(out, "(struct outer){.a = 7, .flags", 29),
	   "a small buffer: truncated text, wanted %d", n);
	n = mdb_btf_snprint(b, T.kf0, "\xfb\x00\x00\x00", 4, 1, 0, out, sizeof(out));
	ok(!strcmp(out, "(struct kf0){.b3 = 3, .b5 = -1, .rest = 251}"), "kflag=0 bitfields: %s", out);
	n = mdb_btf_snprint(b, T.big, "\x89\x67\x45\x23\x01\0\0\0", 8, 1, 0, out, sizeof(out));
	ok(!strcmp(out, "HUGE"), "ENUM64 by name: %s", out);
	n = mdb_btf_snprint(b, T.color, "\x07\0\0\0", 4, 1, 0, out, sizeof(out));
	ok(!strcmp(out, "7"), "an enum value without a name: %s", out);
	n = mdb_btf_snprint(b, T.char16, "abc", 3, 1, 0, out, sizeof(out));
	ok(!strcmp(out, "\"abc\"<truncated>"), "char array cut short: %s", out);
	n = mdb_btf_snprint(b, T.un, d + 8, 8, 1, 0, out, sizeof(out));
	ok(!strcmp(out, "(union un){.i = 1, .l = 8589934593, .d = (struct dup){...}}"), "union: %s", out);
	n = mdb_btf_snprint(b, T.later_p, d, 4, 1, 0, out, sizeof(out));
	ok(!strcmp(out, "<truncated>"), "a pointer from 4 bytes: %s", out);
	n = mdb_btf_snprint(b, T.fwdonly, d, 4, 1, 0, out, sizeof(out));
	ok(!strcmp(out, "(struct fwdonly){<no definition>}"), "a FWD: %s", out);
	ok(mdb_btf_snprint(b, 999999, d, 4, 1, 0, out, sizeof(out)) == -EINVAL, "a bad id");
	n = mdb_btf_snprint(b, T.dbl, "\0\0\0\0\0\0\xf0\x3f", 8, 1, 0, out, sizeof(out));
	ok(!strcmp(out, "0x3ff0000000000000"), "a float as its bits: %s", out);
	n = mdb_btf_snprint(b, T.outer, d, 96, 99, 0, NULL, 0);
	ok(n > 100, "size 0 buffer: length only (%d)", n);
}

/* ---- broken blobs ---- */

/* A small valid blob to break: int, a struct, a typedef, a pointer. */
static u8 *small_blob(size_t *n)
{
	struct bw w;
	u8 *b;

	bw_init(&w, NULL);
	t_int(&w, "int", 4, MDB_BTF_INT_SIGNED, 0, 32);		/* 1 */
	ty(&w, MDB_BTF_STRUCT, "s", 2, false, 16);		/* 2 */
	mem(&w, "a", 1, 0, 0);
	mem(&w, "p", 4, 64, 0);
	t_ref(&w, MDB_BTF_TYPEDEF, "s_t", 2);			/* 3 */
	t_ref(&w, MDB_BTF_PTR, NULL, 3);			/* 4 */
	b = bw_blob(&w, n, 24, 0);
	bw_free(&w);
	return b;
}

static int try_open(const u8 *blob, size_t n, char *msg)
{
	struct mdb_btf *b = NULL;
	u8 *copy = malloc(n ? n : 1);
	int r;

	memcpy(copy, blob, n);
	msg[0] = '\0';
	r = mdb_btf_open(&b, copy, n, NULL, 0, msg, MDB_BTF_MSG_MAX);
	mdb_btf_close(b);
	free(copy);
	return r;
}

/* A blob of one extra type after int (1), built by a callback. */
static int open_with(void (*add)(struct bw *), char *msg)
{
	struct bw w;
	size_t n;
	u8 *blob;
	int r;

	bw_init(&w, NULL);
	t_int(&w, "int", 4, MDB_BTF_INT_SIGNED, 0, 32);
	add(&w);
	blob = bw_blob(&w, &n, 24, 0);
	r = try_open(blob, n, msg);
	free(blob);
	bw_free(&w);
	return r;
}

static void add_bad_ref(struct bw *w) { t_ref(w, MDB_BTF_PTR, NULL, 7); }
static void add_bad_str(struct bw *w)
{
	w32(w, 1000);
	w32(w, info(MDB_BTF_TYPEDEF, 0, 0));
	w32(w, 1);
}
static void add_loop(struct bw *w)
{
	t_ref(w, MDB_BTF_TYPEDEF, "a", 3);
	t_ref(w, MDB_BTF_CONST, NULL, 2);
}
static void add_ptr_cycle(struct bw *w) { t_ref(w, MDB_BTF_PTR, NULL, 2); }
static void add_array_loop(struct bw *w) { t_array(w, 3, 1, 2); t_ref(w, MDB_BTF_TYPEDEF, "t", 2); }
static void add_unknown(struct bw *w) { ty(w, 25, "x", 0, false, 0); }
static void add_kind0(struct bw *w) { ty(w, 0, "x", 0, false, 0); }
static void add_huge_vlen(struct bw *w) { ty(w, MDB_BTF_STRUCT, "s", 0xffff, false, 4); }
static void add_member_out(struct bw *w)
{
	ty(w, MDB_BTF_STRUCT, "s", 1, false, 4);
	mem(w, "a", 1, 8, 0);
}
static void add_bitfield_out(struct bw *w)
{
	ty(w, MDB_BTF_STRUCT, "s", 1, true, 4);
	mem(w, "a", 1, 30, 3);
}
static void add_huge_array(struct bw *w) { t_array(w, 1, 1, 0x40000000); }
static void add_func_bad(struct bw *w) { t_ref(w, MDB_BTF_FUNC, "f", 1); }
static void add_tag_bad(struct bw *w)
{
	ty(w, MDB_BTF_STRUCT, "s", 1, false, 4);
	mem(w, "a", 1, 0, 0);
	t_ref(w, MDB_BTF_DECL_TAG, "t", 2);
	w32(w, 1);
}
static void add_bad_int(struct bw *w) { t_int(w, "x", 3, 0, 0, 24); }
static void add_int_bits(struct bw *w) { t_int(w, "x", 4, 0, 30, 8); }
static void add_unnamed_typedef(struct bw *w) { t_ref(w, MDB_BTF_TYPEDEF, NULL, 1); }
static void add_member_void(struct bw *w)
{
	ty(w, MDB_BTF_STRUCT, "s", 1, false, 4);
	mem(w, "a", 0, 0, 0);
}
static void add_ptr_to_func(struct bw *w)
{
	u32 p = ty(w, MDB_BTF_FUNC_PROTO, NULL, 0, false, 0);

	t_ref(w, MDB_BTF_FUNC, "f", p);
	t_ref(w, MDB_BTF_PTR, NULL, p + 1);
}

static void test_broken(void)
{
	static const struct { void (*add)(struct bw *); const char *msg; } t[] = {
		{ add_bad_ref, "type [2] PTR refers to a type id that is out of range or not a type" },
		{ add_bad_str, "type [2] TYPEDEF: string offset past the string section" },
		{ add_loop, "type [2] TYPEDEF: chain of types longer than 32 links (a loop?)" },
		{ add_ptr_cycle, "type [2] PTR: chain of types longer than 32 links (a loop?)" },
		{ add_array_loop, "type [2] ARRAY: chain of types longer than 32 links (a loop?)" },
		{ add_unknown, "BTF: type [2] has unknown kind 25" },
		{ add_kind0, "BTF: type [2] has unknown kind 0" },
		{ add_huge_vlen, "BTF: type [2] STRUCT with vlen 65535 runs past the type section" },
		{ add_member_out, "type [2] STRUCT: member 0 is not byte-aligned or lies outside the struct" },
		{ add_bitfield_out, "type [2] STRUCT: bitfield member 0 outside the struct" },
		{ add_huge_array, "type [2] ARRAY: larger than 4 GiB" },
		{ add_func_bad, "type [2] FUNC: type [1] is not a FUNC_PROTO" },
		{ add_tag_bad, "type [3] DECL_TAG: component 1 does not exist" },
		{ add_bad_int, "type [2] INT: size 3 is not 1, 2, 4, 8 or 16" },
		{ add_int_bits, "type [2] INT: bad encoding word 0x001e0008" },
		{ add_unnamed_typedef, "type [2] TYPEDEF has no name" },
		{ add_member_void, "type [2] STRUCT refers to a type id that is out of range or not a type" },
		{ add_ptr_to_func, "type [4] PTR refers to a type id that is out of range or not a type" },
	};
	char msg[MDB_BTF_MSG_MAX], expect[128];
	size_t n, i, bad = 0;
	u8 *blob = small_blob(&n), *c = malloc(n + 8);
	int r;

	ok(try_open(blob, n, msg) == 0, "the small blob opens (%zu bytes)", n);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		r = open_with(t[i].add, msg);
		ok(r < 0 && !strcmp(msg, t[i].msg), "refused (%d): %s", r, msg);
	}
#define BROKEN(what, expect) do {						\
		r = try_open(c, n, msg);					\
		ok(r < 0 && !strcmp(msg, expect), "%s refused: %s", what, msg);	\
		memcpy(c, blob, n);						\
	} while (0)
	memcpy(c, blob, n);
	c[0] = 0;
	BROKEN("bad magic", "BTF: bad magic 0xeb00");
	c[0] = 0xeb; c[1] = 0x9f;
	BROKEN("other byte order", "BTF: of the other byte order");
	c[2] = 2;
	BROKEN("version 2", "BTF: version 2 flags 0, only version 1 flags 0 is known");
	set_hdr(c, 0, 20);
	BROKEN("hdr_len 20", "BTF: header length 20 out of range");
	set_hdr(c, 0, n + 1);
	snprintf(expect, sizeof(expect), "BTF: header length %zu out of range", n + 1);
	BROKEN("hdr_len past the blob", expect);
	set_hdr(c, 2, hdr(blob, 2) + n);
	snprintf(expect, sizeof(expect), "BTF: type section ends past the blob (%zu > %zu)",
		 24 + hdr(blob, 2) + n, n);
	BROKEN("type section past the end", expect);
	set_hdr(c, 4, hdr(blob, 4) + 1);
	snprintf(expect, sizeof(expect), "BTF: string section ends past the blob (%zu > %zu)",
		 n + 1, n);
	BROKEN("string section past the end", expect);
	set_hdr(c, 3, hdr(blob, 3) - 4);
	BROKEN("overlapping sections", "BTF: type and string sections overlap");
	set_hdr(c, 1, 2);
	set_hdr(c, 2, hdr(blob, 2) - 4);
	BROKEN("misaligned types", "BTF: type section not 4-byte aligned");
	c[n - 1] = 'x';
	BROKEN("strings without a final NUL", "BTF: string section does not end with a NUL");
	c[24 + hdr(blob, 3)] = 'x';
	BROKEN("strings without the empty string", "BTF: string section must start with an empty string");
	set_hdr(c, 2, hdr(blob, 2) - 4);
	BROKEN("a record cut in half", "BTF: truncated type record at byte 64");
	/* every truncation, and every single-byte change, of the small blob */
	for (i = 0; i < n; i++)
		bad += try_open(blob, i, msg) == 0;
	ok(!bad, "all %zu truncations are refused", n);
	for (i = 0, bad = 0; i < n * 8; i++) {
		struct mdb_btf *b = NULL;
		struct mdb_btf_plan p;
		char out[256];

		memcpy(c, blob, n);
		c[i / 8] ^= 1 << (i % 8);
		if (mdb_btf_open(&b, c, n, NULL, MDB_BTF_BORROW, msg, sizeof(msg)))
			continue;
		bad++;
		/* whatever opened must answer without a bad read */
		mdb_btf_plan_compile(b, 2, NULL, "p.p.a", 5, &p, msg, sizeof(msg));
		mdb_btf_snprint(b, 2, c, n, 5, 0, out, sizeof(out));
		mdb_btf_type_str(b, 4, out, sizeof(out));
		find(b, "struct s");
		mdb_btf_close(b);
	}
	ok(1, "every one-bit flip of the small blob: %zu of %zu still open, all answer safely",
	   bad, n * 8);
	free(c);
	free(blob);
}

static void test_hdr_len(void)
{
	struct bw w;
	struct mdb_btf *b;
	char msg[MDB_BTF_MSG_MAX];
	int r;

	bw_init(&w, NULL);
	t_int(&w, "int", 4, MDB_BTF_INT_SIGNED, 0, 32);
	t_ref(&w, MDB_BTF_TYPEDEF, "myint", 1);
	b = open_bw(&w, NULL, 40, 0, msg, &r);
	ok(b && find(b, "myint") == 2, "a 40-byte header (zero tail) is honoured");
	mdb_btf_close(b);
	b = open_bw(&w, NULL, 36, 0xff, msg, &r);
	ok(b && find(b, "myint") == 2, "a 36-byte header with unknown fields set opens too");
	mdb_btf_close(b);
	bw_free(&w);
}

static void test_split(struct mdb_btf *base, struct bw *bw)
{
	struct bw w;
	struct mdb_btf *s, *s2;
	struct mdb_btf_plan p;
	struct mdb_btf_stats st;
	struct mdb_btf_member m;
	char msg[MDB_BTF_MSG_MAX], out[256];
	u32 mod, modp, fdef, fwdp, fn, mdup, ids[8];
	size_t n;
	u8 *blob;
	int r;

	bw_init(&w, bw);
	mod = w.next_id;
	fwdp = mod + 1;
	fdef = mod + 2;
	ty(&w, MDB_BTF_STRUCT, "modstate", 3, false, 24);
	mem(&w, "l", T.later_p, 0, 0);
	mem(&w, "f", fwdp, 64, 0);
	mem(&w, "o", T.int_, 128, 0);
	t_ref(&w, MDB_BTF_PTR, NULL, T.fwdonly);
	ty(&w, MDB_BTF_STRUCT, "fwdonly", 1, false, 4);
	mem(&w, "z", T.int_, 0, 0);
	modp = t_ref(&w, MDB_BTF_PTR, NULL, mod);
	fn = ty(&w, MDB_BTF_FUNC_PROTO, NULL, 1, false, 0);
	two(&w, "m", modp);
	fn = t_ref(&w, MDB_BTF_FUNC, "mod_fn", fn);
	mdup = ty(&w, MDB_BTF_STRUCT, "dup", 1, false, 4);
	/* its member is named with a string of the base: "v" of struct later */
	w32(&w, base_str(bw, "v"));
	w32(&w, T.int_);
	w32(&w, 0);
	s = open_bw(&w, base, 24, 0, msg, &r);
	ok(s != NULL, "split BTF opens on its base (%d %s)", r, msg);
	if (!s) {
		bw_free(&w);
		return;
	}
	mdb_btf_stats(s, &st);
	ok(st.nr_types == w.next_id && st.own_types == w.next_id - T.lastid - 1,
	   "split ids continue the base's: %u types, %u own", st.nr_types, st.own_types);
	ok(find(s, "struct modstate") == (int)mod && find(base, "struct modstate") < 0,
	   "the split's types are found through the split only");
	ok(find(s, "struct outer") == (int)T.outer && find(s, "unsigned long") == (int)T.ulong,
	   "base types are found through the split");
	ok(find(s, "struct modstate *") == (int)modp, "pointer to a split type");
	ok(find(base, "struct fwdonly") == (int)T.fwdonly && find(s, "struct fwdonly") == (int)fdef,
	   "a definition in the split beats the base's FWD");
	ok(mdb_btf_resolve(s, T.fwdonly) == fdef && mdb_btf_resolve(base, T.fwdonly) == T.fwdonly,
	   "the base's FWD resolves through the split's handle");
	ok(find(s, "struct dup") == (int)mdup && mdb_btf_find_all(s, "struct dup", 10, ids, 8) == 5 &&
	   ids[0] == mdup, "a tie between split and base: the split's own wins");
	r = mdb_btf_plan_compile(s, mod, NULL, "f.z", 3, &p, msg, sizeof(msg));
	ok(!r && p.nr_steps == 2 && p.step[0].off == 8 && p.step[0].deref && p.size == 4,
	   "plan through a base FWD into the split's definition: %s", msg);
	r = mdb_btf_plan_compile(s, mod, NULL, "l.v", 3, &p, msg, sizeof(msg));
	ok(!r && p.nr_steps == 2 && p.cls == MDB_BTF_C_INT, "plan into base types");
	ok(mdb_btf_find_func(s, "mod_fn", 6, NULL, 0) == (int)fn &&
	   !strcmp(tstr(s, fn), "void mod_fn(struct modstate *)"), "split FUNC: %s", tstr(s, fn));
	ok(!strcmp(mdb_btf_name(s, T.later), "later") && !strcmp(mdb_btf_name(s, mod), "modstate") &&
	   !mdb_btf_member_find(s, mdup, "v", 1, &m, NULL, 0), "names from both string sections");
	mdb_btf_snprint(s, mod, "\0\0\0\0\0\0\0\0\x10\0\0\0\0\0\0\0\x05\0\0\0\0\0\0\0", 24, 2, 0,
			out, sizeof(out));
	ok(!strcmp(out, "(struct modstate){.l = NULL, .f = 0x10, .o = 5}"), "format: %s", out);
	ok(mdb_btf_open(&s2, "x", 1, s, 0, msg, sizeof(msg)) == -EINVAL &&
	   !strcmp(msg, "BTF: a split BTF goes on top of a base, not of another split"), "%s", msg);
	/* a split's id or string offset past its own end */
	blob = bw_blob(&w, &n, 24, 0);
	memcpy(blob + 24 + 4 * 3 + 4, &w.next_id, 4);	/* member l's type */
	ok(mdb_btf_open(&s2, blob, n, base, 0, msg, sizeof(msg)) == -EINVAL,
	   "split with an id past its end: %s", msg);
	memcpy(blob + 24 + 4 * 3 + 4, &T.int_, 4);
	r = w.str_base + w.ns;
	memcpy(blob + 24 + 4 * 3, &r, 4);		/* member l's name */
	ok(mdb_btf_open(&s2, blob, n, base, 0, msg, sizeof(msg)) == -EINVAL,
	   "split with a string past its end: %s", msg);
	free(blob);
	mdb_btf_close(s);
	bw_free(&w);
}

/* ---- real kernels ---- */

static u8 *read_file(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 1 << 20, len = 0, got;
	u8 *b;

	if (!f)
		return NULL;
	b = malloc(cap);
	while ((got = fread(b + len, 1, cap - len, f)) > 0) {
		len += got;
		if (len == cap)
			b = realloc(b, cap *= 2);
	}
	fclose(f);
	b = realloc(b, len ? len : 1);	/* exactly its size, for ASan */
	*n = len;
	return b;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void test_real(const char *path)
{
	struct mdb_btf *b = NULL;
	struct mdb_btf_stats st;
	struct mdb_btf_plan p;
	struct mdb_btf_member m;
	struct mdb_btf_func f;
	char msg[MDB_BTF_MSG_MAX];
	const char *pn[4], *want[4] = { "file", "buf", "count", "pos" };
	u32 size, i, t, dentry, name_off;
	double t0;
	size_t n;
	u8 *blob = read_file(path, &n);
	int r, id, fn;

	if (!blob || !n) {
		skip(path);
		free(blob);
		return;
	}
	t0 = now_ms();
	r = mdb_btf_open(&b, blob, n, NULL, 0, msg, sizeof(msg));
	ok(!r, "%s opens: %s", path, msg);
	if (r) {
		free(blob);
		return;
	}
	mdb_btf_stats(b, &st);
	diag("%s: %zu bytes, %u types, %u names, open %.1f ms (sanitized build), "
	     "%.2f MiB allocated (%.2f MiB index), max probe %u, longest chain %u", path, n,
	     st.nr_types, st.named, now_ms() - t0, st.mem / 1048576.0,
	     (st.mem - n) / 1048576.0, st.max_probe, st.max_chain);
	id = find(b, "struct file");
	r = mdb_btf_plan_compile(b, id, NULL, "f_path.dentry.d_name.name", 25, &p, msg,
				 sizeof(msg));
	dentry = 0;
	if (!mdb_btf_member_find(b, id, "f_path", 6, &m, NULL, 0)) {
		t = m.bit_off / 8;
		if (!mdb_btf_member_find(b, m.type, "dentry", 6, &m, NULL, 0))
			dentry = t + m.bit_off / 8;
	}
	name_off = 0;
	t = find(b, "struct dentry");
	if (!mdb_btf_member_find(b, t, "d_name", 6, &m, NULL, 0)) {
		i = m.bit_off / 8;
		if (!mdb_btf_member_find(b, m.type, "name", 4, &m, NULL, 0))
			name_off = i + m.bit_off / 8;
	}
	ok(!r && p.nr_steps == 2 && p.step[0].deref && !p.step[1].deref &&
	   p.step[0].off == dentry && p.step[1].off == name_off && p.cls == MDB_BTF_C_PTR &&
	   p.size == 8 && !strcmp(tstr(b, p.type), "const unsigned char *"),
	   "struct file f_path.dentry.d_name.name: {%u, deref} {%u} -> %s",
	   p.step[0].off, p.step[1].off, tstr(b, p.type));
	id = find(b, "struct task_struct");
	r = mdb_btf_plan_compile(b, id, NULL, "pid", 3, &p, msg, sizeof(msg));
	ok(!r && p.size == 4 && p.is_signed && p.cls == MDB_BTF_C_INT &&
	   !strcmp(tstr(b, p.type), "pid_t"), "task_struct.pid is %s", tstr(b, p.type));
	r = mdb_btf_plan_compile(b, id, NULL, "comm", 4, &p, msg, sizeof(msg));
	ok(!r && p.size == 16 && p.cls == MDB_BTF_C_CHAR_ARRAY && !strcmp(tstr(b, p.type), "char[16]"),
	   "task_struct.comm is %s", tstr(b, p.type));
	fn = mdb_btf_find_func(b, "vfs_read", 8, msg, sizeof(msg));
	r = mdb_btf_func(b, fn, &f);
	for (i = 0; !r && i < 4 && i < f.nr_params; i++)
		mdb_btf_param(b, f.proto, i, &pn[i], &t);
	ok(!r && f.nr_params == 4 && !strcmp(pn[0], want[0]) && !strcmp(pn[1], want[1]) &&
	   !strcmp(pn[2], want[2]) && !strcmp(pn[3], want[3]), "%s", tstr(b, fn));
	r = mdb_btf_param_find(b, fn, "cnt", 3, msg, sizeof(msg));
	ok(r == -ENOENT &&
	   !strcmp(msg, "vfs_read has no parameter 'cnt' (parameters: file, buf, count, pos)"),
	   "%s", msg);
	r = mdb_btf_plan_compile(b, find(b, "struct file"), "file", "f_pth", 5, &p, msg,
				 sizeof(msg));
	ok(r == -ENOENT && !strcmp(msg, "struct file has no field 'f_pth' (did you mean 'f_path'?)"),
	   "%s", msg);
	r = mdb_btf_find_type(b, "struct filee", 12, msg, sizeof(msg));
	ok(r == -ENOENT && !strcmp(msg, "no type 'struct filee'"), "%s", msg);
	r = mdb_btf_plan_compile(b, find(b, "struct inode"), NULL, "i_mode", 6, &p, msg,
				 sizeof(msg));
	ok(!r && p.size == 2 && !p.is_signed, "struct inode has i_mode (%s)", tstr(b, p.type));
	ok(!mdb_btf_sizeof(b, find(b, "struct list_head"), &size) && size == 16,
	   "struct list_head is %u bytes", size);
	r = mdb_btf_plan_compile(b, find(b, "struct file *"), NULL, "f_path.dentry.d_name.len", 24, &p,
				 msg, sizeof(msg));
	ok(!r && p.nr_steps == 2 && p.step[0].off == dentry && p.size == 4,
	   "from a struct file * value: {%u, deref} {%u}", p.step[0].off, p.step[1].off);
	{
		/* count.x where count is size_t, from vfs_read's parameter */
		mdb_btf_param(b, f.proto, 2, &pn[0], &t);
		r = mdb_btf_plan_compile(b, t, pn[0], "x", 1, &p, msg, sizeof(msg));
		ok(r == -EINVAL && !strcmp(msg, "'count' is not a struct or union (it is size_t)"),
		   "%s", msg);
	}
	{
		/* every named struct formats, from zeros, without a bad read */
		static u8 zero[65536];
		static char out[4096];
		u32 nr = mdb_btf_nr_types(b), done = 0;

		t0 = now_ms();
		for (i = 1; i < nr; i++) {
			if (mdb_btf_kind(b, i) != MDB_BTF_STRUCT)
				continue;
			mdb_btf_snprint(b, i, zero, sizeof(zero), 3, 0, out, sizeof(out));
			done++;
		}
		ok(done > 1000, "formatted all %u structs at depth 3 in %.0f ms", done, now_ms() - t0);
	}
	mdb_btf_close(b);
	free(blob);
}

/* ---- seeds for fuzz_btf: test_btf --corpus DIR ---- */

static void write_seed(const char *dir, const char *name, u8 mode, const struct bw *w, u32 hdr_len)
{
	char path[512];
	size_t n;
	u8 *blob = bw_blob(w, &n, hdr_len, 0);
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(&mode, 1, 1, f) != 1 || fwrite(blob, 1, n, f) != n) {
		perror(path);
		exit(1);
	}
	fclose(f);
	free(blob);
}

static int write_corpus(const char *dir)
{
	struct bw w, fb, sp;
	u32 id;

	build_base(&w);
	write_seed(dir, "every-kind", 0, &w, 24);
	write_seed(dir, "every-kind-hdr32", 2, &w, 32);
	bw_free(&w);
	/* fuzz_btf's fixed base, then a module on top of it */
	bw_init(&fb, NULL);
	t_int(&fb, "int", 4, MDB_BTF_INT_SIGNED, 0, 32);
	ty(&fb, MDB_BTF_STRUCT, "s", 2, false, 16);
	mem(&fb, "a", 1, 0, 0);
	mem(&fb, "p", 4, 64, 0);
	t_ref(&fb, MDB_BTF_TYPEDEF, "s_t", 2);
	t_ref(&fb, MDB_BTF_PTR, NULL, 3);
	write_seed(dir, "small", 0, &fb, 24);
	bw_init(&sp, &fb);
	id = sp.next_id;
	ty(&sp, MDB_BTF_STRUCT, "mod", 4, true, 24);
	mem(&sp, "sp", 4, 0, 0);
	mem(&sp, "b", 1, 64, 0);
	mem(&sp, "bits", 1, 96, 5);
	mem(&sp, "f", id + 2, 128, 0);
	t_ref(&sp, MDB_BTF_FWD, "s", 0);
	t_ref(&sp, MDB_BTF_PTR, NULL, id + 1);
	ty(&sp, MDB_BTF_ENUM, "e", 2, false, 4);
	two(&sp, "E0", 0);
	two(&sp, "E1", 1);
	t_ref(&sp, MDB_BTF_PTR, NULL, id);
	ty(&sp, MDB_BTF_FUNC_PROTO, NULL, 2, false, 1);
	two(&sp, "m", id + 5);
	two(&sp, "n", 1);
	t_ref(&sp, MDB_BTF_FUNC, "mod_fn", id + 6);
	write_seed(dir, "split", 1, &sp, 24);
	bw_free(&sp);
	bw_free(&fb);
	return 0;
}

int main(int argc, char **argv)
{
	struct bw w;
	struct mdb_btf *b;
	char msg[MDB_BTF_MSG_MAX];
	glob_t g;
	size_t i;
	int r;

	if (argc == 3 && !strcmp(argv[1], "--corpus"))
		return write_corpus(argv[2]);
	build_base(&w);
	b = open_bw(&w, NULL, 24, 0, msg, &r);
	ok(b != NULL, "the synthetic blob with every kind opens (%d %s)", r, msg);
	if (!b) {
		printf("1..%u\n", t_num);
		return 1;
	}
	test_find(b);
	test_sizes_names(b);
	test_members(b);
	test_plans(b);
	test_funcs(b);
	test_raw(b);
	test_format(b);
	test_split(b, &w);
	mdb_btf_close(b);
	bw_free(&w);
	test_broken();
	test_hdr_len();
	test_real("/sys/kernel/btf/vmlinux");
	for (r = 1; r < argc; r++)	/* more blobs, e.g. from scripts/extract-btf */
		test_real(argv[r]);
	if (!glob("../../deps/kernels/*/vmlinux.btf", 0, NULL, &g)) {
		for (i = 0; i < g.gl_pathc; i++)
			test_real(g.gl_pathv[i]);
		globfree(&g);
	} else {
		skip("no deps/kernels/*/vmlinux.btf");
	}
	printf("1..%u\n", t_num);
	return t_failed ? 1 : 0;
}
