// SPDX-License-Identifier: GPL-2.0
/*
 * description: control refuses unknown and malformed commands with the
 * fitting errno, status then names the bad token (with a caret under it),
 * and good lines, comments and multi-line writes are taken.
 */
#include "mdb_test.h"

struct bad {
	const char *cmd;	/* written as one line */
	int err;		/* expected errno */
	const char *token;	/* status must quote this token ... */
	const char *needle;	/* ... or, when NULL, say this */
};

static const struct bad bad[] = {
	{ "frobnicate", EINVAL, "frobnicate", NULL },
	{ "frobnicate vfs_read", EINVAL, "frobnicate", NULL },
	{ "BREAK vfs_read", EINVAL, "BREAK", NULL },
	{ "reset now", EINVAL, "now", NULL },
	{ "break", EINVAL, NULL, "missing location" },
	{ "break vfs_read pid=abc", EINVAL, "abc", NULL },
	{ "break vfs_read bogus", EINVAL, "bogus", NULL },
	{ "break vfs_read hw sw", EINVAL, "sw", NULL },
	{ "watch jiffies len=3", EINVAL, "3", NULL },
	{ "watch jiffies r", EINVAL, "r", NULL },
	{ "delete", EINVAL, NULL, "missing breakpoint id" },
	{ "delete x1", EINVAL, "x1", NULL },
	{ "break 0x1234", EINVAL, "0x1234", NULL },
};

static void check_bad(const struct bad *b)
{
	char line[256], quoted[128];
	const char *msg;
	int ret;

	snprintf(line, sizeof(line), "%s\n", b->cmd);
	ret = mdb_ctl(line);
	msg = mdb_last_error();
	if (b->token)
		snprintf(quoted, sizeof(quoted), "'%s'", b->token);
	else
		snprintf(quoted, sizeof(quoted), "%s", b->needle);
	ksft_test_result(ret == -b->err && strstr(msg, quoted) && strstr(msg, b->cmd) &&
			 strchr(msg, '^'),
			 "'%s' fails with %s, status says %s, with a caret\n",
			 b->cmd, strerror(b->err), quoted);
	if (ret != -b->err || !strstr(msg, quoted))
		ksft_print_msg("got %s; status: %s", strerror(-ret), msg);
}

int main(void)
{
	char val[256], *big;
	unsigned int i;
	int ret;

	ksft_print_header();
	ksft_set_plan(ARRAY_SIZE(bad) + 7);

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		check_bad(&bad[i]);

	ret = mdb_ctl("reset\n");
	ksft_test_result(!ret && !strcmp(mdb_status_field("last error", val, sizeof(val)) ?: "", "none"),
			 "'reset' is taken and clears the last error\n");

	ret = mdb_ctl("\n# a comment\n   \nreset\n");
	ksft_test_result(!ret, "blank lines and # comments are taken\n");

	ret = mdb_ctl("reset\nreset\r\n");
	ksft_test_result(!ret, "several lines in one write, \\r\\n endings\n");

	ret = mdb_ctl("reset\nfrob 1\nreset\n");
	ksft_test_result(ret == -EINVAL && strstr(mdb_last_error(), "'frob'"),
			 "a bad second line fails the write and is named\n");

	ret = mdb_ctl("reset");
	ksft_test_result(!ret, "a line without a trailing newline is taken\n");

	big = malloc(20000);
	memset(big, '#', 20000);
	ret = mdb_write_n(MDB_DIR "/control", big, 20000);
	free(big);
	ksft_test_result(ret == -E2BIG && strstr(mdb_last_error(), "too large"),
			 "a 20000-byte write fails with E2BIG and says why\n");

	mdb_ctl("reset\n");
	ret = mdb_ctl("frob\n");
	ksft_test_result(mdb_status_field("commands", val, sizeof(val)) &&
			 strstr(val, "1 ok, 1 failed"),
			 "status counts failed commands (%s)\n", val);

	ksft_finished();
}
