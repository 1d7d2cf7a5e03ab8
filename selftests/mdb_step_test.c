// SPDX-License-Identifier: GPL-2.0
/*
 * description: single-stepping from a breakpoint: the getppid step trace
 * stops before do_syscall_64's noinstr code with a reason and never shows
 * .entry.text; step=N takes exactly N steps; step=branch stops after the
 * first taken branch; `over` and calls into refused functions are stepped
 * over; a stray single-step trap is cleared and counted.
 */
#include "mdb_test.h"

static char *text;

/* Drain the log into text; returns the number of lines matching @needle. */
static long long drain(const char *needle)
{
	return mdb_log_take(&text, needle);
}

static int count_lines(const char *needle)
{
	const char *p = text;
	int n = 0;

	while (p && (p = strstr(p, needle))) {
		n++;
		p++;
	}
	return n;
}

static long long status_num(const char *key)
{
	char v[64];

	return mdb_status_field(key, v, sizeof(v)) ? strtoll(v, NULL, 10) : -1;
}

int main(void)
{
	char cmd[128];
	int i, steps, ret;
	long long stray0;

	ksft_print_header();
	ksft_set_plan(15);

	/* the seed's lesson: step out of a syscall handler */
	mdb_ctl("reset\n");
	/* with lockdep, rcu_read_lock() calls lock_acquire(), whose pushfq
	 * ends a trace (stepping never executes it): step over calls there */
	snprintf(cmd, sizeof(cmd), "break __x64_sys_getppid step=400 pid=%d%s\n", getpid(),
		 path_exists("/proc/lockdep") ? " over" : "");
	if (path_exists("/proc/lockdep"))
		ksft_print_msg("lockdep kernel: stepping over calls\n");
	ret = mdb_ctl(cmd);
	for (i = 0; i < 5; i++)
		syscall(SYS_getppid);
	drain(NULL);
	steps = count_lines(" step ") - count_lines(" step stopped") - count_lines(" step done");
	ksft_test_result(!ret && steps > 10, "getppid: %d step lines\n", steps);
	/*
	 * Each trace ends with a reason. Most reach do_syscall_64's
	 * .noinstr.text on the way out; under preemptible RCU (6.12-rt, 7.3)
	 * a busy machine sometimes sends rcu_read_unlock() through
	 * rcu_read_unlock_special(), whose local_irq_save() (pushf) ends the
	 * trace first, with that reason: also right, and seen in make check.
	 */
	{
		int stops = count_lines(" step stopped"), done = count_lines(" step done");
		int noinstr = count_lines("step stopped before .noinstr.text");
		const char *p = text, *e;

		ksft_test_result(stops + done == 5 && noinstr >= 1 &&
				 count_lines(" at do_syscall_64+") >= noinstr,
				 "each of 5 traces ends with a reason; %d stop before do_syscall_64's .noinstr.text\n",
				 noinstr);
		while (noinstr != 5 && (p = strstr(p, "step stopped"))) {
			e = strchr(p, '\n');
			ksft_print_msg("%.*s\n", e ? (int)(e - p) : 200, p);
			p += 12;
		}
	}
	ksft_test_result(!strstr(text, "entry_SYSCALL") && !strstr(text, "entry_SYSRET"),
			 "no step ever shows .entry.text\n");
	if (!strstr(text, "step stopped before .noinstr.text"))
		ksft_print_msg("%s\n", text);

	/* step=N */
	mdb_ctl("reset\n");
	ret = mdb_ctl("break mdb_tt_target step=3\n");
	tt_run("process 2");
	drain(NULL);
	ksft_test_result(!ret && count_lines("bp=1 step mdb_tt_target+") == 6 &&
			 count_lines("bp=1 step done: all steps taken") == 2,
			 "step=3, 2 calls: 6 step lines, 2 'done'\n");
	ksft_test_result(count_lines(" |") == 6 && strstr(text, "mdb_tt_target+0x"),
			 "step lines carry sym+0xoff and the instruction text\n");

	/* step=branch: the first taken branch is mdb_tt_target's return */
	mdb_ctl("reset\n");
	ret = mdb_ctl("break mdb_tt_target step=branch\n");
	tt_run("process 1");
	drain(NULL);
	ksft_test_result(!ret && count_lines("step stopped after the taken branch") == 1 &&
			 strstr(text, ": ret"),
			 "step=branch stops after the ret of mdb_tt_target\n");

	/* a call into a refused function is stepped over */
	mdb_ctl("reset\n");
	ret = mdb_ctl("break mdb_tt_nofault step=60\n");
	tt_run("nofault 1");
	drain(NULL);
	ksft_test_result(!ret && count_lines("stepping over the call: kernel code mdb's hit path calls") == 1,
			 "the call to copy_from_kernel_nofault is stepped over, with the reason\n");
	ksft_test_result(!strstr(text, "step copy_from_kernel_nofault") &&
			 count_lines("bp=1 step mdb_tt_nofault+") > 3,
			 "no step inside the refused function; stepping resumes after it\n");
	if (!strstr(text, "stepping over"))
		ksft_print_msg("%s\n", text);

	/* over: every call */
	mdb_ctl("reset\n");
	ret = mdb_ctl("break mdb_tt_run_process step=40 over\n");
	tt_run("process 2");
	drain(NULL);
	ksft_test_result(!ret && count_lines("stepping over the call: over") >= 2 &&
			 !strstr(text, "step mdb_tt_target+"),
			 "over: mdb_tt_target is called twice and never stepped into\n");

	/* a step never executes an instruction a watchpoint would trap: QEMU
	 * delivers that #DB separately, inside the step's #DB (step.c) */
	mdb_ctl("reset\n");
	mdb_ctl("watch mdb_tt_args_obj+16 w count\n");
	ret = mdb_ctl("break mdb_tt_obj_update step=100\n");	/* KASAN's checks come first */
	ret = ret ? ret : tt_run("objw 5");
	drain(NULL);
	ksft_test_result(!ret && count_lines("step stopped before mov: it would trigger a hardware watchpoint") == 5,
			 "stepping stops before a store into a watched field, 5 of 5 times\n");
	ksft_test_result(mdb_bp_hits(1) == 5 && tt_run("process 3") == 0,
			 "the watchpoint still counts the 5 stores; the kernel carries on\n");

	/* refusals */
	mdb_ctl("reset\n");
	ret = mdb_ctl("break mdb_tt_target sw step=3\n");
	ksft_test_result(ret == -EINVAL && strstr(mdb_last_error(), "needs a hardware breakpoint"),
			 "step= with sw: EINVAL, says why\n");
	ret = mdb_ctl("break mdb_tt_target over\n");
	ksft_test_result(ret == -EINVAL, "over without step=: EINVAL\n");

	/* a stray single-step trap in kernel mode */
	stray0 = status_num("stray steps");
	ret = tt_run("stray");
	ksft_test_result(!ret && status_num("stray steps") == stray0 + 1,
			 "a single-step trap nobody asked for is cleared and counted\n");
	ksft_test_result(tt_run("process 3") == 0, "the kernel carries on\n");
	mdb_ctl("reset\n");
	free(text);
	ksft_finished();
}
