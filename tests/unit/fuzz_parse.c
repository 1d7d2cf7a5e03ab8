// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_parse.c - libFuzzer target for the control-language parser
 *
 * Every input goes through all three entry points: as a control line
 * (mdb_parse_line()) and as a line of the disasm and mem files
 * (mdb_parse_view()). Checks, for any input: no crash or over-read (ASan,
 * exact-size copy), a consistent error report, explanations that fit
 * MDB_EXPLAIN_MAX, and for accepted lines that the canonical text is at
 * most MDB_LINE_MAX bytes (so it can always be written back) and parses
 * back to the same struct.
 *
 *   make -C tests/unit fuzz && build/unit/fuzz_parse -max_len=600
 */
#include <stdio.h>
#include <stdlib.h>

#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* MDB_OP_NONE: a control line; else a line of that view. */
static int parse_as(enum mdb_op op, const char *line, size_t n, struct mdb_cmd *cmd,
		    struct mdb_parse_err *e)
{
	if (op == MDB_OP_NONE)
		return mdb_parse_line(line, n, cmd, e);
	return mdb_parse_view(op, line, n, cmd, e);
}

static void check(enum mdb_op op, const char *line, size_t size)
{
	char text[MDB_CMD_TEXT_MAX], text2[MDB_CMD_TEXT_MAX], why[MDB_EXPLAIN_MAX];
	struct mdb_parse_err e, e2;
	struct mdb_cmd c, c2;
	int ret, len;

	ret = parse_as(op, line, size, &c, &e);
	if (ret) {
		if (ret != e.err || e.code <= MDB_PERR_OK || e.code >= MDB_PERR_NR ||
		    ret != mdb_parse_errno(e.code) || c.op != MDB_OP_NONE)
			abort();
		if (e.code != MDB_PERR_LINE_TOO_LONG && e.pos + e.len > size)
			abort();
		len = mdb_parse_explain(why, sizeof(why), line, size, &e);
		if (len < 0 || len >= (int)sizeof(why) || (size_t)len != strlen(why))
			abort();
		return;
	}
	if (e.code != MDB_PERR_OK)
		abort();
	/* A view line always gives its view, never a no-op. */
	if (op != MDB_OP_NONE && c.op != op)
		abort();
	len = mdb_cmd_format(text, sizeof(text), &c);
	if (len < 0 || len > MDB_LINE_MAX || (size_t)len != strlen(text))
		abort();
	if (parse_as(op, text, len, &c2, &e2) || memcmp(&c, &c2, sizeof(c)))
		abort();
	mdb_cmd_format(text2, sizeof(text2), &c2);
	if (strcmp(text, text2))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size ? size : 1);

	memcpy(line, data, size);
	check(MDB_OP_NONE, line, size);
	check(MDB_OP_DISASM, line, size);
	check(MDB_OP_MEM, line, size);
	free(line);
	return 0;
}
