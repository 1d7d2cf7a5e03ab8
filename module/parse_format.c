// SPDX-License-Identifier: GPL-2.0
/*
 * parse_format.c - a parsed command back to text, and a parse error
 * explained: mdb_cmd_format() prints the canonical line that parses back
 * to the same struct mdb_cmd (the breakpoints file lists commands a user
 * can paste back into control); mdb_parse_explain() prints the message,
 * the line and a caret under the culprit.
 *
 * Output is snprintf-like but the same code in both builds (kernel and
 * host), so the unit tests check the kernel's exact text.
 *
 * Context: any. No allocation, no global state written, no locks. The top
 * of the parser's files: reads the verb table (parse.c) and the option
 * table (parse_opt.c), nothing calls back into it.
 */
#include "parse_int.h"

/* ---- output: snprintf-like, but the same code in both builds ---- */

struct mdb_out {
	char *buf;
	size_t size;
	size_t len;	/* what the output needs, may exceed size */
};

static void mdb_putc(struct mdb_out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void mdb_putm(struct mdb_out *o, const char *s, size_t n)
{
	while (n--)
		mdb_putc(o, *s++);
}

static void mdb_puts(struct mdb_out *o, const char *s)
{
	mdb_putm(o, s, strlen(s));
}

static void mdb_putn(struct mdb_out *o, char c, size_t n)
{
	while (n--)
		mdb_putc(o, c);
}

/* Only 32-bit values are printed in decimal: no 64-bit division needed. */
static void mdb_put_dec(struct mdb_out *o, u32 v)
{
	char tmp[10];
	int i = 0;

	do {
		tmp[i++] = '0' + v % 10;
		v /= 10;
	} while (v);
	while (i)
		mdb_putc(o, tmp[--i]);
}

static void mdb_put_hex(struct mdb_out *o, u64 v)
{
	static const char digits[] = "0123456789abcdef";
	int shift = 60;

	mdb_puts(o, "0x");
	while (shift > 0 && !(v >> shift))
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		mdb_putc(o, digits[(v >> shift) & 0xf]);
}

/* NUL-terminate and return what snprintf() would. */
static int mdb_out_end(struct mdb_out *o)
{
	if (o->size)
		o->buf[o->len < o->size ? o->len : o->size - 1] = '\0';
	return o->len;
}

static const void *mdb_cfield(const struct mdb_cmd *cmd, const struct mdb_opt *o)
{
	return (const char *)cmd + o->field;
}

static void mdb_put_opt(struct mdb_out *out, const struct mdb_cmd *cmd,
			const struct mdb_opt *o)
{
	u32 v32;

	mdb_putc(out, ' ');
	mdb_puts(out, o->name);
	if (!o->value)
		return;
	mdb_putc(out, '=');
	/* Valued options are strings or 32-bit numbers (or their word). */
	if (mdb_opt_is_str(o)) {
		const char *s = mdb_cfield(cmd, o);

		mdb_putm(out, s, strnlen(s, o->max));
	} else {
		memcpy(&v32, mdb_cfield(cmd, o), sizeof(v32));
		if (o->words && v32)
			mdb_puts(out, o->words[v32 - 1]);
		else if (o->word && v32 == o->arg)
			mdb_puts(out, o->word);
		else
			mdb_put_dec(out, v32);
	}
}

static void mdb_put_loc(struct mdb_out *out, const struct mdb_loc *loc)
{
	if (loc->tp) {
		mdb_puts(out, "tp:");
		mdb_putm(out, loc->module, strnlen(loc->module, MDB_MOD_MAX));
		mdb_putc(out, ':');
		mdb_putm(out, loc->sym, strnlen(loc->sym, MDB_SYM_MAX));
	} else if (loc->sym[0]) {
		if (loc->module[0]) {
			mdb_putm(out, loc->module, strnlen(loc->module, MDB_MOD_MAX));
			mdb_putc(out, ':');
		}
		mdb_putm(out, loc->sym, strnlen(loc->sym, MDB_SYM_MAX));
		if (loc->off) {
			mdb_putc(out, '+');
			mdb_put_hex(out, loc->off);
		}
	} else {
		mdb_put_hex(out, loc->addr);
	}
}

/**
 * mdb_cmd_format() - print a command in canonical form
 * @buf:  output buffer
 * @size: its size; MDB_CMD_TEXT_MAX is always enough
 * @cmd:  the command, usually from mdb_parse_line()
 *
 * The text parses back to the same struct mdb_cmd, e.g.
 * "break vfs_read+0x10 hw pid=12 count": long command names, offsets in
 * hex, numbers in decimal, only the options in @cmd->opts_seen, in
 * enum mdb_opt_id order. No trailing newline; "" for MDB_OP_NONE.
 *
 * The views print what is written to their file, without a command word,
 * and parse back with mdb_parse_view(): "LOC COUNT" or "LOC COUNT intel"
 * for MDB_OP_DISASM (COUNT always, "att" never: it is the default),
 * "LOC LEN" for MDB_OP_MEM.
 *
 * The text of any command is at most MDB_LINE_MAX bytes, so it is always
 * a line that can be written back.
 *
 * Return: the length of the whole text like snprintf() (so a result >=
 * @size means it was truncated); @buf is NUL-terminated if @size > 0.
 */
int mdb_cmd_format(char *buf, size_t size, const struct mdb_cmd *cmd)
{
	struct mdb_out out = { .buf = buf, .size = size };
	size_t i;

	if (cmd->op <= MDB_OP_NONE || cmd->op >= MDB_OP_NR)
		return mdb_out_end(&out);
	if (!mdb_is_view(cmd->op))
		mdb_puts(&out, mdb_verbs[cmd->op].name);

	switch (cmd->op) {
	case MDB_OP_BREAK:
	case MDB_OP_WATCH:
		mdb_putc(&out, ' ');
		mdb_put_loc(&out, &cmd->loc);
		for (i = 0; i < mdb_opts_nr; i++) {
			const struct mdb_opt *o = &mdb_opts[i];

			if (o->id >= 0 && (cmd->opts_seen & MDB_OPT_BIT(o->id)))
				mdb_put_opt(&out, cmd, o);
		}
		break;
	case MDB_OP_DELETE:
	case MDB_OP_ENABLE:
	case MDB_OP_DISABLE:
		mdb_putc(&out, ' ');
		if (cmd->all)
			mdb_puts(&out, "all");
		else
			mdb_put_dec(&out, cmd->id);
		break;
	case MDB_OP_CALL:
		mdb_putc(&out, ' ');
		mdb_putm(&out, cmd->lua, strnlen(cmd->lua, MDB_FN_MAX));
		break;
	case MDB_OP_LOAD:
		mdb_putc(&out, ' ');
		mdb_putm(&out, cmd->path, strnlen(cmd->path, MDB_PATH_MAX));
		break;
	case MDB_OP_DISASM:
		mdb_put_loc(&out, &cmd->loc);
		mdb_putc(&out, ' ');
		mdb_put_dec(&out, cmd->insns);
		if (cmd->intel)
			mdb_puts(&out, " intel");
		break;
	case MDB_OP_MEM:
		mdb_put_loc(&out, &cmd->loc);
		mdb_putc(&out, ' ');
		mdb_put_dec(&out, cmd->bytes);
		break;
	default:
		break;
	}
	return mdb_out_end(&out);
}

/*
 * Quote a token for the message line. Unprintable bytes (only ever the one
 * byte of a BAD_CHAR) come out as \xNN; long tokens are cut, since the
 * caret line under the echoed command already shows all of it.
 */
#define MDB_QUOTE_MAX	40

static void mdb_put_quoted(struct mdb_out *o, const char *s, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	mdb_puts(o, " '");
	for (i = 0; i < n && i < MDB_QUOTE_MAX; i++) {
		unsigned char c = s[i];

		if (mdb_is_print(c)) {
			mdb_putc(o, c);
		} else {
			mdb_puts(o, "\\x");
			mdb_putc(o, digits[c >> 4]);
			mdb_putc(o, digits[c & 0xf]);
		}
	}
	if (n > MDB_QUOTE_MAX)
		mdb_puts(o, "...");
	mdb_putc(o, '\'');
}

/**
 * mdb_parse_explain() - describe a parse error for a human
 * @buf:  output buffer
 * @size: its size; MDB_EXPLAIN_MAX is always enough
 * @line: the line given to mdb_parse_line() or mdb_parse_view()
 * @n:    its length
 * @e:    the error it returned for it
 *
 * Three lines: the message naming the bad token, the command, and a caret
 * under the token (tilde-extended to its length):
 *
 *   unknown option 'foo'
 *     break vfs_read foo
 *                    ^~~
 *
 * Tabs in the echoed line become spaces and other unprintable bytes '?',
 * so the caret stays in the right column. The quoted token is cut after
 * MDB_QUOTE_MAX bytes. A line that is too long is not echoed. Writes ""
 * when @e reports no error. The first line ends in a hint where one
 * helps: after OPT_NOT_FOR the option's (": only watch takes it"), after
 * UNKNOWN_CMD for "disasm" or "mem" the file to write the line to.
 *
 * Return: the length of the whole text like snprintf(); @buf is
 * NUL-terminated if @size > 0.
 */
int mdb_parse_explain(char *buf, size_t size, const char *line, size_t n,
		      const struct mdb_parse_err *e)
{
	struct mdb_out out = { .buf = buf, .size = size };
	const struct mdb_opt *o;
	size_t pos, len, i;
	enum mdb_op op;

	if (!e || e->code == MDB_PERR_OK)
		return mdb_out_end(&out);
	mdb_puts(&out, mdb_parse_msg(e->code));
	if (e->code == MDB_PERR_LINE_TOO_LONG) {
		mdb_putc(&out, '\n');
		return mdb_out_end(&out);
	}

	n = mdb_strip_eol(line, n);
	if (n > MDB_LINE_MAX)
		n = MDB_LINE_MAX;
	pos = e->pos < n ? e->pos : n;
	len = e->len < n - pos ? e->len : n - pos;

	if (len)
		mdb_put_quoted(&out, line + pos, len);
	if (e->code == MDB_PERR_OPT_NOT_FOR) {
		const char *eq = memchr(line + pos, '=', len);

		o = mdb_find_opt(line + pos, eq ? (size_t)(eq - line - pos) : len);
		if (o && o->hint) {
			mdb_puts(&out, ": ");
			mdb_puts(&out, o->hint);
		}
	}
	if (e->code == MDB_PERR_UNKNOWN_CMD) {
		op = mdb_find_verb(line + pos, len);
		if (mdb_is_view(op)) {
			mdb_puts(&out, ": write '");
			mdb_puts(&out, mdb_verbs[op].view);
			mdb_puts(&out, "' to the ");
			mdb_puts(&out, mdb_verbs[op].name);
			mdb_puts(&out, " file");
		}
	}

	mdb_puts(&out, "\n  ");
	for (i = 0; i < n; i++) {
		char c = line[i];

		mdb_putc(&out, c == '\t' ? ' ' : mdb_is_print(c) ? c : '?');
	}
	mdb_puts(&out, "\n  ");
	mdb_putn(&out, ' ', pos);
	mdb_putc(&out, '^');
	if (len > 1)
		mdb_putn(&out, '~', len - 1);
	mdb_putc(&out, '\n');
	return mdb_out_end(&out);
}
