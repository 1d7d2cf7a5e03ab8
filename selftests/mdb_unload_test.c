// SPDX-License-Identifier: GPL-2.0
/*
 * description: unloading mdb while its breakpoints and watchpoints fire on
 * every CPU is clean, and the test target works afterwards; unloading the
 * test target disarms mdb's breakpoints in it.
 */
#include "mdb_test.h"

#define TT_KO "/lib/mdb/mdb_test_target.ko"

static pid_t hammer(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		for (;;) {
			tt_run("hardirq 100");
			tt_run("process 100");
			tt_run("write 50");
			tt_run("kthread 20");
		}
	}
	return pid;
}

static int tt_load(void)
{
	int fd = open(TT_KO, O_RDONLY), ret;

	ret = syscall(SYS_finit_module, fd, "", 0) ? -errno : 0;
	close(fd);
	return ret;
}

int main(void)
{
	int i, bad = 0;
	long long before;
	struct mdb_row r;
	pid_t child;

	ksft_print_header();
	ksft_set_plan(6);

	for (i = 0; i < 5; i++) {
		mdb_ctl("reset\n");
		if (mdb_ctl("break mdb_tt_target\nbreak mdb_tt_target sw bt\n"
			    "watch mdb_tt_watched rw regs\nbreak vfs_read count\n"))
			bad++;
		child = hammer();
		mdb_sleep_ms(300);
		if (mdb_unload())
			bad++;
		mdb_sleep_ms(100);
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
		if (mdb_load())
			bad++;
	}
	ksft_test_result(!bad, "5 x unload with 4 breakpoints firing, reload: clean\n");
	before = tt_counter("target_process");
	ksft_test_result(tt_run("process 10") == 0 && tt_counter("target_process") == before + 10,
			 "test target works afterwards\n");

	/* the target module goes away under an armed breakpoint */
	mdb_ctl("reset\n");
	mdb_ctl("break mdb_tt_target count\nwatch mdb_tt_watched\n");
	tt_run("process 3");
	ksft_test_result(syscall(SYS_delete_module, "mdb_test_target", O_NONBLOCK) == 0,
			 "unload the test target under 2 armed breakpoints\n");
	ksft_test_result(mdb_bp_row(1, &r) && !strcmp(r.state, "gone") && r.hits == 3 &&
			 strstr(r.command, "unloaded"),
			 "its breakpoints are 'gone' with the reason\n");
	ksft_test_result(tt_load() == 0 && mdb_ctl("enable all\n") == 0 &&
			 mdb_bp_row(1, &r) && !strcmp(r.state, "armed"),
			 "reload the test target, enable all: re-resolved and armed\n");
	tt_run("process 4");
	ksft_test_result(mdb_bp_hits(1) == 7, "hits continue at the new address (%lld)\n",
			 mdb_bp_hits(1));
	mdb_ctl("reset\n");
	ksft_finished();
}
