// SPDX-License-Identifier: GPL-2.0
/*
 * mdb_dis text: one instruction (mdb_dis_format) or one listing line
 * (mdb_dis_line), with Zydis's formatter and hooks of ours.
 *
 * Text format, chosen to read like `objdump -d` and to be compared with it
 * mechanically (module/zydis/test/compare.sh):
 *   - AT&T by default, Intel on request (objdump -M intel);
 *   - prefixes and mnemonic padded to 6 columns, then one space, then the
 *     operands separated by "," without a space: "mov    %rdi,%rax";
 *   - GNU mnemonics where Zydis names differ: je/jne/ja/jae/jg/jge (and the
 *     same condition names for setcc and cmovcc), pushf/popf, sysretq/
 *     sysretl, sysexitq/sysexitl, lret/retf, vmgexit; in AT&T also movzbl/movzwl/movsbl/
 *     movslq..., cltq, cqto, cltd, cwtl, cwtd, cbtw, nopw/nopl (the long
 *     nops without their register operand), and the size suffix of a lone
 *     memory operand (incl, negq, shll);
 *   - AT&T: "*" before an indirect branch target, no "$0x1," for the
 *     shift-by-one forms;
 *   - prefixes the instruction ignores printed as objdump does ("cs",
 *     "data16", "rex.WB"), before the effective ones;
 *   - immediates as unsigned hex of the operand size ($0xfffffffffffffff8),
 *     displacements signed (-0x8(%rbp)), no zero padding, lower case;
 *     Intel: every memory operand sized, upper case ("QWORD PTR [rax]");
 *   - direct branch targets as objdump prints them: "ffffffff81234567
 *     <vfs_read+0x10>" (no "+0x0" at a symbol's start), symbolised with
 *     sprint_symbol() (size and module dropped);
 *   - %rip-relative operands stay relative ("0x1234(%rip)") and the line
 *     ends with objdump's comment "        # ffffffff82345678 <jiffies>".
 * Undecodable bytes give "(bad)" and a length of 1, as in objdump.
 * Remaining differences with objdump are operand details (objdump prints
 * "0x0(%rax,%rax,1)" where Zydis omits a zero displacement, string
 * operands), "xchg %ax,%ax" for the nop 66 90, and x87 memory-size
 * suffixes (objdump "fildl", here "fild").
 *
 * Context: any, NMI included: the state is in the caller's per-CPU slot
 * (mdb_dis_decode.c, the layer below; mdb_dis_format_init(), process
 * context, is called by mdb_dis_init() in mdb_dis.c, the layer above). sprint_symbol() may run in NMI (the kernel's own NMI
 * backtraces print %pS) but takes stack: measured under 1.1 KiB in all
 * below the caller; from the 8 KiB #DB stack call these only on a stack of
 * mdb's own (the per-CPU script stack).
 */
#include <linux/kernel.h>
#include <linux/ctype.h>
#include <linux/err.h>
#include <linux/kallsyms.h>
#include <linux/string.h>

#include "mdb_dis_zydis.h"

/* Objdump's mnemonic column width. */
#define MDB_DIS_MNEMONIC_COL	6

static ZydisFormatter mdb_fmt_att, mdb_fmt_intel;
/* Zydis's own printers our hooks wrap. */
static ZydisFormatterFunc mdb_att_mnemonic, mdb_intel_mnemonic, mdb_intel_typecast;
static ZydisFormatterFunc mdb_att_prefixes, mdb_intel_prefixes;
static ZydisFormatterFunc mdb_att_segment;

/*
 * Zydis formats into a plain string, not its token list: in 4.0 a hook's
 * ZYDIS_STATUS_SKIP_TOKEN restores a token list by emptying the token
 * before the skipped operand (the mnemonic, in AT&T), and token lists
 * ignore the letter case of typecasts. The objdump layout is made after
 * the fact from where the mnemonic ended (recorded by the mnemonic hook).
 */

/*
 * Append a C string to a Zydis formatter string, truncated to what fits.
 * vector.size counts the NUL, capacity is the most it may reach (the rule
 * of Zydis's own ZydisStringAppendShort()).
 */
static ZyanStatus mdb_dis_zappend(ZyanString *str, const char *text)
{
	size_t n = min(strlen(text), str->vector.capacity - str->vector.size);
	char *dst = (char *)str->vector.data + str->vector.size - 1;

	memcpy(dst, text, n);
	dst[n] = '\0';
	str->vector.size += n;
	return ZYAN_STATUS_SUCCESS;
}

/*
 * sprint_symbol() of @addr into s->sym, reduced to "sym+0xoff" (size and
 * module dropped); with @objdump, "sym" alone at offset 0, as objdump
 * prints branch targets. False when no symbol covers @addr.
 */
static bool mdb_dis_symbol(struct mdb_dis_slot *s, unsigned long addr,
			   bool objdump)
{
	char *p;

	sprint_symbol(s->sym, addr);
	if (!strncmp(s->sym, "0x", 2))
		return false;
	p = strchr(s->sym, '/');
	if (p)
		*p = '\0';
	p = strchr(s->sym, ' ');
	if (p)
		*p = '\0';
	if (objdump) {
		p = strrchr(s->sym, '+');
		if (p && !strcmp(p, "+0x0"))
			*p = '\0';
	}
	return true;
}

/*
 * ZYDIS_FORMATTER_FUNC_PRINT_ADDRESS_ABS: relative branch targets as
 * objdump prints them, "ffffffff81234567 <sym+0xoff>"; absolute memory
 * operands (%gs:0x1234, moffs) as plain hex. %rip-relative operands never
 * get here (FORCE_RELATIVE_RIPREL): __mdb_dis_format() adds their comment.
 */
static ZyanStatus mdb_dis_print_address(const ZydisFormatter *f,
					ZydisFormatterBuffer *buf,
					ZydisFormatterContext *ctx)
{
	struct mdb_dis_slot *s = ctx->user_data;
	bool branch = ctx->operand->type == ZYDIS_OPERAND_TYPE_IMMEDIATE;
	ZyanString *str;
	ZyanU64 a;

	ZYAN_CHECK(ZydisCalcAbsoluteAddress(ctx->instruction, ctx->operand,
					    ctx->runtime_address, &a));
	ZYAN_CHECK(ZydisFormatterBufferGetString(buf, &str));
	snprintf(s->num, sizeof(s->num), branch ? "%llx" : "0x%llx",
		 (unsigned long long)a);
	ZYAN_CHECK(mdb_dis_zappend(str, s->num));
	if (!branch || !mdb_dis_symbol(s, a, true))
		return ZYAN_STATUS_SUCCESS;
	ZYAN_CHECK(mdb_dis_zappend(str, " <"));
	ZYAN_CHECK(mdb_dis_zappend(str, s->sym));
	return mdb_dis_zappend(str, ">");
}

/*
 * ZYDIS_FORMATTER_FUNC_PRE_OPERAND, for operands as objdump prints them:
 *   - the long nops (0f 1f /0 and the rest of the 0f 18-1f hint space)
 *     have a register operand objdump does not print: "nopl 0x0(%rax)";
 *   - AT&T: an indirect call/jmp target gets its "*" ("call *%rax",
 *     "jmp *0x8(%rax)"), which Zydis 4.0 leaves out;
 *   - AT&T: the implicit 1 of the d0/d1 shifts is not printed ("shr %rdx").
 */
static ZyanStatus mdb_dis_pre_operand(const ZydisFormatter *f,
				      ZydisFormatterBuffer *buf,
				      ZydisFormatterContext *ctx)
{
	const ZydisDecodedInstruction *in = ctx->instruction;
	const ZydisDecodedOperand *op = ctx->operand;
	ZyanString *str;

	if (in->mnemonic == ZYDIS_MNEMONIC_NOP && op != &ctx->operands[0])
		return ZYDIS_STATUS_SKIP_TOKEN;
	if (f != &mdb_fmt_att)
		return ZYAN_STATUS_SUCCESS;
	if (op->type == ZYDIS_OPERAND_TYPE_IMMEDIATE &&
	    op->visibility == ZYDIS_OPERAND_VISIBILITY_IMPLICIT &&
	    (in->meta.category == ZYDIS_CATEGORY_SHIFT ||
	     in->meta.category == ZYDIS_CATEGORY_ROTATE))
		return ZYDIS_STATUS_SKIP_TOKEN;
	if ((in->mnemonic == ZYDIS_MNEMONIC_CALL || in->mnemonic == ZYDIS_MNEMONIC_JMP) &&
	    (op->type == ZYDIS_OPERAND_TYPE_REGISTER ||
	     op->type == ZYDIS_OPERAND_TYPE_MEMORY)) {
		ZYAN_CHECK(ZydisFormatterBufferGetString(buf, &str));
		return mdb_dis_zappend(str, "*");
	}
	return ZYAN_STATUS_SUCCESS;
}

/*
 * ZYDIS_FORMATTER_FUNC_PRINT_SEGMENT (AT&T): the segment is the first thing
 * of a memory operand. Zydis then leaves out a displacement of 0, but an
 * encoded one (disp8 0, as %r13 and %rbp bases need) is printed by
 * objdump: "mov 0x0(%r13),%edx". Put it in after the segment.
 */
static ZyanStatus mdb_dis_print_segment(const ZydisFormatter *f,
					ZydisFormatterBuffer *buf,
					ZydisFormatterContext *ctx)
{
	const ZydisDecodedOperand *op = ctx->operand;
	ZyanString *str;

	ZYAN_CHECK(mdb_att_segment(f, buf, ctx));
	if (op->type != ZYDIS_OPERAND_TYPE_MEMORY || !op->mem.disp.has_displacement ||
	    op->mem.disp.value || op->mem.base == ZYDIS_REGISTER_RIP ||
	    op->mem.base == ZYDIS_REGISTER_EIP ||
	    (op->mem.base == ZYDIS_REGISTER_NONE && op->mem.index == ZYDIS_REGISTER_NONE))
		return ZYAN_STATUS_SUCCESS;
	ZYAN_CHECK(ZydisFormatterBufferGetString(buf, &str));
	return mdb_dis_zappend(str, "0x0");
}

/* Zydis condition suffixes and the GNU names objdump uses for them. */
static const char *const mdb_dis_cond[][2] = {
	{ "z", "e" }, { "nz", "ne" }, { "nb", "ae" }, { "nbe", "a" },
	{ "nl", "ge" }, { "nle", "g" },
};

/* An operand size as a GNU AT&T suffix letter, 0 for none. */
static char mdb_dis_size_suffix(u16 bits)
{
	switch (bits) {
	case 8: return 'b';
	case 16: return 'w';
	case 32: return 'l';
	case 64: return 'q';
	default: return 0;
	}
}

static bool mdb_dis_has_prefix(const ZydisDecodedInstruction *in, u8 value)
{
	int i;

	for (i = 0; i < in->raw.prefix_count; i++)
		if (in->raw.prefixes[i].value == value)
			return true;
	return false;
}

/* jcc/setcc/cmovcc with objdump's condition name, into @out. */
static bool mdb_dis_gnu_cond(const ZydisDecodedInstruction *in, const char *z,
			     char *out, size_t len)
{
	const char *stem;
	size_t i, n;

	switch (in->meta.category) {
	case ZYDIS_CATEGORY_COND_BR:
		stem = "j";
		break;
	case ZYDIS_CATEGORY_SETCC:
		stem = "set";
		break;
	case ZYDIS_CATEGORY_CMOV:
		stem = "cmov";
		break;
	default:
		return false;
	}
	n = strlen(stem);
	if (strncmp(z, stem, n))
		return false;
	for (i = 0; i < ARRAY_SIZE(mdb_dis_cond); i++) {
		if (!strcmp(z + n, mdb_dis_cond[i][0])) {
			snprintf(out, len, "%s%s", stem, mdb_dis_cond[i][1]);
			return true;
		}
	}
	return false;
}

/*
 * The name objdump prints when it differs from Zydis's, into @out; false
 * to keep Zydis's (and its own AT&T size suffix logic).
 */
static bool mdb_dis_gnu_name(const ZydisDecodedInstruction *in,
			     const ZydisDecodedOperand *ops, bool att,
			     char *out, size_t len)
{
	const char *z = ZydisMnemonicGetString(in->mnemonic);
	bool q = in->operand_width == 64;
	char ss, ds;

	if (!z)
		return false;
	if (mdb_dis_gnu_cond(in, z, out, len))
		return true;
	switch (in->mnemonic) {
	case ZYDIS_MNEMONIC_PUSHFQ:
		strscpy(out, "pushf", len);
		return true;
	case ZYDIS_MNEMONIC_POPFQ:
		strscpy(out, "popf", len);
		return true;
	case ZYDIS_MNEMONIC_SYSRET:
		strscpy(out, q ? "sysretq" : att ? "sysretl" : "sysretd", len);
		return true;
	case ZYDIS_MNEMONIC_SYSEXIT:
		strscpy(out, q ? "sysexitq" : att ? "sysexitl" : "sysexitd", len);
		return true;
	case ZYDIS_MNEMONIC_RET:
		if (in->meta.branch_type != ZYDIS_BRANCH_TYPE_FAR)
			return false;
		snprintf(out, len, "%s%s", att ? "lret" : "retf", q ? "q" : "");
		return true;
	case ZYDIS_MNEMONIC_MOV:
		/* a 64-bit immediate (REX.W b8+r) or moffs64 (a0-a3) */
		if (in->raw.imm[0].size != 64 && in->raw.disp.size != 64)
			return false;
		strscpy(out, "movabs", len);
		return true;
	case ZYDIS_MNEMONIC_VMMCALL:
		/* f3 0f 01 d9: AMD SEV-ES's vmgexit, unknown to Zydis 4.0 */
		if (!mdb_dis_has_prefix(in, 0xf3))
			return false;
		strscpy(out, "vmgexit", len);
		return true;
	default:
		break;
	}
	if (!att)
		return false;
	switch (in->mnemonic) {
	case ZYDIS_MNEMONIC_MOVZX:
	case ZYDIS_MNEMONIC_MOVSX:
	case ZYDIS_MNEMONIC_MOVSXD:
		if (in->operand_count_visible < 2)
			return false;
		ss = mdb_dis_size_suffix(ops[1].size);
		ds = mdb_dis_size_suffix(ops[0].size);
		if (!ss || !ds)
			return false;
		snprintf(out, len, "mov%c%c%c",
			 in->mnemonic == ZYDIS_MNEMONIC_MOVZX ? 'z' : 's', ss, ds);
		return true;
	case ZYDIS_MNEMONIC_NOP:
		/* the register operand is not printed: size it from memory */
		if (!in->operand_count_visible ||
		    ops[0].type != ZYDIS_OPERAND_TYPE_MEMORY)
			return false;
		ds = mdb_dis_size_suffix(ops[0].size);
		if (!ds)
			return false;
		snprintf(out, len, "nop%c", ds);
		return true;
	case ZYDIS_MNEMONIC_CDQE:
		strscpy(out, "cltq", len);
		return true;
	case ZYDIS_MNEMONIC_CQO:
		strscpy(out, "cqto", len);
		return true;
	case ZYDIS_MNEMONIC_CDQ:
		strscpy(out, "cltd", len);
		return true;
	case ZYDIS_MNEMONIC_CWDE:
		strscpy(out, "cwtl", len);
		return true;
	case ZYDIS_MNEMONIC_CWD:
		strscpy(out, "cwtd", len);
		return true;
	case ZYDIS_MNEMONIC_CBW:
		strscpy(out, "cbtw", len);
		return true;
	default:
		return false;
	}
}

/*
 * AT&T: the size suffix objdump adds and Zydis does not, for an integer
 * instruction whose only operand is in memory ("incl 0x8(%rax)", "negq",
 * "shll"): nothing else tells its size.
 */
static char mdb_dis_att_suffix(const ZydisDecodedInstruction *in,
			       const ZydisDecodedOperand *ops)
{
	switch (in->meta.category) {
	case ZYDIS_CATEGORY_BINARY:
	case ZYDIS_CATEGORY_LOGICAL:
	case ZYDIS_CATEGORY_SHIFT:
	case ZYDIS_CATEGORY_ROTATE:
		break;
	default:
		return 0;
	}
	if (in->operand_count_visible != 1 ||
	    ops[0].type != ZYDIS_OPERAND_TYPE_MEMORY ||
	    ops[0].mem.type != ZYDIS_MEMOP_TYPE_MEM)
		return 0;
	return mdb_dis_size_suffix(ops[0].size);
}

/*
 * ZYDIS_FORMATTER_FUNC_PRINT_MNEMONIC: GNU names, else Zydis's printer
 * (plus a missing AT&T suffix); records where the mnemonic ends.
 */
static ZyanStatus mdb_dis_print_mnemonic(const ZydisFormatter *f,
					 ZydisFormatterBuffer *buf,
					 ZydisFormatterContext *ctx)
{
	struct mdb_dis_slot *s = ctx->user_data;
	bool att = f == &mdb_fmt_att;
	ZyanString *str;
	char suffix[2];

	ZYAN_CHECK(ZydisFormatterBufferGetString(buf, &str));
	if (mdb_dis_gnu_name(ctx->instruction, ctx->operands, att, s->num,
			     sizeof(s->num))) {
		ZYAN_CHECK(mdb_dis_zappend(str, s->num));
	} else {
		ZYAN_CHECK(att ? mdb_att_mnemonic(f, buf, ctx) :
				 mdb_intel_mnemonic(f, buf, ctx));
		suffix[0] = att ? mdb_dis_att_suffix(ctx->instruction, ctx->operands) : 0;
		suffix[1] = '\0';
		ZYAN_CHECK(mdb_dis_zappend(str, suffix));
	}
	s->mnem_end = str->vector.size - 1;
	return ZYAN_STATUS_SUCCESS;
}

/* objdump's name for a prefix byte the instruction ignores, into @out. */
static bool mdb_dis_ignored_prefix(u8 v, char *out, size_t len)
{
	static const struct { u8 v; const char *name; } names[] = {
		{ 0x26, "es" }, { 0x2e, "cs" }, { 0x36, "ss" }, { 0x3e, "ds" },
		{ 0x64, "fs" }, { 0x65, "gs" }, { 0x66, "data16" },
		{ 0x67, "addr32" }, { 0xf0, "lock" }, { 0xf2, "repnz" },
		{ 0xf3, "repz" },
	};
	size_t i;

	if ((v & 0xf0) == 0x40) {
		snprintf(out, len, "rex%s%s%s%s%s", v & 0xf ? "." : "",
			 v & 8 ? "W" : "", v & 4 ? "R" : "", v & 2 ? "X" : "",
			 v & 1 ? "B" : "");
		return true;
	}
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		if (names[i].v == v) {
			strscpy(out, names[i].name, len);
			return true;
		}
	}
	return false;
}

/*
 * ZYDIS_FORMATTER_FUNC_PRINT_PREFIXES: objdump also prints the prefixes an
 * instruction ignores ("cs cs cs xor %eax,%eax", "rex.WB jne ..."), Zydis
 * only the effective ones; those follow.
 */
static ZyanStatus mdb_dis_print_prefixes(const ZydisFormatter *f,
					 ZydisFormatterBuffer *buf,
					 ZydisFormatterContext *ctx)
{
	const ZydisDecodedInstruction *in = ctx->instruction;
	struct mdb_dis_slot *s = ctx->user_data;
	ZyanString *str;
	int i;

	ZYAN_CHECK(ZydisFormatterBufferGetString(buf, &str));
	for (i = 0; i < in->raw.prefix_count; i++) {
		u8 v = in->raw.prefixes[i].value;

		/* vmgexit's f3 is part of its name (mdb_dis_gnu_name()) */
		if (v == 0xf3 && in->mnemonic == ZYDIS_MNEMONIC_VMMCALL)
			continue;
		if (in->raw.prefixes[i].type != ZYDIS_PREFIX_TYPE_IGNORED ||
		    !mdb_dis_ignored_prefix(v, s->num, sizeof(s->num)))
			continue;
		ZYAN_CHECK(mdb_dis_zappend(str, s->num));
		ZYAN_CHECK(mdb_dis_zappend(str, " "));
	}
	return f == &mdb_fmt_att ? mdb_att_prefixes(f, buf, ctx) :
				   mdb_intel_prefixes(f, buf, ctx);
}

/*
 * ZYDIS_FORMATTER_FUNC_PRINT_TYPECAST (Intel): "QWORD PTR" as objdump
 * prints it. Zydis 4.0 ignores its own UPPERCASE_TYPECASTS property.
 */
static ZyanStatus mdb_dis_print_typecast(const ZydisFormatter *f,
					 ZydisFormatterBuffer *buf,
					 ZydisFormatterContext *ctx)
{
	ZyanString *str;
	size_t from;
	char *p;

	ZYAN_CHECK(ZydisFormatterBufferGetString(buf, &str));
	from = str->vector.size - 1;
	ZYAN_CHECK(mdb_intel_typecast(f, buf, ctx));
	for (p = (char *)str->vector.data + from; *p; p++)
		*p = toupper(*p);
	return ZYAN_STATUS_SUCCESS;
}

/* A bounded text builder: always NUL-terminated, silently truncating. */
struct mdb_dis_text {
	char *buf;
	size_t len, pos;
};

static void mdb_dis_putn(struct mdb_dis_text *t, const char *s, size_t n)
{
	while (n-- && *s && t->pos + 1 < t->len)
		t->buf[t->pos++] = *s++;
	if (t->len)
		t->buf[t->pos] = '\0';
}

static void mdb_dis_puts(struct mdb_dis_text *t, const char *s)
{
	mdb_dis_putn(t, s, SIZE_MAX);
}

/*
 * Zydis's text in objdump's layout (see the top of this file): prefixes
 * and mnemonic (@mnem bytes of @z), padded to column 6 of the text, a
 * space, then the operands with ", " turned into ",".
 */
static void mdb_dis_layout(const char *z, size_t mnem, struct mdb_dis_text *t)
{
	size_t start = t->pos;

	mdb_dis_putn(t, z, mnem);
	z += mnem;
	if (*z != ' ')		/* no operands */
		return;
	z++;
	while (t->pos - start < MDB_DIS_MNEMONIC_COL && t->pos + 1 < t->len)
		mdb_dis_puts(t, " ");
	mdb_dis_puts(t, " ");
	for (; *z; z++) {
		if (z[0] == ',' && z[1] == ' ') {
			mdb_dis_puts(t, ",");
			z++;
		} else {
			mdb_dis_putn(t, z, 1);
		}
	}
}

/* Format the instruction decoded in @s (operands included) into @t. */
static int __mdb_dis_format(struct mdb_dis_slot *s, unsigned long addr,
			    bool intel, struct mdb_dis_text *t)
{
	ZyanStatus st;
	ZyanU64 a;
	int i;

	s->mnem_end = 0;
	st = ZydisFormatterFormatInstruction(intel ? &mdb_fmt_intel : &mdb_fmt_att,
					     &s->insn, s->ops,
					     s->insn.operand_count_visible,
					     s->zbuf, sizeof(s->zbuf), addr, s);
	if (!ZYAN_SUCCESS(st))
		return -ENOSPC;
	mdb_dis_layout(s->zbuf, min(s->mnem_end, strlen(s->zbuf)), t);

	/* objdump's comment for a %rip-relative operand. */
	for (i = 0; i < s->insn.operand_count_visible; i++) {
		const ZydisDecodedOperand *op = &s->ops[i];

		if (op->type != ZYDIS_OPERAND_TYPE_MEMORY ||
		    op->mem.base != ZYDIS_REGISTER_RIP ||
		    !ZYAN_SUCCESS(ZydisCalcAbsoluteAddress(&s->insn, op, addr, &a)))
			continue;
		snprintf(s->num, sizeof(s->num), "%llx", (unsigned long long)a);
		mdb_dis_puts(t, "        # ");
		mdb_dis_puts(t, s->num);
		if (mdb_dis_symbol(s, a, true)) {
			mdb_dis_puts(t, " <");
			mdb_dis_puts(t, s->sym);
			mdb_dis_puts(t, ">");
		}
		break;
	}
	return 0;
}

/**
 * mdb_dis_format - objdump-like text of one instruction
 * @addr:     the address the bytes come from (branch targets, %rip)
 * @bytes:    the instruction bytes (mdb_dis_read())
 * @n:        how many bytes are valid
 * @intel:    Intel syntax instead of AT&T
 * @text:     output, NUL-terminated, truncated to @len
 * @len:      size of @text; 128 fits all but long branch-target symbols,
 *            the rest is truncated (never overflowed)
 * @insn_len: the instruction's length; 1 for undecodable bytes
 *
 * The format is described at the top of this file: "mov    %rdi,%rax",
 * "call   ffffffff81234567 <vfs_read+0x10>", "(bad)".
 *
 * Context: any, NMI included, but sprint_symbol() needs stack: from the
 * #DB handler only on a stack of mdb's own. No locks, no allocation.
 * Return: 0; -EINVAL (text "(bad)", *insn_len 1) for an invalid
 * instruction, -ENODATA (text "(bad)") when @n bytes end inside it,
 * -ENOSPC when Zydis's text buffer overflowed, -EBUSY/-ENODEV as for
 * mdb_dis_decode().
 */
int mdb_dis_format(unsigned long addr, const u8 *bytes, size_t n, bool intel,
		   char *text, size_t len, int *insn_len)
{
	struct mdb_dis_text t = { .buf = text, .len = len };
	struct mdb_dis_slot *s;
	int ret;

	*insn_len = 1;
	if (len)
		text[0] = '\0';
	s = mdb_dis_slot_get();
	if (IS_ERR(s))
		return PTR_ERR(s);
	ret = __mdb_dis_decode(s, bytes, n, true);
	if (!ret) {
		*insn_len = s->insn.length;
		ret = __mdb_dis_format(s, addr, intel, &t);
	}
	if (ret)
		mdb_dis_puts(&t, "(bad)");
	mdb_dis_slot_put();
	return ret;
}

/**
 * mdb_dis_line - one listing line for the instruction at @addr
 * @addr:  kernel address
 * @intel: Intel syntax instead of AT&T
 * @line:  output, NUL-terminated, no newline, truncated to @len
 * @len:   size of @line; KSYM_SYMBOL_LEN + 160 fits all but long
 *         symbol names, the rest is truncated (never overflowed)
 *
 * "ADDR <sym+0xoff>:<TAB>BYTES<TAB>TEXT", with BYTES space-separated hex
 * padded to 21 columns as objdump does, e.g.
 *   "ffffffffc0a01004 <mdb_tt_target+0x4>:\t55<19 spaces>\tpush   %rbp"
 * The symbol column is sprint_symbol() without size and module, "+0x0"
 * kept (mdb's location syntax). Unreadable memory gives "(unreadable)";
 * undecodable bytes "(bad)" with one byte consumed.
 *
 * Context: any, NMI included, but see mdb_dis_format() about the stack.
 * Return: bytes consumed (> 0), or -EFAULT when @addr is unreadable,
 * -EBUSY/-ENODEV as for mdb_dis_decode().
 */
int mdb_dis_line(unsigned long addr, bool intel, char *line, size_t len)
{
	struct mdb_dis_text t = { .buf = line, .len = len };
	u8 bytes[MDB_INSN_MAX];
	struct mdb_dis_slot *s;
	int n, i, bad, ilen = 1;
	char hex[4];

	if (len)
		line[0] = '\0';
	s = mdb_dis_slot_get();
	if (IS_ERR(s))
		return PTR_ERR(s);
	snprintf(s->num, sizeof(s->num), "%016lx", addr);
	mdb_dis_puts(&t, s->num);
	if (mdb_dis_symbol(s, addr, false)) {
		mdb_dis_puts(&t, " <");
		mdb_dis_puts(&t, s->sym);
		mdb_dis_puts(&t, ">");
	}
	mdb_dis_puts(&t, ":\t");

	n = mdb_dis_read(addr, bytes, sizeof(bytes));
	if (n <= 0) {
		mdb_dis_puts(&t, "(unreadable)");
		mdb_dis_slot_put();
		return -EFAULT;
	}
	bad = __mdb_dis_decode(s, bytes, n, true);
	if (!bad)
		ilen = s->insn.length;
	for (i = 0; i < ilen; i++) {
		snprintf(hex, sizeof(hex), "%02x ", bytes[i]);
		mdb_dis_puts(&t, hex);
	}
	for (i = ilen; i < 7; i++)
		mdb_dis_puts(&t, "   ");
	mdb_dis_puts(&t, "\t");
	if (bad || __mdb_dis_format(s, addr, intel, &t))
		mdb_dis_puts(&t, "(bad)");
	mdb_dis_slot_put();
	return ilen;
}

/* ---- init (process context) --------------------------------------------- */

/* What differs from Zydis's defaults, for objdump's look. */
static const struct {
	ZydisFormatterProperty prop;
	ZyanUPointer value;
} mdb_dis_props[] = {
	/* "0x1234(%rip)" + comment, as objdump; not the absolute address */
	{ ZYDIS_FORMATTER_PROP_FORCE_RELATIVE_RIPREL, ZYAN_TRUE },
	{ ZYDIS_FORMATTER_PROP_HEX_UPPERCASE, ZYAN_FALSE },
	{ ZYDIS_FORMATTER_PROP_DISP_PADDING, ZYDIS_PADDING_DISABLED },
	{ ZYDIS_FORMATTER_PROP_IMM_PADDING, ZYDIS_PADDING_DISABLED },
	{ ZYDIS_FORMATTER_PROP_IMM_SIGNEDNESS, ZYDIS_SIGNEDNESS_UNSIGNED },
};

/* Swap in @fn for hook @type; the previous function is left in *@orig. */
static int mdb_dis_hook(ZydisFormatter *f, ZydisFormatterFunction type,
			ZydisFormatterFunc fn, ZydisFormatterFunc *orig)
{
	const void *hook = fn;

	if (!ZYAN_SUCCESS(ZydisFormatterSetHook(f, type, &hook)))
		return -EINVAL;
	if (orig)
		*orig = (ZydisFormatterFunc)hook;
	return 0;
}

static int mdb_dis_init_formatter(ZydisFormatter *f, ZydisFormatterStyle style,
				  ZydisFormatterFunc *orig_mnemonic,
				  ZydisFormatterFunc *orig_prefixes)
{
	size_t i;
	int ret;

	if (!ZYAN_SUCCESS(ZydisFormatterInit(f, style)))
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(mdb_dis_props); i++)
		if (!ZYAN_SUCCESS(ZydisFormatterSetProperty(f, mdb_dis_props[i].prop,
							    mdb_dis_props[i].value)))
			return -EINVAL;
	/* objdump -M intel sizes every memory operand: "QWORD PTR [rax]" */
	if (style == ZYDIS_FORMATTER_STYLE_INTEL &&
	    !ZYAN_SUCCESS(ZydisFormatterSetProperty(f, ZYDIS_FORMATTER_PROP_FORCE_SIZE,
						    ZYAN_TRUE)))
		return -EINVAL;
	ret = mdb_dis_hook(f, ZYDIS_FORMATTER_FUNC_PRINT_ADDRESS_ABS,
			   mdb_dis_print_address, NULL);
	if (!ret)
		ret = mdb_dis_hook(f, ZYDIS_FORMATTER_FUNC_PRE_OPERAND,
				   mdb_dis_pre_operand, NULL);
	if (!ret)
		ret = mdb_dis_hook(f, ZYDIS_FORMATTER_FUNC_PRINT_MNEMONIC,
				   mdb_dis_print_mnemonic, orig_mnemonic);
	if (!ret)
		ret = mdb_dis_hook(f, ZYDIS_FORMATTER_FUNC_PRINT_PREFIXES,
				   mdb_dis_print_prefixes, orig_prefixes);
	if (!ret && style == ZYDIS_FORMATTER_STYLE_INTEL)
		ret = mdb_dis_hook(f, ZYDIS_FORMATTER_FUNC_PRINT_TYPECAST,
				   mdb_dis_print_typecast, &mdb_intel_typecast);
	if (!ret && style == ZYDIS_FORMATTER_STYLE_ATT)
		ret = mdb_dis_hook(f, ZYDIS_FORMATTER_FUNC_PRINT_SEGMENT,
				   mdb_dis_print_segment, &mdb_att_segment);
	return ret;
}

/* Both formatters, configured and hooked; read-only afterwards. */
int mdb_dis_format_init(void)
{
	int ret;

	ret = mdb_dis_init_formatter(&mdb_fmt_att, ZYDIS_FORMATTER_STYLE_ATT,
				     &mdb_att_mnemonic, &mdb_att_prefixes);
	if (ret)
		return ret;
	return mdb_dis_init_formatter(&mdb_fmt_intel, ZYDIS_FORMATTER_STYLE_INTEL,
				      &mdb_intel_mnemonic, &mdb_intel_prefixes);
}
