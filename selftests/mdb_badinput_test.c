// SPDX-License-Identifier: GPL-2.0
/*
 * description: malformed and refused commands fail the write with the
 * fitting errno, status names the problem, and the breakpoints table is
 * unchanged afterwards.
 */
#include "mdb_test.h"

struct bad {
	const char *cmd;
	int err;
	const char *says;	/* status must contain this */
};

static const struct bad bad[] = {
	/* the parser */
	{ "frob", EINVAL, "unknown command 'frob'" },
	{ "Break vfs_read", EINVAL, "unknown command 'Break'" },
	{ "break", EINVAL, "missing location" },
	{ "watch", EINVAL, "missing location" },
	{ "break 1vfs_read", EINVAL, "starts with a digit" },
	{ "break vfs-read", EINVAL, "invalid character in symbol" },
	{ "break :vfs_read", EINVAL, "missing module name" },
	{ "break ext4:", EINVAL, "missing symbol name" },
	{ "break vfs_read+", EINVAL, "invalid offset" },
	{ "break vfs_read+0xzz", EINVAL, "invalid offset" },
	{ "break vfs_read+0x100000000", ERANGE, "offset larger" },
	{ "break 0x", EINVAL, "invalid address" },
	{ "break 0x12345678123456789", EINVAL, "invalid address" },
	{ "break 0x0000800000000000", EINVAL, "non-canonical" },
	{ "break 0x7fffffff0000", EINVAL, "not a kernel address" },
	{ "break vfs_read len=4", EINVAL, "not valid for this command 'len=4'" },
	{ "break vfs_read hw sw", EINVAL, "conflicts" },
	{ "break vfs_read count count", EINVAL, "given twice" },
	{ "break vfs_read pid=", EINVAL, "needs a value" },
	{ "break vfs_read pid=0", ERANGE, "pid must be" },
	{ "break vfs_read pid=99999999", ERANGE, "pid must be" },
	{ "break vfs_read pid=12x", EINVAL, "invalid number" },
	{ "break vfs_read cpu=9000", ERANGE, "cpu must be" },
	{ "break vfs_read limit=0", ERANGE, "limit must be" },
	{ "break vfs_read limit=99999999999999999999", ERANGE, "does not fit" },
	{ "break vfs_read comm=abcdefghijklmnopq", EINVAL, "comm longer" },
	{ "break vfs_read count=1", EINVAL, "takes no value" },
	{ "break vfs_read frob", EINVAL, "unknown option 'frob'" },
	{ "watch jiffies len=3", EINVAL, "length must be 1, 2, 4 or 8" },
	{ "watch jiffies r", EINVAL, "x86 cannot trap reads alone; use rw" },
	{ "watch jiffies x", EINVAL, "use break for execution" },
	{ "watch jiffies sw", EINVAL, "hardware-only" },
	{ "delete", EINVAL, "missing breakpoint id" },
	{ "delete 1 2", EINVAL, "unexpected argument" },
	{ "delete 0", ERANGE, "id must be" },
	{ "enable x", EINVAL, "invalid breakpoint id" },
	{ "reset now", EINVAL, "unexpected argument" },
	{ "break vfs_read \x01", EINVAL, "control character" },
	/* the kernel */
	{ "break no_such_function_xyz", ENOENT, "unknown symbol 'no_such_function_xyz'" },
	{ "break nosuchmod:foo", ENOENT, "is module 'nosuchmod' loaded" },
	{ "break vfs_read+0x100000", EINVAL, "past the end of 'vfs_read'" },
	{ "break entry_SYSCALL_64", EINVAL, ".entry.text" },
	{ "break exc_nmi", EINVAL, ".noinstr.text" },
	{ "break mdb:mdb_hw_handler", EINVAL, "mdb's own module" },
	{ "break jiffies", EINVAL, "not kernel or module text" },
	{ "break vfs_read cpu=4000", EINVAL, "no such CPU" },
	{ "watch mdb_tt_watched_bytes+1 len=2", EINVAL, "not aligned" },
	{ "watch mdb_tt_watched_bytes+4 len=8", EINVAL, "not aligned" },
	{ "watch 0xffffffff00000000", EFAULT, "not mapped" },
	{ "break mdb_tt_target count", EEXIST, "same as breakpoint 1" },
	{ "delete 999", ENOENT, "no breakpoint 999" },
	{ "enable 999", ENOENT, "no breakpoint 999" },
	{ "disable 999", ENOENT, "no breakpoint 999" },
};

int main(void)
{
	static char before[65536], after[65536];
	unsigned int i;
	int ret;

	ksft_print_header();
	ksft_set_plan(ARRAY_SIZE(bad) + 2);

	mdb_ctl("reset\n");
	ret = mdb_ctl("break mdb_tt_target count\nwatch mdb_tt_watched w count\n");
	ksft_test_result(!ret, "two breakpoints to keep\n");
	mdb_read(MDB_DIR "/breakpoints", before, sizeof(before));

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		char line[300];
		const char *msg;

		snprintf(line, sizeof(line), "%s\n", bad[i].cmd);
		ret = mdb_ctl(line);
		msg = mdb_last_error();
		mdb_read(MDB_DIR "/breakpoints", after, sizeof(after));
		ksft_test_result(ret == -bad[i].err && strstr(msg, bad[i].says) &&
				 !strcmp(before, after),
				 "'%s': %s, \"%s\", table unchanged\n",
				 bad[i].cmd[0] == 'b' && strchr(bad[i].cmd, 1) ? "break vfs_read ^A" : bad[i].cmd,
				 strerror(bad[i].err), bad[i].says);
		if (ret != -bad[i].err || !strstr(msg, bad[i].says))
			ksft_print_msg("got %s; status: %s", strerror(-ret), msg);
	}

	/* a bad line in the middle: the lines before it stay applied */
	ret = mdb_ctl("break mdb_tt_args count\nfrob\nbreak vfs_write\n");
	ksft_test_result(ret == -EINVAL && mdb_bp_count() == 3 &&
			 strstr(mdb_last_error(), "'frob'"),
			 "a bad second line: the first is applied, the third is not\n");
	mdb_ctl("reset\n");
	ksft_finished();
}
