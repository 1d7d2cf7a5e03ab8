// SPDX-License-Identifier: GPL-2.0
/*
 * description: `load PATH` compiles a Lua file during the write to
 * control: a syntax error fails the write (EINVAL) with file, line and
 * message in status, and the previous script stays loaded.
 */
#include "mdb_test.h"

#define GOOD "/tmp/mdb-load-good.lua"
#define BAD "/tmp/mdb-load-bad.lua"
#define EMPTY "/tmp/mdb-load-empty.lua"

static int put(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, s, strlen(s)) != (ssize_t)strlen(s))
		ret = -EIO;
	close(fd);
	return ret;
}

int main(void)
{
	char *text = NULL;
	int ret;

	ksft_print_header();
	ksft_set_plan(6);
	mdb_ctl("reset\n");
	put(GOOD, "function hello()\n  print('loaded-one')\nend\n");
	put(BAD, "function hello()\n  x = = 1\nend\n");
	put(EMPTY, "");

	ret = mdb_ctl("load " GOOD "\n");
	mdb_ctl("call hello\n");
	mdb_log_take(&text, NULL);
	ksft_test_result(!ret && text && strstr(text, "loaded-one"),
			 "load PATH: the file is the script (%d)\n", ret);

	ret = mdb_ctl("load " BAD "\n");
	ksft_test_result(ret == -EINVAL && strstr(mdb_last_error(), BAD ":2: unexpected symbol near '='"),
			 "a syntax error fails the write with file:line: %s", mdb_last_error());
	mdb_ctl("call hello\n");
	mdb_log_take(&text, NULL);
	ksft_test_result(text && strstr(text, "loaded-one"), "the previous script stays loaded\n");

	ret = mdb_ctl("load /tmp/mdb-no-such-file.lua\n");
	ksft_test_result(ret == -ENOENT && strstr(mdb_last_error(), "no such file"),
			 "a missing file: ENOENT: %s", mdb_last_error());
	ret = mdb_ctl("load tmp/x.lua\n");
	ksft_test_result(ret == -EINVAL && strstr(mdb_last_error(), "path must be absolute") &&
			 strstr(mdb_last_error(), "^~~~~~~~~"),
			 "a relative path, with a caret: %s", mdb_last_error());
	ret = mdb_ctl("load " EMPTY "\n");
	ksft_test_result(ret == -EINVAL && strstr(mdb_last_error(), "empty"),
			 "an empty file: %s", mdb_last_error());

	mdb_script_load("", 0);
	unlink(GOOD);
	unlink(BAD);
	unlink(EMPTY);
	free(text);
	ksft_finished();
}
