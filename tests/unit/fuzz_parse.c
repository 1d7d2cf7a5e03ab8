// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_parse.c - libFuzzer target for the control-language parser
 *
 * Checks, for any input line: no crash or over-read (ASan, exact-size
 * copy), a consistent error report, explanations that fit
 * MDB_EXPLAIN_MAX, and for accepted lines that the canonical text fits
 * MDB_CMD_TEXT_MAX and parses back to the same struct.
 *
 *   make -C tests/unit fuzz && build/unit/fuzz_parse -max_len=300
 */
#include <stdio.h>
#include <stdlib.h>

#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[MDB_CMD_TEXT_MAX], text2[MDB_CMD_TEXT_MAX], why[MDB_EXPLAIN_MAX];
	char *line = malloc(size ? size : 1);
	struct mdb_parse_err e, e2;
	struct mdb_cmd c, c2;
	int ret, len;

	memcpy(line, data, size);
	ret = mdb_parse_line(line, size, &c, &e);
	if (ret) {
		if (ret != e.err || e.code <= MDB_PERR_OK || e.code >= MDB_PERR_NR ||
		    ret != mdb_parse_errno(e.code) || c.op != MDB_OP_NONE)
			abort();
		if (e.code != MDB_PERR_LINE_TOO_LONG && e.pos + e.len > size)
			abort();
		len = mdb_parse_explain(why, sizeof(why), line, size, &e);
		if (len < 0 || len >= (int)sizeof(why) || (size_t)len != strlen(why))
			abort();
	} else {
		if (e.code != MDB_PERR_OK)
			abort();
		len = mdb_cmd_format(text, sizeof(text), &c);
		if (len < 0 || len >= (int)sizeof(text))
			abort();
		/*
		 * The canonical text may exceed MDB_LINE_MAX ("b f+1" grows to
		 * "break f+0x1"): then it cannot be written back, by design.
		 */
		if (len <= MDB_LINE_MAX) {
			if (mdb_parse_line(text, len, &c2, &e2) ||
			    memcmp(&c, &c2, sizeof(c)))
				abort();
			mdb_cmd_format(text2, sizeof(text2), &c2);
			if (strcmp(text, text2))
				abort();
		}
	}
	free(line);
	return 0;
}
