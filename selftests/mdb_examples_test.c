// SPDX-License-Identifier: GPL-2.0
/*
 * description: each Lua example in examples/ gives the expected output
 * against the test target and this process, with exact counts: calls per
 * comm, open paths, a read-size histogram, stepping from a hit, a field
 * watchpoint from a hit, a latency histogram from ret, the top callers,
 * failed calls by errno name, the task on the CPU by sched_switch, the
 * native maps (mdb.count, mdb.hist).
 */
#include "mdb_test.h"

static char *text;

static void drain(void)
{
	mdb_log_take(&text, NULL);
}

static int load(const char *name)
{
	static char src[16384];
	char path[128];
	int n;

	snprintf(path, sizeof(path), "/selftests/mdb/%s", name);
	n = mdb_read(path, src, sizeof(src));
	if (n <= 0)
		return -ENOENT;
	return mdb_script_load(src, n);
}

int main(void)
{
	char comm[32], line[160], buf[4096];
	struct mdb_row r;
	int i, fd, me = getpid(), ret;
	long long h0;
	char want[64];

	ksft_print_header();
	ksft_set_plan(15);
	mdb_read("/proc/self/comm", comm, sizeof(comm));
	comm[strcspn(comm, "\n")] = '\0';
	mdb_ctl("reset\n");

	ret = load("count-per-comm.lua");
	mdb_ctl("break mdb_tt_target lua=count count\n");
	tt_run("process 30");
	mdb_ctl("call report\n");
	drain();
	snprintf(line, sizeof(line), "calls %s 30", comm);
	ksft_test_result(!ret && strstr(text, line), "count-per-comm: '%s'\n", line);
	tt_run("kthread 4");
	mdb_ctl("call report\n");
	drain();
	ksft_test_result(strstr(text, line) && strstr(text, "calls mdb_tt_kthread") ,
			 "count-per-comm: kthreads counted apart\n");

	mdb_ctl("reset\n");
	ret = load("openat-paths.lua");
	snprintf(line, sizeof(line), "break do_sys_openat2 lua=path count pid=%d\n", me);
	ret = ret ? ret : mdb_ctl(line);
	for (i = 0; i < 3; i++)
		open("/tmp/mdb-example-path", O_RDONLY);
	mdb_ctl("delete all\n");
	drain();
	snprintf(line, sizeof(line), "openat %s %d /tmp/mdb-example-path", comm, me);
	ksft_test_result(!ret && strstr(text, line), "openat-paths: '%s'\n", line);
	ksft_test_result(text && strstr(text, line) && strstr(strstr(strstr(text, line) + 1, line) + 1, line),
			 "openat-paths: exactly the 3 opens\n");

	mdb_ctl("reset\n");
	ret = load("read-histogram.lua");
	fd = open("/dev/zero", O_RDONLY);
	snprintf(line, sizeof(line), "break vfs_read lua=size count pid=%d\n", me);
	ret = ret ? ret : mdb_ctl(line);
	for (i = 0; i < 5; i++)
		read(fd, buf, 100);
	for (i = 0; i < 3; i++)
		read(fd, buf, 4096);
	mdb_ctl("delete all\ncall hist\n");
	close(fd);
	drain();
	ksft_test_result(!ret && strstr(text, "read <=128 bytes: 5") &&
			 strstr(text, "read <=4096 bytes: 3"),
			 "read-histogram: 5 reads <=128, 3 reads <=4096\n");

	mdb_ctl("reset\n");
	ret = load("step-when.lua");
	mdb_ctl("break mdb_tt_target hw lua=maybe_step\n");
	tt_run("process 10");
	drain();
	{
		int steps = 0, ends = 0;
		char *p;

		for (p = text; p && (p = strstr(p, "bp=1 step ")); p++) {
			if (!strncmp(p + 10, "done", 4) || !strncmp(p + 10, "stopped", 7))
				ends++;
			else if (strncmp(p + 10, "stepping over", 13))	/* a note, not a step */
				steps++;
		}
		ksft_test_result(!ret && ends == 1 && steps >= 5 && steps <= 20,
				 "step-when: one session (arg 7), %d steps\n", steps);
	}

	mdb_ctl("reset\n");
	ret = load("watch-field.lua");
	mdb_ctl("break mdb_tt_obj_update lua=arm limit=1\n");
	tt_run("objw 1");
	for (i = 0; i < 50 && !mdb_bp_row(2, &r); i++)
		mdb_sleep_ms(100);
	ksft_test_result(!ret && mdb_bp_row(2, &r) && !strcmp(r.kind, "watch") &&
			 strstr(r.command, "lua=on_write"),
			 "watch-field: the field's watchpoint is armed from the hit\n");
	/* on a fully preemptible kernel the arming call's own store may come
	 * after the work item armed the watchpoint: then it counts too */
	h0 = mdb_bp_hits(2);
	tt_run("objw 5");
	mdb_ctl("call report_writes\n");
	drain();
	snprintf(want, sizeof(want), "field writes %lld", h0 + 5);
	ksft_test_result(h0 >= 0 && h0 <= 1 && strstr(text, want) && mdb_bp_hits(2) == h0 + 5,
			 "watch-field: exactly the 5 writes (+%lld before them)\n", h0);
	ksft_test_result(strstr(text, "watching mdb_tt_args_obj+0x10") != NULL,
			 "watch-field: the field is mdb_tt_args_obj+0x10\n");

	/* latency-hist: 3 calls of a 20 ms sleep, a log2 histogram of ret's elapsed */
	mdb_ctl("reset\n");
	ret = load("latency-hist.lua");
	ret = ret ? ret : mdb_ctl("break mdb_tt_sleep ret lua=lat count\n");
	for (i = 0; i < 3; i++)
		tt_run("sleep 20");
	mdb_ctl("delete all\ncall show\n");
	drain();
	{
		long long lo, sum = mdb_hist_sum(text, "bp=0 [", &lo);

		/* "bp=0 [16M, 32M)        3 |@@@...@@@|": 20 ms is 2^24..2^25 ns or more */
		ksft_test_result(!ret && text && strstr(text, "latency (ns), 3 calls") && sum == 3 &&
				 lo >= 16 && strstr(text, "|@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|"),
				 "latency-hist: 3 calls in buckets from [%lldM, ...), bars like hist()\n", lo);
		if (!(text && strstr(text, "latency (ns), 3 calls") && sum == 3))
			ksft_print_msg("%s", text ? text : "");
	}

	/* top-callers: this process first, then the kthreads */
	mdb_ctl("reset\n");
	ret = load("top-callers.lua");
	ret = ret ? ret : mdb_ctl("break mdb_tt_target lua=tally count\n");
	tt_run("process 30");
	tt_run("kthread 4");
	mdb_ctl("delete all\ncall top\n");
	drain();
	snprintf(line, sizeof(line), "top 1 %s 30", comm);
	/* the kthreads' comms "mdb_tt_kthread/N" are cut to 15 characters: one key */
	snprintf(want, sizeof(want), "top 2 mdb_tt_kthread/ %ld", 4 * ncpus_online());
	ksft_test_result(!ret && text && strstr(text, line) && strstr(text, want),
			 "top-callers: '%s', then '%s'\n", line, want);

	/* native-agg: the same by-comm count and a latency histogram in mdb's maps */
	mdb_ctl("reset\n");
	ret = load("native-agg.lua");
	ret = ret ? ret : mdb_ctl("break mdb_tt_target lua=calls count\n");
	ret = ret ? ret : mdb_ctl("break mdb_tt_sleep ret lua=lat count\n");
	tt_run("process 30");
	tt_run("kthread 4");
	tt_run("sleep 20");
	tt_run("sleep 20");
	mdb_ctl("delete all\ncall show\n");
	drain();
	snprintf(line, sizeof(line), "@[%s]: 30", comm);
	snprintf(want, sizeof(want), "@[mdb_tt_kthread/]: %ld", 4 * ncpus_online());
	{
		long long lo, sum = mdb_hist_sum(text, "bp=0 [", &lo);

		/* "bp=0 [16M, 32M)             2 |@@@...|": 20 ms is 2^24 ns or more */
		ksft_test_result(!ret && text && strstr(text, line) && strstr(text, want) &&
				 strstr(text, "@lat:") && sum == 2 && lo >= 16 &&
				 strstr(text, "|@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|"),
				 "native-agg: '%s', '%s', 2 sleeps in @lat from [%lldM, ...)\n", line,
				 want, lo);
		if (sum != 2)
			ksft_print_msg("%s\n", text ? text : "");
	}

	/* errno-count: failed opens of this process by errno name */
	mdb_ctl("reset\n");
	ret = load("errno-count.lua");
	snprintf(line, sizeof(line), "break do_sys_openat2 ret lua=err count pid=%d\n", me);
	ret = ret ? ret : mdb_ctl(line);
	open("/tmp/mdb-no-such-file", O_RDONLY);
	open("/tmp/mdb-no-such-dir/x", O_RDONLY);
	open("/tmp", O_WRONLY);
	fd = open("/tmp/mdb-example-path", O_RDONLY | O_CREAT, 0600);
	mdb_ctl("delete all\ncall errors\n");
	close(fd);
	drain();
	/* ok: the file, and the control file opened to write "delete all" */
	ret = !ret && text && strstr(text, "bp=0 ok 2\n") && strstr(text, "ENOENT 2") &&
	      strstr(text, "EISDIR 1");
	ksft_test_result(ret, "errno-count: ok 2, ENOENT 2, EISDIR 1\n");
	if (!ret)
		ksft_print_msg("%s", text ? text : "");

	/* cpu-owner: sched_switch says this process runs when the target is hit */
	mdb_ctl("reset\n");
	ret = load("cpu-owner.lua");
	ret = ret ? ret : mdb_ctl("break tp:sched:sched_switch lua=switch count\n");
	ret = ret ? ret : mdb_ctl("break mdb_tt_target lua=who count\n");
	mdb_sleep_ms(20);	/* switched out and in again: known to sched_switch */
	tt_run("process 10");
	mdb_ctl("delete all\ncall owners\n");
	drain();
	snprintf(line, sizeof(line), "owner %s/%d 10", comm, me);
	if (!mdb_have_btf())
		ksft_test_result_skip("cpu-owner: no BTF in this kernel (mdb.cast of a task_struct)\n");
	else
		ksft_test_result(!ret && text && strstr(text, line), "cpu-owner: '%s'\n", line);
	if (mdb_have_btf() && !(text && strstr(text, line)))
		ksft_print_msg("%s", text ? text : "");

	mdb_ctl("reset\n");
	fd = open(MDB_DIR "/script", O_WRONLY | O_TRUNC);
	ksft_test_result(fd >= 0 && close(fd) == 0 && mdb_status_field("script", buf, sizeof(buf)) &&
			 !strcmp(buf, "none"), "unload the script\n");
	free(text);
	ksft_finished();
}
