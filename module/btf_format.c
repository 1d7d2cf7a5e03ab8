// SPDX-License-Identifier: GPL-2.0
/*
 * btf_format.c - BTF types and values as text
 *
 * mdb_btf_type_str() names a type the way C writes it ("const char *",
 * "char (*)[16]", "ssize_t (*)(struct file *, char *, size_t, loff_t *)")
 * for mdb.typeof and for the plan compiler's messages, so it may run in
 * NMI: no recursion (a declarator is built in a small double-ended buffer,
 * and a function pointer's return and parameter types are rendered flat by
 * the same loop: a function pointer among parameters prints as "fn *"),
 * no allocation, frames under 512 bytes.
 *
 * mdb_btf_snprint() prints a value, like the kernel's bpf_snprintf_btf():
 * "(struct T){.a = 1, .b = (struct U){...}, .c = "text", .p = 0xffff...}".
 * It runs in process context only: it recurses, one level per nested
 * struct, union or array, at most MDB_BTF_FMT_DEPTH_MAX structs deep and
 * FMT_LEVEL_MAX levels in all, and stops as soon as the output is full, so
 * a huge array costs no more than the buffer it fills.
 */
#include "btf.h"

#define DQ_SIZE		128	/* a declarator: "*", "(*)[16]", "* const *" */
/*
 * Nesting of any kind in the formatter (struct, array, anonymous member):
 * with value() and members() about 300 bytes a level on x86-64, 12
 * levels stay under 4 KiB of stack.
 */
#define FMT_LEVEL_MAX	12

/* Output that counts what it would have written, like snprintf. */
struct out {
	char *buf;
	size_t len, pos;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->pos < o->len) {
		size_t room = o->len - 1 - o->pos;

		memcpy(o->buf + o->pos, s, n < room ? n : room);
	}
	o->pos += n;
}

static void puts_(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

static void finish(struct out *o)
{
	if (o->len)
		o->buf[o->pos < o->len ? o->pos : o->len - 1] = '\0';
}

/* A declarator grows at both ends: "*" in front, "[16]" behind. */
struct dq {
	char b[DQ_SIZE];
	u32 lo, hi;
	bool lost;
};

static void dq_init(struct dq *d)
{
	d->lo = d->hi = DQ_SIZE / 2;
	d->lost = false;
}

static void dq_front(struct dq *d, const char *s)
{
	u32 n = strlen(s);

	if (n > d->lo) {
		d->lost = true;
		return;
	}
	d->lo -= n;
	memcpy(d->b + d->lo, s, n);
}

static void dq_back(struct dq *d, const char *s)
{
	u32 n = strlen(s);

	if (d->hi + n > DQ_SIZE) {
		d->lost = true;
		return;
	}
	memcpy(d->b + d->hi, s, n);
	d->hi += n;
}

static void put_quals(struct out *o, unsigned int q)
{
	if (q & 1)
		puts_(o, "const ");
	if (q & 2)
		puts_(o, "volatile ");
	if (q & 4)
		puts_(o, "restrict ");
}

/*
 * Writes id as C text, except for a function prototype at the end of its
 * chain: then it writes nothing and returns the FUNC_PROTO's id, leaving
 * the declarator in d for the caller (so that the caller, not this
 * function, renders the return and parameter types). In @flat mode a
 * prototype prints as "fn" instead.
 */
static u32 render(const struct mdb_btf *btf, u32 id, struct out *o, struct dq *d, bool flat)
{
	unsigned int quals = 0;
	const char *name, *tag;
	char num[16];
	int n, k;

	dq_init(d);
	for (n = 0; n <= MDB_BTF_DEPTH; n++) {
		k = mdb_btf_kind(btf, id);
		switch (k) {
		case MDB_BTF_CONST:
			quals |= 1;
			id = mdb_btf_ref(btf, id);
			continue;
		case MDB_BTF_VOLATILE:
			quals |= 2;
			id = mdb_btf_ref(btf, id);
			continue;
		case MDB_BTF_RESTRICT:
			quals |= 4;
			id = mdb_btf_ref(btf, id);
			continue;
		case MDB_BTF_TYPE_TAG:
		case MDB_BTF_VAR:
			id = mdb_btf_ref(btf, id);
			continue;
		case MDB_BTF_PTR:
			/* qualifiers of the pointer itself: "char * const" */
			if (quals && d->hi > d->lo)
				dq_front(d, " ");
			if (quals & 4)
				dq_front(d, " restrict");
			if (quals & 2)
				dq_front(d, " volatile");
			if (quals & 1)
				dq_front(d, " const");
			dq_front(d, "*");
			quals = 0;
			id = mdb_btf_ref(btf, id);
			continue;
		case MDB_BTF_ARRAY: {
			u32 elem, nelems;

			mdb_btf_array(btf, id, &elem, &nelems);
			if (d->hi > d->lo && d->b[d->lo] == '*') {
				dq_front(d, "(");
				dq_back(d, ")");
			}
			snprintf(num, sizeof(num), "[%u]", nelems);
			dq_back(d, num);
			id = elem;
			continue;
		}
		case MDB_BTF_FUNC:
			/* "ssize_t vfs_read(struct file *, ...)" */
			dq_front(d, mdb_btf_name(btf, id));
			id = mdb_btf_ref(btf, id);
			continue;
		case MDB_BTF_FUNC_PROTO:
			if (!flat && d->hi > d->lo && d->b[d->lo] == '*') {
				dq_front(d, "(");
				dq_back(d, ")");
			}
			if (!flat)
				return id;
			puts_(o, "fn");
			goto declarator;
		}
		break;
	}
	put_quals(o, quals);
	name = mdb_btf_name(btf, id);
	tag = NULL;
	switch (n > MDB_BTF_DEPTH ? -1 : mdb_btf_kind(btf, id)) {
	case MDB_BTF_UNKN:
		name = "void";
		break;
	case MDB_BTF_STRUCT:
		tag = "struct ";
		break;
	case MDB_BTF_UNION:
		tag = "union ";
		break;
	case MDB_BTF_ENUM:
	case MDB_BTF_ENUM64:
		tag = "enum ";
		break;
	case MDB_BTF_FWD:
		tag = mdb_btf_kflag(btf, id) ? "union " : "struct ";
		break;
	case MDB_BTF_INT: case MDB_BTF_FLOAT: case MDB_BTF_TYPEDEF:
	case MDB_BTF_DATASEC: case MDB_BTF_DECL_TAG:
		break;
	default:
		name = "?";
	}
	if (tag)
		puts_(o, tag);
	puts_(o, *name ? name : "{...}");
declarator:
	if (d->hi > d->lo && d->b[d->lo] != '[' && d->b[d->lo] != '(')
		put(o, " ", 1);
	else if (d->hi > d->lo && d->b[d->lo] == '(')
		put(o, " ", 1);
	put(o, d->b + d->lo, d->hi - d->lo);
	if (d->lost)
		puts_(o, "...");
	return 0;
}

int mdb_btf_type_str(const struct mdb_btf *btf, u32 id, char *buf, size_t len)
{
	struct out o = { buf, len, 0 };
	struct dq d, tmp;
	const char *pname;
	u32 proto, i, vlen, t;

	proto = render(btf, id, &o, &d, false);
	if (proto) {
		/* RET DECL(PARAMS): the declarator waits in d */
		render(btf, mdb_btf_ref(btf, proto), &o, &tmp, true);
		put(&o, " ", 1);
		put(&o, d.b + d.lo, d.hi - d.lo);
		put(&o, "(", 1);
		vlen = mdb_btf_vlen(btf, proto);
		for (i = 0; i < vlen; i++) {
			if (i)
				put(&o, ", ", 2);
			mdb_btf_param(btf, proto, i, &pname, &t);
			if (!t && i == vlen - 1)
				put(&o, "...", 3);
			else
				render(btf, t, &o, &tmp, true);
		}
		if (!vlen)
			puts_(&o, "void");
		put(&o, ")", 1);
	}
	finish(&o);
	return o.pos;
}

/* ---- values ---- */

struct fmt {
	const struct mdb_btf *btf;
	struct out o;
	unsigned int flags, depth;
	bool stop;		/* the output is full: do no more work */
};

static bool full(struct fmt *f)
{
	if (f->o.len && f->o.pos >= f->o.len - 1)
		f->stop = true;
	return f->stop;
}

static void put_u64(struct fmt *f, u64 v, bool hex)
{
	char b[24];
	int n = snprintf(b, sizeof(b), hex ? "0x%llx" : "%llu", (unsigned long long)v);

	put(&f->o, b, n);
}

static void put_s64(struct fmt *f, s64 v)
{
	char b[24];
	int n = snprintf(b, sizeof(b), "%lld", (long long)v);

	put(&f->o, b, n);
}

/* Little-endian load of up to 8 bytes. */
static u64 load(const u8 *p, u32 size)
{
	u64 v = 0;
	u32 i;

	for (i = 0; i < size && i < 8; i++)
		v |= (u64)p[i] << (8 * i);
	return v;
}

/*
 * The integer at data: @size bytes, or, when @bits, bits [bitpos, bitpos +
 * bits) of the bytes that hold them. False when they lie past @avail.
 */
static bool load_int(const u8 *data, size_t avail, u32 size, u32 bitpos, u32 bits,
		     bool sign, u64 *v)
{
	u32 first, nbytes;
	u64 raw;

	if (!bits) {
		if (size > avail)
			return false;
		raw = load(data, size);
		bits = size >= 8 ? 64 : size * 8;
		bitpos = 0;
	} else {
		if (bits > 64)
			bits = 64;
		first = bitpos / 8;
		nbytes = (bitpos % 8 + bits + 7) / 8;
		if ((u64)first + nbytes > avail)
			return false;
		raw = load(data + first, nbytes > 8 ? 8 : nbytes);
		bitpos %= 8;
		raw >>= bitpos;
		if (nbytes > 8)	/* 64 bits starting mid-byte: the ninth byte */
			raw |= (u64)data[first + 8] << (64 - bitpos);
	}
	if (bits < 64) {
		raw &= (1ULL << bits) - 1;
		if (sign && (raw >> (bits - 1)))
			raw |= ~0ULL << bits;
	}
	*v = raw;
	return true;
}

static bool all_zero(const u8 *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

static void value(struct fmt *f, u32 id, const u8 *data, size_t avail, u32 bitpos, u32 bits,
		  unsigned int level, unsigned int nest);

static void put_string(struct fmt *f, const u8 *s, size_t n)
{
	char esc[8];
	size_t i;

	put(&f->o, "\"", 1);
	for (i = 0; i < n && s[i] && !full(f); i++) {
		if (s[i] == '"' || s[i] == '\\') {
			esc[0] = '\\';
			esc[1] = s[i];
			put(&f->o, esc, 2);
		} else if (s[i] >= 0x20 && s[i] < 0x7f) {
			put(&f->o, (const char *)s + i, 1);
		} else {
			put(&f->o, esc, snprintf(esc, sizeof(esc), "\\x%02x", s[i]));
		}
	}
	put(&f->o, "\"", 1);
}

/* The members of struct/union t, anonymous ones flattened into the same braces. */
static void members(struct fmt *f, u32 t, const u8 *data, size_t avail, bool *first,
		    unsigned int level, unsigned int nest)
{
	const char *sep = f->flags & MDB_BTF_FMT_COMPACT ? "," : ", ";
	const char *eq = f->flags & MDB_BTF_FMT_COMPACT ? "=" : " = ";
	struct mdb_btf_member m;
	u32 i, mt, size;
	u64 v, end;

	for (i = 0; !mdb_btf_member(f->btf, t, i, &m) && !full(f); i++) {
		mt = mdb_btf_resolve(f->btf, m.type);
		if (m.bits) {
			end = ((u64)m.bit_off + m.bits + 7) / 8;
		} else {
			if (mdb_btf_sizeof(f->btf, m.type, &size))
				size = 0;	/* flexible array, or nothing to print */
			end = (u64)m.bit_off / 8 + size;
		}
		if (!*m.name && !m.bits && level < FMT_LEVEL_MAX &&
		    (mdb_btf_kind(f->btf, mt) == MDB_BTF_STRUCT ||
		     mdb_btf_kind(f->btf, mt) == MDB_BTF_UNION)) {
			members(f, mt, data + (m.bit_off / 8 <= avail ? m.bit_off / 8 : avail),
				m.bit_off / 8 <= avail ? avail - m.bit_off / 8 : 0, first,
				level + 1, nest);
			continue;
		}
		if (end > avail) {
			if (!*first)
				puts_(&f->o, sep);
			puts_(&f->o, "<truncated>");
			f->stop = true;	/* nothing later can be there either */
			return;
		}
		if (f->flags & MDB_BTF_FMT_SKIP_ZERO) {
			if (m.bits ? load_int(data, avail, 0, m.bit_off, m.bits, false, &v) && !v :
				     all_zero(data + m.bit_off / 8, size))
				continue;
		}
		if (!*first)
			puts_(&f->o, sep);
		*first = false;
		put(&f->o, ".", 1);
		puts_(&f->o, *m.name ? m.name : "?");
		puts_(&f->o, eq);
		if (m.bits)
			value(f, m.type, data, avail, m.bit_off, m.bits, level + 1, nest);
		else
			value(f, m.type, data + m.bit_off / 8, avail - m.bit_off / 8, 0, 0,
			      level + 1, nest);
	}
}

static void array(struct fmt *f, u32 t, const u8 *data, size_t avail, unsigned int level,
		  unsigned int nest)
{
	u32 elem, n, esize, i;

	mdb_btf_array(f->btf, t, &elem, &n);
	if (mdb_btf_sizeof(f->btf, elem, &esize) || !esize) {
		puts_(&f->o, "[]");
		return;
	}
	if (mdb_btf_class(f->btf, elem) == MDB_BTF_C_CHAR) {
		put_string(f, data, (u64)n * esize <= avail ? n : avail);
		if ((u64)n * esize > avail && !memchr(data, 0, avail))
			puts_(&f->o, "<truncated>");
		return;
	}
	put(&f->o, "[", 1);
	for (i = 0; i < n && !full(f); i++) {
		if (i)
			puts_(&f->o, f->flags & MDB_BTF_FMT_COMPACT ? "," : ", ");
		if ((u64)(i + 1) * esize > avail) {
			puts_(&f->o, "<truncated>");
			break;
		}
		value(f, elem, data + (size_t)i * esize, avail - (size_t)i * esize, 0, 0,
		      level + 1, nest);
	}
	put(&f->o, "]", 1);
}

static void value(struct fmt *f, u32 id, const u8 *data, size_t avail, u32 bitpos, u32 bits,
		  unsigned int level, unsigned int nest)
{
	u32 t = mdb_btf_resolve(f->btf, id), i, size;
	int kind = mdb_btf_kind(f->btf, t);
	struct mdb_btf_int it;
	const char *name;
	bool first = true;
	size_t room;
	s64 ev;
	u64 v;

	if (level > FMT_LEVEL_MAX || full(f)) {
		puts_(&f->o, "...");
		return;
	}
	switch (kind) {
	case MDB_BTF_INT:
		mdb_btf_int(f->btf, t, &it);
		if (!bits && (it.offset || it.bits != it.size * 8)) {
			bitpos = it.offset;	/* a kflag=0 bitfield's INT on its own */
			bits = it.bits;
		}
		if (it.size == 16 && !bits) {
			if (avail < 16)
				goto truncated;
			put(&f->o, "0x", 2);
			put_u64(f, load(data + 8, 8), true);
			put_u64(f, load(data, 8), true);
			return;
		}
		if (!load_int(data, avail, it.size, bitpos, bits, it.encoding & MDB_BTF_INT_SIGNED, &v))
			goto truncated;
		if (it.encoding & MDB_BTF_INT_BOOL)
			puts_(&f->o, v ? "true" : "false");
		else if (it.encoding & MDB_BTF_INT_SIGNED)
			put_s64(f, (s64)v);
		else
			put_u64(f, v, false);
		return;
	case MDB_BTF_ENUM:
	case MDB_BTF_ENUM64:
		if (!load_int(data, avail, mdb_btf_ref(f->btf, t), bitpos, bits,
			      mdb_btf_kflag(f->btf, t), &v))
			goto truncated;
		for (i = 0; !mdb_btf_enum_val(f->btf, t, i, &name, &ev); i++) {
			if ((u64)ev == v || (kind == MDB_BTF_ENUM && !mdb_btf_kflag(f->btf, t) &&
					     (u32)ev == v)) {
				puts_(&f->o, name);
				return;
			}
		}
		if (mdb_btf_kflag(f->btf, t))
			put_s64(f, (s64)v);
		else
			put_u64(f, v, false);
		return;
	case MDB_BTF_PTR:
		if (avail < 8)
			goto truncated;
		v = load(data, 8);
		if (v)
			put_u64(f, v, true);
		else
			puts_(&f->o, "NULL");
		return;
	case MDB_BTF_FLOAT:
		size = mdb_btf_ref(f->btf, t);
		if (size > avail)
			goto truncated;
		put_u64(f, load(data, size), true);
		return;
	case MDB_BTF_ARRAY:
		array(f, t, data, avail, level, nest);
		return;
	case MDB_BTF_STRUCT:
	case MDB_BTF_UNION:
	case MDB_BTF_FWD:
		/* the type's name straight into the output: no copy on the stack */
		put(&f->o, "(", 1);
		room = f->o.pos < f->o.len ? f->o.len - f->o.pos : 0;
		f->o.pos += mdb_btf_type_str(f->btf, t, room ? f->o.buf + f->o.pos : NULL, room);
		put(&f->o, ")", 1);
		if (kind == MDB_BTF_FWD) {
			puts_(&f->o, "{<no definition>}");
		} else if (nest >= f->depth) {
			puts_(&f->o, "{...}");
		} else {
			put(&f->o, "{", 1);
			members(f, t, data, avail, &first, level, nest + 1);
			put(&f->o, "}", 1);
		}
		return;
	}
	puts_(&f->o, "?");
	return;
truncated:
	puts_(&f->o, "<truncated>");
}

int mdb_btf_snprint(const struct mdb_btf *btf, u32 id, const void *data, size_t data_len,
		    unsigned int depth, unsigned int flags, char *buf, size_t len)
{
	struct fmt f = { btf, { buf, len, 0 }, flags, depth, false };

	if (id && mdb_btf_kind(btf, id) < 0)
		return -EINVAL;
	if (f.depth > MDB_BTF_FMT_DEPTH_MAX)
		f.depth = MDB_BTF_FMT_DEPTH_MAX;
	value(&f, id, data, data ? data_len : 0, 0, 0, 0, 0);
	finish(&f.o);
	return f.o.pos;
}
