/* SPDX-License-Identifier: GPL-2.0 */
/*
 * parse_int.h - inside the parser: what its files share
 *
 * Private to parse*.c; the rest of mdb sees parse.h only. Calls go one way,
 * down: parse_format.c (text) -> parse.c (grammar, commands) ->
 * parse_check.c (rules between options) -> parse_opt.c (the option table)
 * -> parse_lex.c (tokens, numbers, errors). The character classes are
 * static inline here so that every file agrees byte for byte.
 *
 * Context: any (no globals written, no locks, no allocation).
 */
#ifndef _MDB_PARSE_INT_H
#define _MDB_PARSE_INT_H

#include "parse.h"

#define MDB_NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* ---- character classes: our own, so both builds agree byte for byte ---- */

static inline bool mdb_is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static inline bool mdb_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static inline bool mdb_is_alnum(char c)
{
	return mdb_is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline bool mdb_is_sym_char(char c)
{
	return mdb_is_alnum(c) || c == '_' || c == '.' || c == '$';
}

static inline bool mdb_is_mod_char(char c)
{
	return mdb_is_alnum(c) || c == '_' || c == '-';
}

/* Printable ASCII, blank included; everything else is BAD_CHAR. */
static inline bool mdb_is_print(char c)
{
	return c >= ' ' && c <= '~';
}

/* Value of a hex digit, or -1. */
static inline int mdb_hex_val(char c)
{
	if (mdb_is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static inline bool mdb_has_0x(const char *s, size_t n)
{
	return n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
}

static inline bool mdb_mem_is(const char *s, size_t n, const char *word)
{
	return strlen(word) == n && !memcmp(s, word, n);
}

/* ---- parser state ---- */

/**
 * struct mdb_parser - everything one mdb_parse_line() call works on
 * @line: the line, without its "\n" or "\r\n"
 * @n:    its length
 * @pos:  where the tokeniser resumes
 * @tok:  offset of the current token
 * @tlen: its length
 * @num:  value of the last number parsed
 * @cmd:  the command being filled
 * @e:    the error report
 * @opt_pos: where each option of @cmd->opts_seen was written, so checks
 *        made after the last option can still point at one
 *
 * One pointer instead of six arguments keeps every frame small.
 */
struct mdb_parser {
	const char *line;
	size_t n;
	size_t pos;
	size_t tok, tlen;
	u64 num;
	struct mdb_cmd *cmd;
	struct mdb_parse_err *e;
	unsigned short opt_pos[MDB_OPT_NR];
};

_Static_assert(MDB_LINE_MAX <= 0xffff, "opt_pos holds line offsets");

/* ---- parse_lex.c: errors, numbers, tokens ---- */

int mdb_fail(struct mdb_parser *p, int code, size_t pos, size_t len);
int mdb_fail_tok(struct mdb_parser *p, int code);

enum { MDB_NUM_OK, MDB_NUM_BAD, MDB_NUM_OVERFLOW };
int mdb_parse_num(struct mdb_parser *p, const char *s, size_t n, bool hex_ok);
bool mdb_next_tok(struct mdb_parser *p);
size_t mdb_strip_eol(const char *line, size_t n);
int mdb_check_fn(const char *s, size_t n);

/* ---- parse_opt.c: the option table ---- */

struct mdb_opt;
typedef int (*mdb_opt_set_t)(struct mdb_parser *p, const struct mdb_opt *o,
			     const char *v, size_t n);

/**
 * struct mdb_opt - one option word
 * @name:  as written, without "="
 * @id:    bit in opts_seen; -1 for words that exist only to explain a
 *         common mistake: they always fail with @err
 * @cmds:  bitmask of 1 << MDB_OP_* that accept it
 * @group: options sharing a non-zero group exclude each other (CONFLICT)
 * @value: takes "=VALUE" (else it is a flag and a value is an error)
 * @set:   store the option into the command; returns 0 or MDB_PERR_*
 * @field: offsetof() the struct mdb_cmd member that @set fills and the
 *         formatter prints
 * @arg:   value stored by mdb_opt_enum(), or by mdb_opt_num() for @word
 * @word:  numeric options: a word accepted instead of a number, stored as
 *         @arg and printed back as the word (step=branch)
 * @min:   numeric options: smallest value
 * @max:   numeric options: largest value; strings: largest length
 * @err:   MDB_PERR_* for a value outside @min..@max (for options with a
 *         @word also for a value that is neither), for id -1, or when
 *         none of @needs was given
 * @needs: MDB_OPT_BIT()s of which at least one must also be written;
 *         checked after the last option, so the order does not matter
 * @needs_err: MDB_PERR_* when none of @needs was given
 * @excludes: MDB_OPT_BIT()s that may not be written with it, in either
 *         order (besides @group): @excl_err
 * @hint:  said after OPT_NOT_FOR, to tell the user what to do instead
 */
struct mdb_opt {
	const char *name;
	int id;
	unsigned char cmds;
	unsigned char group;
	bool value;
	mdb_opt_set_t set;
	size_t field;
	u32 arg;
	const char *word;
	const char * const *words;	/* mdb_opt_words(): the values, NULL-ended */
	u64 min, max;
	int err;
	u32 needs;
	int needs_err;
	u32 excludes;
	int excl_err;
	const char *hint;
};

enum { MDB_GRP_NONE, MDB_GRP_IMPL, MDB_GRP_WMODE };

extern const struct mdb_opt mdb_opts[];
extern const size_t mdb_opts_nr;
const struct mdb_opt *mdb_find_opt(const char *s, size_t n);
bool mdb_opt_is_str(const struct mdb_opt *o);

/* ---- parse_check.c: the rules between the options of a command ---- */

int mdb_check_opt(struct mdb_parser *p, const struct mdb_opt *o);
int mdb_check_probe(struct mdb_parser *p);

/* ---- parse.c: the commands ---- */

/**
 * struct mdb_verb - one command
 * @name:  canonical name, what mdb_cmd_format() prints; for a view, the
 *         name of its file
 * @alias: other accepted names
 * @parse: parses the arguments after the name (a view: the whole line)
 * @view:  views only: the syntax of their line. mdb_parse_line() refuses
 *         them, mdb_parse_explain() then says which file to write to.
 */
struct mdb_verb {
	const char *name;
	const char *alias[2];
	int (*parse)(struct mdb_parser *p);
	const char *view;
};

extern const struct mdb_verb mdb_verbs[MDB_OP_NR];
bool mdb_is_view(enum mdb_op op);
enum mdb_op mdb_find_verb(const char *s, size_t n);

#endif /* _MDB_PARSE_INT_H */
