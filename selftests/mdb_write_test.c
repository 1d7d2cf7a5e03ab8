// SPDX-License-Identifier: GPL-2.0
/*
 * description: scripts cannot write kernel memory or registers unless mdb
 * is loaded with allow_write=1: with the default, mdb.write_u* and
 * ctx.regs.NAME = v fail with an error naming the parameter and change
 * nothing; with allow_write=1 a write lands (seen through `mem`), a
 * changed argument register reaches the function (hw and sw breakpoints),
 * and read-only text, user/non-canonical addresses, mdb's own memory and
 * ip/sp/flags are still refused.
 */
#include "mdb_test.h"

static const char script[] =
"function poke() return mdb.write_u64(mdb.addr('mdb_test_target:mdb_tt_watched'), 0x1122334455667788) end\n"
"function poke8() return mdb.write_u8(mdb.addr('mdb_test_target:mdb_tt_watched') + 1, 0xab) end\n"
"function report(what, ok, why) print(what .. ' ' .. tostring(ok) .. ' ' .. tostring(why)) end\n"
"function text() report('text', mdb.write_u8(mdb.addr('mdb_test_target:mdb_tt_target'), 0xcc)) end\n"
"function low() report('low', mdb.write_u64(16, 1)) end\n"
"function noncanon() report('noncanon', mdb.write_u64(0x0000800000000000, 1)) end\n"
"function own() report('own', mdb.write_u32(mdb.addr('mdb:mdb_script_hit'), 0)) end\n"
"function bump(ctx) ctx.regs.di = ctx.arg(1) + 1 end\n"
"function setip(ctx) ctx.regs.ip = 0 end\n"
"function setsp(ctx) ctx.regs.rsp = 0 end\n"
"function setno(ctx) ctx.regs.xyz = 0 end\n";

static char *text;

/* the 8 bytes of mdb_tt_watched as `mem` dumps them */
static bool watched_bytes(const char *hex)
{
	static char buf[4096];

	return mdb_write(MDB_DIR "/mem", "mdb_test_target:mdb_tt_watched 8") == 0 &&
	       mdb_read(MDB_DIR "/mem", buf, sizeof(buf)) > 0 && strstr(buf, hex);
}

static int load_with(const char *params)
{
	int fd = open(MDB_KO, O_RDONLY | O_CLOEXEC), ret;

	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, params, 0) ? -errno : 0;
	close(fd);
	return ret;
}

/* `break mdb_tt_args KIND lua=FN`, N calls: the args command's result */
static int args_with(const char *kind, const char *fn, int n)
{
	char cmd[128], run[32];
	int ret;

	snprintf(cmd, sizeof(cmd), "break mdb_tt_args %s lua=%s\n", kind, fn);
	snprintf(run, sizeof(run), "args %d", n);
	if (mdb_ctl(cmd))
		return -1000;
	ret = tt_run(run);
	mdb_ctl("delete all\n");
	return ret;
}

int main(void)
{
	struct mdb_row r;
	long long n;
	char buf[128];

	ksft_print_header();
	ksft_set_plan(17);
	mdb_ctl("reset\n");
	tt_run("reset");
	tt_run("write 1");	/* mdb_tt_watched == 1 */

	/* the default: allow_write is off */
	ksft_test_result(mdb_script_load(script, strlen(script)) == 0 &&
			 mdb_status_field("script writes", buf, sizeof(buf)) && !strcmp(buf, "off"),
			 "script loads; status says script writes: off\n");
	ksft_test_result(mdb_ctl("call poke\n") < 0 &&
			 strstr(mdb_last_error(), "writing kernel memory is off") &&
			 strstr(mdb_last_error(), "allow_write=1") &&
			 watched_bytes("01 00 00 00 00 00 00 00"),
			 "default: mdb.write_u64 fails naming allow_write, memory unchanged: %s\n",
			 mdb_last_error());
	mdb_log_take(&text, NULL);
	ksft_test_result(args_with("hw", "bump", 5) == 0 && mdb_log_take(&text, "ctx.regs is read-only") == 5 &&
			 strstr(text, "allow_write=1"),
			 "default: ctx.regs.di = v is a Lua error, the function sees its arguments\n");
	ksft_test_result(mdb_bp_count() == 0, "breakpoint deleted\n");

	/* reload with allow_write=1 */
	mdb_script_load("", 0);
	mdb_ctl("reset\n");
	ksft_test_result(mdb_unload() == 0 && load_with("allow_write=1") == 0,
			 "reload mdb with allow_write=1\n");
	ksft_test_result(mdb_script_load(script, strlen(script)) == 0 &&
			 mdb_status_field("script writes", buf, sizeof(buf)) && !strncmp(buf, "allowed", 7),
			 "script loads; status says script writes: allowed\n");
	ksft_test_result(mdb_ctl("call poke\n") == 0 && watched_bytes("88 77 66 55 44 33 22 11"),
			 "mdb.write_u64 lands: mem shows 88 77 66 55 44 33 22 11\n");
	ksft_test_result(mdb_ctl("call poke8\n") == 0 && watched_bytes("88 ab 66 55 44 33 22 11"),
			 "mdb.write_u8 writes one byte\n");
	mdb_log_take(&text, NULL);
	mdb_ctl("call text\n");
	mdb_ctl("call low\n");
	mdb_ctl("call noncanon\n");
	mdb_ctl("call own\n");
	mdb_log_take(&text, NULL);
	ksft_test_result(text && strstr(text, "text nil cannot write 1 bytes at 0x"),
			 "read-only text refused (nil, why)\n");
	ksft_test_result(text && strstr(text, "low nil cannot write 8 bytes at 0x10") &&
			 strstr(text, "noncanon nil cannot write 8 bytes at 0x800000000000"),
			 "user and non-canonical addresses refused\n");
	ksft_test_result(text && strstr(text, "own nil 0x") && strstr(text, "is mdb's own memory"),
			 "mdb's own memory refused\n");
	if (!text || !strstr(text, "own nil"))
		ksft_print_msg("log: %s\n", text ? text : "(empty)");
	ksft_test_result(tt_run("process 10") == 0, "the target's text still runs\n");

	/* registers: an argument changed at the trap reaches the function */
	ksft_test_result(args_with("hw", "bump", 5) == -EIO, "hw: ctx.regs.di = a + 1 changes the result\n");
	ksft_test_result(args_with("sw", "bump", 5) == -EIO, "sw: ctx.regs.di = a + 1 changes the result\n");
	mdb_log_take(&text, NULL);
	args_with("hw", "setip", 3);
	args_with("hw", "setsp", 3);
	args_with("hw", "setno", 3);
	n = mdb_log_take(&text, "lua error");
	ksft_test_result(n == 9 && strstr(text, "ctx.regs.ip cannot be written") &&
			 strstr(text, "ctx.regs.rsp cannot be written") &&
			 strstr(text, "ctx.regs has no register 'xyz'"),
			 "ip, sp and unknown registers refused (%lld errors)\n", n);
	ksft_test_result(tt_run("args 5") == 0 && !mdb_bp_row(1, &r), "arguments intact afterwards\n");

	/* back to the defaults for the tests that follow */
	mdb_script_load("", 0);
	mdb_ctl("reset\n");
	ksft_test_result(mdb_unload() == 0 && mdb_load() == 0, "reload mdb with defaults\n");
	free(text);
	ksft_finished();
}
