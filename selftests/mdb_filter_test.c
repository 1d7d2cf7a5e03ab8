// SPDX-License-Identifier: GPL-2.0
/*
 * description: pid=, comm= and cpu= filters are decided at the hit
 * (filtered hits are counted apart), limit= disables after N hits, and
 * `delete all` while hits are arriving on both CPUs is safe.
 */
#include "mdb_test.h"

static pid_t hammer(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		for (;;) {
			tt_run("hardirq 50");
			tt_run("process 50");
			tt_run("softirq 20");
		}
	}
	return pid;
}

int main(void)
{
	long n = ncpus_online();
	struct mdb_row r;
	char cmd[128];
	int i, ret, bad = 0;
	pid_t child;

	ksft_print_header();
	ksft_set_plan(8);

	/* pid=: only this process's calls; the kthread calls are filtered */
	mdb_ctl("reset\n");
	snprintf(cmd, sizeof(cmd), "break mdb_tt_target pid=%d count\n", getpid());
	ret = mdb_ctl(cmd);
	tt_run("process 30");
	tt_run("kthread 20");
	ksft_test_result(!ret && mdb_bp_row(1, &r) && r.hits == 30 && r.filtered == 20 * n,
			 "pid=%d: 30 hits, %ld filtered (got %lld, %lld)\n",
			 getpid(), 20 * n, r.hits, r.filtered);

	/* comm=: kthreads are named differently */
	mdb_ctl("reset\n");
	ret = mdb_ctl("break mdb_tt_target comm=mdb_filter_test sw count\n");
	tt_run("process 25");
	tt_run("kthread 10");
	ksft_test_result(!ret && mdb_bp_row(1, &r) && r.hits == 25 && r.filtered == 10 * n,
			 "comm=mdb_filter_test (sw): 25 hits, %ld filtered (got %lld, %lld)\n",
			 10 * n, r.hits, r.filtered);

	/* cpu=: process calls pinned to the last CPU, per-CPU softirq calls */
	mdb_ctl("reset\n");
	ret = mdb_ctl("break mdb_tt_target cpu=0 count\n");
	mdb_pin_cpu(n - 1);
	tt_run("process 40");
	tt_run("softirq 15");
	mdb_pin_cpu(0);
	ksft_test_result(!ret && mdb_bp_row(1, &r) &&
			 r.hits == 15 + (n == 1 ? 40 : 0) &&
			 r.filtered == 15 * (n - 1) + (n == 1 ? 0 : 40),
			 "cpu=0: only CPU 0's calls hit (got %lld hits, %lld filtered)\n",
			 r.hits, r.filtered);

	/* limit= */
	mdb_ctl("reset\n");
	ret = mdb_ctl("break mdb_tt_target limit=10 count\n");
	tt_run("process 100");
	for (i = 0; i < 50 && mdb_bp_row(1, &r) && strcmp(r.state, "disabled"); i++)
		mdb_sleep_ms(100);
	ksft_test_result(!ret && r.hits == 10 && !strcmp(r.state, "disabled") &&
			 strstr(r.command, "limit=10 reached"),
			 "limit=10: 10 hits of 100 calls, then disabled (%lld, %s)\n",
			 r.hits, r.state);
	tt_run("process 100");
	ksft_test_result(mdb_bp_hits(1) == 10, "no hits counted once disabled\n");

	/* disable / enable */
	mdb_ctl("reset\n");
	mdb_ctl("break mdb_tt_target count\n");
	mdb_ctl("disable 1\n");
	tt_run("process 10");
	ret = mdb_ctl("enable 1\n");
	tt_run("process 10");
	ksft_test_result(!ret && mdb_bp_hits(1) == 10 && mdb_bp_row(1, &r) &&
			 !strcmp(r.state, "armed"),
			 "disable, enable: only the 10 calls while armed hit\n");

	/* delete all while hits arrive on every CPU */
	mdb_ctl("reset\n");
	child = hammer();
	for (i = 0; i < 30; i++) {
		if (mdb_ctl("break mdb_tt_target\nbreak mdb_tt_target sw regs\n"
			    "watch mdb_tt_watched rw bt\nbreak mdb_tt_args count\n"))
			bad++;
		mdb_sleep_ms(20);
		if (mdb_ctl("delete all\n"))
			bad++;
	}
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	ksft_test_result(!bad && mdb_bp_count() == 0,
			 "30 rounds of add 4 / delete all under load: clean (%d failures)\n", bad);
	ksft_test_result(tt_run("process 5") == 0, "test target still works\n");
	mdb_ctl("reset\n");
	ksft_finished();
}
