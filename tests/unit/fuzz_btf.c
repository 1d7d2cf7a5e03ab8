// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_btf.c - libFuzzer target for the BTF reader (module/btf*.c)
 *
 * The first byte picks the mode: bit 0 clear, the rest of the input is a
 * base blob (vmlinux); set, it is a split blob (a module) on top of a
 * small fixed base: int [1], struct s { int a; s_t *p; } [2], typedef
 * s_t [3], s_t * [4], with the strings "", "int", "s", "a", "p", "s_t".
 * The blob is copied into a buffer of exactly its size (ASan sees any
 * over-read); bit 1 of the first byte borrows it instead of copying.
 *
 * When a blob opens, every lookup must answer without a bad read, a hang
 * or a sanitizer report: find-type on fixed names and on the blob's own
 * names, members (with hints), plans over the first members of each
 * struct, function parameters, type names, and the formatter over the
 * input bytes themselves. Results are checked for consistency where that
 * is cheap (lengths, NUL termination, plan shape).
 *
 *   make -C tests/unit fuzz_btf
 *   build/unit/fuzz_btf -max_total_time=600 tests/unit/btf-corpus
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_IDS	256		/* types exercised per input: keeps each run fast */

static const u32 base_types[] = {
	1, 0x01000000, 4, 0x01000020,			/* [1] int */
	5, 0x04000002, 16, 7, 1, 0, 9, 4, 64,		/* [2] struct s { int a; s_t *p; } */
	11, 0x08000000, 2,				/* [3] typedef struct s s_t */
	0, 0x02000000, 3,				/* [4] s_t * */
};
static const char base_strs[] = "\0int\0s\0a\0p\0s_t";

static struct mdb_btf *fixed_base(void)
{
	static struct mdb_btf *base;
	static u8 blob[24 + sizeof(base_types) + sizeof(base_strs)];
	u32 h[5] = { 24, 0, sizeof(base_types), sizeof(base_types), sizeof(base_strs) };
	char msg[MDB_BTF_MSG_MAX];

	if (base)
		return base;
	blob[0] = 0x9f;
	blob[1] = 0xeb;
	blob[2] = 1;
	memcpy(blob + 4, h, sizeof(h));
	memcpy(blob + 24, base_types, sizeof(base_types));
	memcpy(blob + 24 + sizeof(base_types), base_strs, sizeof(base_strs));
	if (mdb_btf_open(&base, blob, sizeof(blob), NULL, 0, msg, sizeof(msg))) {
		fprintf(stderr, "fixed base refused: %s\n", msg);
		abort();
	}
	return base;
}

static void check_msg(const char *msg)
{
	if (strlen(msg) >= MDB_BTF_MSG_MAX)
		abort();
}

static void exercise_struct(const struct mdb_btf *b, u32 id, const u8 *data, size_t size)
{
	static const char * const paths[] = {
		"a", "p", "p.a", "p->p->p->a", "[1]", "[0].a", "a[2]", "x.y", "..", "p[3].p",
		"p.p.p.p.p.p.p.p.p.a", "[4294967295][4294967295].a",
	};
	struct mdb_btf_member m;
	struct mdb_btf_plan plan;
	char msg[MDB_BTF_MSG_MAX], hint[64], path[160];
	u32 i, j;
	int r;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		r = mdb_btf_plan_compile(b, id, i & 1 ? "arg" : NULL, paths[i], strlen(paths[i]),
					 &plan, msg, sizeof(msg));
		check_msg(msg);
		if (!r && (plan.nr_steps < 1 || plan.nr_steps > MDB_BTF_PLAN_STEPS ||
			   plan.step[plan.nr_steps - 1].deref || plan.cls >= MDB_BTF_C_NR ||
			   (plan.bits && plan.bit_off + plan.bits > plan.size * 8)))
			abort();
		if (r && !msg[0])
			abort();
	}
	/* the first members by name, and two levels of them */
	for (i = 0; i < 4 && !mdb_btf_member(b, id, i, &m); i++) {
		const char *n1 = m.name;
		u32 t1 = m.type;

		if (mdb_btf_member_find(b, id, n1, strlen(n1), &m, hint, sizeof(hint)) && *n1)
			;	/* an earlier member of the same name may shadow: fine */
		for (j = 0; j < 3 && !mdb_btf_member(b, mdb_btf_resolve(b, t1), j, &m); j++) {
			snprintf(path, sizeof(path), "%.60s.%.60s", n1, m.name);
			mdb_btf_plan_compile(b, id, NULL, path, strlen(path), &plan, msg,
					     sizeof(msg));
			check_msg(msg);
		}
		/* a near miss, for the hint */
		snprintf(path, sizeof(path), "%.60sx", n1);
		mdb_btf_member_find(b, id, path, strlen(path), &m, hint, sizeof(hint));
		if (strlen(hint) >= sizeof(hint))
			abort();
	}
	(void)data;
	(void)size;
}

static void exercise(const struct mdb_btf *b, const u8 *data, size_t size)
{
	static const char * const names[] = {
		"int", "struct s", "struct s *", "s_t", "s_t **", "unsigned long", "const char *",
		"char", "void", "void *", "union u", "enum e", "struct", "long long unsigned",
	};
	static char out[2048];
	char msg[MDB_BTF_MSG_MAX], q[160];
	struct mdb_btf_func f;
	u32 id, nr = mdb_btf_nr_types(b), ids[4], sz, t;
	const char *name;
	int r, n, k;

	for (id = 0; id < sizeof(names) / sizeof(names[0]); id++) {
		r = mdb_btf_find_type(b, names[id], strlen(names[id]), msg, sizeof(msg));
		check_msg(msg);
		if (r >= 0 && (u32)r >= nr)
			abort();
	}
	for (id = nr > MAX_IDS ? nr - MAX_IDS : 1; id < nr; id++) {
		k = mdb_btf_kind(b, id);
		if (k < 0 || k >= MDB_BTF_KIND_NR)
			abort();
		name = mdb_btf_name(b, id);
		n = mdb_btf_type_str(b, id, out, sizeof(out));
		if (n < 0 || strlen(out) != ((size_t)n < sizeof(out) ? (size_t)n : sizeof(out) - 1))
			abort();
		mdb_btf_sizeof(b, id, &sz);
		mdb_btf_strip(b, id);
		mdb_btf_resolve(b, id);
		mdb_btf_class(b, id);
		snprintf(q, sizeof(q), "%s%.120s *", k == MDB_BTF_STRUCT ? "struct " :
			 k == MDB_BTF_UNION ? "union " : k == MDB_BTF_ENUM ? "enum " : "", name);
		mdb_btf_find_type(b, q, strlen(q), msg, sizeof(msg));
		mdb_btf_find_all(b, q, strlen(q) - 2, ids, 4);
		/* the whole input as the object, then a prefix of it: truncation */
		n = mdb_btf_snprint(b, id, data, size, 3, id & 3, out, sizeof(out));
		if (n >= 0 && strlen(out) != ((size_t)n < sizeof(out) ? (size_t)n : sizeof(out) - 1))
			abort();
		n = mdb_btf_snprint(b, id, data, id * 7 % (size + 1), 9, 0, out, 64 + id % 64);
		if (n >= 0 && strlen(out) != ((size_t)n < 64 + id % 64 ? (size_t)n : 63 + id % 64))
			abort();
		if (k == MDB_BTF_STRUCT || k == MDB_BTF_UNION || k == MDB_BTF_PTR ||
		    k == MDB_BTF_TYPEDEF)
			exercise_struct(b, id, data, size);
		if (k == MDB_BTF_FUNC && !mdb_btf_func(b, id, &f)) {
			mdb_btf_find_func(b, name, strlen(name), msg, sizeof(msg));
			if (f.nr_params && !mdb_btf_param(b, f.proto, 0, &name, &t))
				mdb_btf_param_find(b, id, name, strlen(name), msg, sizeof(msg));
			mdb_btf_param_find(b, id, "nope", 4, msg, sizeof(msg));
			check_msg(msg);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mdb_btf *b = NULL, *base = NULL;
	char msg[MDB_BTF_MSG_MAX];
	unsigned int mode;
	u8 *blob;
	int r;

	if (!size)
		return 0;
	mode = data[0];
	data++;
	size--;
	if (mode & 1)
		base = fixed_base();
	/* malloc gives 16-byte alignment: BORROW really borrows */
	blob = malloc(size ? size : 1);
	memcpy(blob, data, size);
	r = mdb_btf_open(&b, blob, size, base, mode & 2 ? MDB_BTF_BORROW : 0, msg, sizeof(msg));
	check_msg(msg);
	if (r) {
		if (b || !msg[0])
			abort();
	} else {
		struct mdb_btf_stats st;

		mdb_btf_stats(b, &st);
		if (st.nr_types != mdb_btf_nr_types(b) || st.max_chain > MDB_BTF_DEPTH)
			abort();
		exercise(b, blob, size);
		mdb_btf_close(b);
	}
	free(blob);
	return 0;
}
