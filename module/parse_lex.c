// SPDX-License-Identifier: GPL-2.0
/*
 * parse_lex.c - the lowest layer of the control language: the error list,
 * the failure report (struct mdb_parse_err), numbers, blank-separated
 * tokens, and the lexical rule of a Lua function name (FN)
 *
 * Numbers are parsed here rather than with kstrto*() or strtoul(): the
 * kernel and the host (unit tests, fuzzer) must accept and reject exactly
 * the same lines. The grammar is in parse.c, above the parser.
 *
 * Context: any. No allocation, no global state written, no locks, small
 * frames; calls no other file.
 */
#include "parse_int.h"

#define C(name, err, msg)	msg,
static const char * const mdb_perr_msg[] = { MDB_PARSE_ERRORS };
#undef C
#define C(name, err, msg)	err,
static const unsigned short mdb_perr_errno[] = { MDB_PARSE_ERRORS };
#undef C
#define C(name, err, msg)	#name,
static const char * const mdb_perr_name[] = { MDB_PARSE_ERRORS };
#undef C

/* ---- errors ---- */

/**
 * mdb_parse_msg() - the message of a parse error
 * @code: enum mdb_parse_code
 *
 * Return: a static string, never NULL.
 */
const char *mdb_parse_msg(int code)
{
	if (code < 0 || code >= MDB_PERR_NR)
		return "unknown error";
	return mdb_perr_msg[code];
}

/**
 * mdb_parse_code_name() - the name of a parse error, e.g. "UNKNOWN_CMD"
 * @code: enum mdb_parse_code
 *
 * Return: a static string, never NULL.
 */
const char *mdb_parse_code_name(int code)
{
	if (code < 0 || code >= MDB_PERR_NR)
		return "?";
	return mdb_perr_name[code];
}

/**
 * mdb_parse_errno() - the errno that goes with a parse error
 * @code: enum mdb_parse_code
 *
 * Return: a negative errno, 0 for MDB_PERR_OK, -EINVAL for unknown codes.
 */
int mdb_parse_errno(int code)
{
	if (code < 0 || code >= MDB_PERR_NR)
		return -EINVAL;
	return -(int)mdb_perr_errno[code];
}

/* Report @code at line[@pos..@pos + @len) in @p->e; returns its negative errno. */
int mdb_fail(struct mdb_parser *p, int code, size_t pos, size_t len)
{
	struct mdb_parse_err *e = p->e;

	e->code = code;
	e->err = -(int)mdb_perr_errno[code];
	e->pos = pos;
	e->len = len;
	return e->err;
}

/* Fail on the whole current token. */
int mdb_fail_tok(struct mdb_parser *p, int code)
{
	return mdb_fail(p, code, p->tok, p->tlen);
}

/* ---- numbers ---- */

/*
 * Parse all of s[0..n) into @p->num as an unsigned decimal or (if @hex_ok)
 * "0x" hex number. Every character is checked before overflow is
 * reported, so "99999999999999999999z" is BAD rather than OVERFLOW. No
 * division: the overflow tests are a shift and constant compares.
 */
int mdb_parse_num(struct mdb_parser *p, const char *s, size_t n, bool hex_ok)
{
	bool hex = hex_ok && mdb_has_0x(s, n);
	bool overflow = false;
	size_t i = hex ? 2 : 0;
	u64 v = 0;

	if (i == n)
		return MDB_NUM_BAD;
	for (; i < n; i++) {
		int d = mdb_hex_val(s[i]);

		if (d < 0 || (!hex && d > 9))
			return MDB_NUM_BAD;
		if (hex) {
			if (v >> 60)
				overflow = true;
			v = (v << 4) | d;
		} else {
			/* 2^64 - 1 == 1844674407370955161 * 10 + 5 */
			if (v > 1844674407370955161ULL ||
			    (v == 1844674407370955161ULL && d > 5))
				overflow = true;
			v = v * 10 + d;
		}
	}
	p->num = v;
	return overflow ? MDB_NUM_OVERFLOW : MDB_NUM_OK;
}

/* ---- tokens ---- */

/* Move to the next blank-separated token; false at the end of the line. */
bool mdb_next_tok(struct mdb_parser *p)
{
	while (p->pos < p->n && mdb_is_blank(p->line[p->pos]))
		p->pos++;
	if (p->pos == p->n)
		return false;
	p->tok = p->pos;
	while (p->pos < p->n && !mdb_is_blank(p->line[p->pos]))
		p->pos++;
	p->tlen = p->pos - p->tok;
	return true;
}

/* Length without one trailing "\n" or "\r\n". */
size_t mdb_strip_eol(const char *line, size_t n)
{
	if (n && line[n - 1] == '\n') {
		n--;
		if (n && line[n - 1] == '\r')
			n--;
	}
	return n;
}

/* ---- Lua function names (FN) ---- */

/* Lua 5.1-5.4 reserved words: never the name of a global function. */
static const char * const mdb_lua_keywords[] = {
	"and", "break", "do", "else", "elseif", "end", "false", "for",
	"function", "goto", "if", "in", "local", "nil", "not", "or",
	"repeat", "return", "then", "true", "until", "while",
};

/* Is s[0..n) a Lua function name (FN)? 0, or the MDB_PERR_* saying why not. */
int mdb_check_fn(const char *s, size_t n)
{
	size_t i;

	if (!n)
		return MDB_PERR_MISSING_FN;
	if (mdb_is_digit(s[0]))
		return MDB_PERR_BAD_FN;
	for (i = 0; i < n; i++)
		if (!mdb_is_alnum(s[i]) && s[i] != '_')
			return MDB_PERR_BAD_FN;
	if (n > MDB_FN_MAX)
		return MDB_PERR_FN_TOO_LONG;
	for (i = 0; i < MDB_NELEM(mdb_lua_keywords); i++)
		if (mdb_mem_is(s, n, mdb_lua_keywords[i]))
			return MDB_PERR_BAD_FN;
	return 0;
}
