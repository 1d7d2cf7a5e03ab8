// SPDX-License-Identifier: GPL-2.0
/*
 * `break LOC args`: the probed function's arguments in the log line
 * (btfargs.h). The spec is made in process context; the hit only copies
 * registers, stack slots and short strings with the nofault copies; the
 * reader looks the names and types up in BTF again and formats them.
 */
#include <linux/kernel.h>
#include <linux/kallsyms.h>
#include <linux/mm.h>
#include <linux/uaccess.h>
#include <asm/ptrace.h>
#include "mdb.h"
#include "btfidx.h"
#include "btfargs.h"
#include "nofault.h"

/* Is @type a pointer to a 1-byte char-like integer? */
static bool mdb_args_is_str(const struct mdb_btf *b, u32 type)
{
	u32 t = mdb_btf_strip(b, type);

	if (mdb_btf_kind(b, t) != MDB_BTF_PTR)
		return false;
	return mdb_btf_class(b, mdb_btf_ref(b, t)) == MDB_BTF_C_CHAR;
}

/*
 * The BTF function of the function that starts at @addr (or just after its
 * ENDBR64): its handle number and description, or -errno with @err, whose
 * text starts with @what ("args", "ret").
 */
static int mdb_btf_func_at(unsigned long addr, const char *what, unsigned int *nrp,
			   struct mdb_btf_func *f, char *err, size_t errlen)
{
	char sym[KSYM_SYMBOL_LEN], *plus, *slash, *mod;
	unsigned long off = 0;
	const struct mdb_btf *b;
	unsigned int nr = MDB_BTF_VMLINUX;
	int id;
	u32 insn;

	sprint_symbol(sym, addr);
	plus = strchr(sym, '+');
	slash = plus ? strchr(plus, '/') : NULL;
	if (!slash) {
		scnprintf(err, errlen, "%s: no function at 0x%lx", what, addr);
		return -EINVAL;
	}
	*slash = '\0';
	mod = strchr(slash + 1, '[');
	if (kstrtoul(plus + 1, 0, &off))
		off = ~0UL;
	*plus = '\0';
	if (off == 4 && !copy_from_kernel_nofault(&insn, (void *)(addr - 4), 4) &&
	    insn == MDB_ENDBR64)
		off = 0;
	if (off) {
		scnprintf(err, errlen, "%s: %s+0x%lx is not the entry of %s: arguments are known only at a function's first instruction",
			  what, sym, off, sym);
		return -EINVAL;
	}
	if (mod) {
		char *end = strchr(++mod, ']');

		if (end)
			*end = '\0';
		nr = mdb_btf_module_nr(mod, strlen(mod));
		if (!nr) {
			scnprintf(err, errlen, "%s: module %s has no BTF (built without it)",
				  what, mod);
			return -ENOENT;
		}
	}
	b = mdb_btf_handle(nr);
	if (!b) {
		scnprintf(err, errlen, "%s: no BTF: %s", what, mdb_btfidx_why());
		return -ENOENT;
	}
	id = mdb_btf_find_func(b, sym, strlen(sym), err, errlen);
	if (id < 0 || mdb_btf_func(b, id, f)) {
		char why[96];

		strscpy(why, err, sizeof(why));
		scnprintf(err, errlen, "%s: %s has no BTF (%s)", what, sym, why);
		return -ENOENT;
	}
	*nrp = nr;
	return 0;
}

int mdb_ret_type(unsigned long addr, int *size)
{
	struct mdb_btf_func f;
	const struct mdb_btf *b;
	unsigned int nr;
	struct mdb_btf_int in;
	char err[8];
	u32 t, sz = 8;

	*size = 8;
	if (mdb_btf_func_at(addr, "ret", &nr, &f, err, sizeof(err)))
		return MDB_RET_RAW;
	b = mdb_btf_handle(nr);
	if (!f.ret)
		return MDB_RET_VOID;
	mdb_btf_sizeof(b, f.ret, &sz);
	*size = sz > 8 ? 8 : sz;
	t = mdb_btf_resolve(b, f.ret);
	switch (mdb_btf_class(b, t)) {
	case MDB_BTF_C_BOOL:
		return MDB_RET_BOOL;
	case MDB_BTF_C_PTR:
		return MDB_RET_PTR;
	default:
		break;
	}
	switch (mdb_btf_kind(b, t)) {
	case MDB_BTF_INT:
		return !mdb_btf_int(b, t, &in) && (in.encoding & MDB_BTF_INT_SIGNED) ?
		       MDB_RET_SIGNED : MDB_RET_UNSIGNED;
	case MDB_BTF_ENUM:
	case MDB_BTF_ENUM64:
		return mdb_btf_kflag(b, t) ? MDB_RET_SIGNED : MDB_RET_UNSIGNED;
	}
	return MDB_RET_RAW;	/* a struct returned in registers: its first 8 bytes */
}

int mdb_args_prepare(unsigned long addr, struct mdb_args_spec *spec, char *err, size_t errlen)
{
	const struct mdb_btf *b;
	struct mdb_btf_func f;
	unsigned int nr;
	int id, i, regs = 0, stack = 0, ret;

	memset(spec, 0, sizeof(*spec));
	ret = mdb_btf_func_at(addr, "args", &nr, &f, err, errlen);
	if (ret)
		return ret;
	b = mdb_btf_handle(nr);
	id = f.func;
	spec->func = id;
	spec->nr = nr;
	spec->gen = mdb_btfidx_gen();
	spec->n = min_t(u32, f.nr_params, MDB_ARGS_MAX);
	spec->more = f.nr_params > MDB_ARGS_MAX || f.variadic;
	for (i = 0; i < spec->n; i++) {
		const char *name;
		u32 type, size = 8, words;

		mdb_btf_param(b, f.proto, i, &name, &type);
		mdb_btf_sizeof(b, type, &size);
		words = (size + 7) / 8;
		if (words == 1 && regs < 6) {
			spec->slot[i] = regs++;
		} else if (words == 2 && regs + 2 <= 6) {
			spec->slot[i] = regs;	/* the low half: printed as raw bits */
			regs += 2;
		} else {
			spec->slot[i] = 6 + stack;
			stack += words;
		}
		if (mdb_args_is_str(b, type))
			spec->str_mask |= 1U << i;
	}
	return 0;
}

size_t mdb_args_rec_size(const struct mdb_args_spec *spec)
{
	return sizeof(struct mdb_args_rec) + hweight8(spec->str_mask) * MDB_ARGS_STR;
}

/* Runs in NMI context: copies only. */
void mdb_args_fetch(const struct mdb_args_spec *spec, const struct pt_regs *regs,
		    struct mdb_args_rec *rec)
{
	const unsigned long r[6] = { regs->di, regs->si, regs->dx, regs->cx, regs->r8, regs->r9 };
	int i, s = 0;

	rec->spec = *spec;
	for (i = 0; i < spec->n; i++) {
		u64 v = 0;

		if (spec->slot[i] < 6)
			v = r[spec->slot[i]];
		else if (!mdb_read_nofault(&v, regs->sp + 8 + 8 * (spec->slot[i] - 6), 8))
			v = 0;
		rec->val[i] = v;
		if (spec->str_mask & (1U << i)) {
			char *d = rec->str[s++];
			size_t n = min_t(size_t, MDB_ARGS_STR - 2, PAGE_SIZE - offset_in_page(v));

			memset(d, 0, MDB_ARGS_STR);
			/* kernel strings only: a user pointer prints as its value */
			if (v >= TASK_SIZE_MAX && !copy_from_kernel_nofault(d + 1, (void *)v, n))
				d[0] = 1;
		}
	}
	for (; i < MDB_ARGS_MAX; i++)
		rec->val[i] = 0;
}

/* "text" with C escapes, from @s (up to NUL or @n bytes) */
static size_t mdb_args_quote(char *o, size_t size, const char *s, size_t n)
{
	size_t k = 0, i;

	k += scnprintf(o + k, size - k, "\"");
	for (i = 0; i < n && s[i]; i++) {
		unsigned char c = s[i];

		if (c == '"' || c == '\\')
			k += scnprintf(o + k, size - k, "\\%c", c);
		else if (c >= 0x20 && c < 0x7f)
			k += scnprintf(o + k, size - k, "%c", c);
		else
			k += scnprintf(o + k, size - k, "\\x%02x", c);
	}
	k += scnprintf(o + k, size - k, i == n ? "\"..." : "\"");
	return k;
}

size_t mdb_args_format(char *s, size_t size, const struct mdb_args_rec *rec)
{
	const struct mdb_args_spec *spec = &rec->spec;
	const struct mdb_btf *b = mdb_btf_handle(spec->nr);
	struct mdb_btf_func f;
	size_t k;
	int i, str = 0;

	if (!b || (spec->nr != MDB_BTF_VMLINUX && spec->gen != mdb_btfidx_gen()) ||
	    mdb_btf_func(b, spec->func, &f))
		return scnprintf(s, size, " args: (the function's BTF is gone)");
	k = scnprintf(s, size, " args:");
	for (i = 0; i < spec->n; i++) {
		const char *name = "";
		u32 type = 0, size_b = 8;
		u64 v = rec->val[i];
		struct mdb_btf_int in;
		u32 t;

		if (i < spec->skip)
			continue;
		mdb_btf_param(b, f.proto, i, &name, &type);
		mdb_btf_sizeof(b, type, &size_b);
		k += scnprintf(s + k, size - k, " %s=", name[0] ? name : "?");
		if (spec->str_mask & (1U << i)) {
			const char *d = rec->str[str++];

			if (d[0] && v)
				k += mdb_args_quote(s + k, size - k, d + 1, MDB_ARGS_STR - 2);
			else
				k += scnprintf(s + k, size - k, "0x%llx", v);
			continue;
		}
		if (size_b < 8)
			v &= (1ULL << (size_b * 8)) - 1;
		switch (mdb_btf_class(b, type)) {
		case MDB_BTF_C_INT:
		case MDB_BTF_C_CHAR:
		case MDB_BTF_C_ENUM:
			t = mdb_btf_resolve(b, type);
			if ((mdb_btf_kind(b, t) == MDB_BTF_INT && !mdb_btf_int(b, t, &in) &&
			     (in.encoding & MDB_BTF_INT_SIGNED)) ||
			    ((mdb_btf_kind(b, t) == MDB_BTF_ENUM || mdb_btf_kind(b, t) == MDB_BTF_ENUM64) &&
			     mdb_btf_kflag(b, t))) {
				if (size_b < 8 && (v & (1ULL << (size_b * 8 - 1))))
					v |= ~0ULL << (size_b * 8);
				k += scnprintf(s + k, size - k, "%lld", (s64)v);
			} else {
				k += scnprintf(s + k, size - k, "%llu", v);
			}
			break;
		case MDB_BTF_C_BOOL:
			k += scnprintf(s + k, size - k, "%s", v ? "true" : "false");
			break;
		default:
			k += scnprintf(s + k, size - k, "0x%llx", v);
		}
	}
	if (spec->more)
		k += scnprintf(s + k, size - k, " ...");
	return k;
}
