// SPDX-License-Identifier: GPL-2.0
/*
 * description: the entry-window check refuses, with a reason, a breakpoint
 * at every instruction of entry_SYSCALL_64 (enumerated with mdb's own
 * disasm), in exc_nmi, asm_exc_nmi, a .noinstr.text function and mdb's own
 * functions; NMI paths are allowed with `unsafe`; watchpoints on mdb's own
 * data and the cpu entry area are refused; vetoes lists the ranges. On a
 * kernel with FRED compiled in (7.x), its entry points are refused too
 * (they live in .noinstr.text), whether or not the CPU uses FRED.
 */
#include "mdb_test.h"

/* Addresses of the instructions of @func, from mdb's disasm. */
static int insn_addrs(const char *func, unsigned long *out, int max)
{
	static char buf[1 << 17];
	char req[96], tag[96], *p;
	int n = 0;

	snprintf(req, sizeof(req), "%s 400\n", func);
	snprintf(tag, sizeof(tag), " <%s+", func);
	if (mdb_write(MDB_DIR "/disasm", req) || mdb_read(MDB_DIR "/disasm", buf, sizeof(buf)) <= 0)
		return -1;
	for (p = buf; p && *p && n < max; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		char *end = strchr(p, '\n');

		if (!strstr(p, tag) || (end && strstr(p, tag) > end))
			break;	/* the next symbol: the function ended */
		out[n++] = strtoul(p, NULL, 16);
	}
	return n;
}

static void refuse_all(const char *func, const char *why)
{
	static unsigned long a[512];
	int n = insn_addrs(func, a, 512), i, refused = 0;
	char cmd[64];

	for (i = 0; i < n; i++) {
		snprintf(cmd, sizeof(cmd), "break 0x%lx\n", a[i]);
		if (mdb_ctl(cmd) == -EINVAL && strstr(mdb_last_error(), "refused") &&
		    strstr(mdb_last_error(), why))
			refused++;
		else
			ksft_print_msg("%s: %s", cmd, mdb_last_error());
	}
	ksft_test_result(n > 0 && refused == n,
			 "break at each of the %d instructions of %s: all refused (%s)\n",
			 n, func, why);
}

static void refuse(const char *cmd, int err, const char *why)
{
	char line[128];
	int ret;

	snprintf(line, sizeof(line), "%s\n", cmd);
	ret = mdb_ctl(line);
	ksft_test_result(ret == -err && strstr(mdb_last_error(), why),
			 "'%s': %s, \"%s\"\n", cmd, strerror(err), why);
	if (ret != -err || !strstr(mdb_last_error(), why))
		ksft_print_msg("got %s: %s", strerror(-ret), mdb_last_error());
}

/* Is @name a symbol of the running kernel? */
static bool have_ksym(const char *name)
{
	char line[256], want[128];
	FILE *f = fopen("/proc/kallsyms", "r");
	bool found = false;

	if (!f)
		return false;
	/* vmlinux's lines end with the name; a module's add "\t[mod]" */
	snprintf(want, sizeof(want), " %s\n", name);
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, want) != NULL;
	fclose(f);
	return found;
}

/* FRED's entry points, on kernels that have them: refused like the IDT's. */
static void refuse_fred(void)
{
	static const char *const fred[] = {
		"asm_fred_entrypoint_user", "asm_fred_entrypoint_kernel",
		"fred_entry_from_user", "fred_entry_from_kernel",
	};
	char cmd[96];
	int i, n = 0, refused = 0;

	for (i = 0; i < (int)(sizeof(fred) / sizeof(fred[0])); i++) {
		if (!have_ksym(fred[i]))
			continue;
		n++;
		snprintf(cmd, sizeof(cmd), "break %s\n", fred[i]);
		if (mdb_ctl(cmd) == -EINVAL && strstr(mdb_last_error(), "refused"))
			refused++;
		else
			ksft_print_msg("%s: %s", cmd, mdb_last_error());
	}
	if (!n)
		ksft_test_result_skip("no FRED entry points in this kernel\n");
	else
		ksft_test_result(refused == n, "FRED's %d entry points refused\n", n);
}

int main(void)
{
	static char buf[1 << 18];
	struct mdb_row r;
	int ret;

	ksft_print_header();
	ksft_set_plan(18);
	mdb_ctl("reset\n");

	refuse_all("entry_SYSCALL_64", ".entry.text");
	refuse_all("asm_exc_nmi", ".entry.text");
	refuse_all("exc_nmi", ".noinstr.text");
	refuse_fred();
	refuse("break do_syscall_64", EINVAL, ".noinstr.text");
	refuse("break do_syscall_64 unsafe", EINVAL, ".noinstr.text");
	refuse("break mdb:mdb_hw_handler", EINVAL, "mdb's own");
	refuse("break mdb:mdb_step_notify+0x4 sw", EINVAL, "mdb's own");
	refuse("break x86_pmu_handle_irq", EINVAL, "NMI or machine-check path");
	ret = mdb_ctl("break x86_pmu_handle_irq unsafe count\n");
	ksft_test_result(!ret && mdb_bp_row(1, &r) && !strcmp(r.state, "armed"),
			 "'unsafe' allows an NMI path\n");
	mdb_ctl("reset\n");
	refuse("break copy_from_kernel_nofault", EINVAL, "hit path");
	/* a KASAN kernel: its runtime, which every instrumented access calls */
	if (have_ksym("kasan_check_range"))
		refuse("break kasan_check_range", EINVAL, "hit path");
	else
		ksft_test_result_skip("no KASAN in this kernel (kasan_check_range)\n");
	refuse("watch mdb:mdb_sessions", EINVAL, "mdb's own");
	refuse("watch 0xfffffe0000001000", EINVAL, "cpu entry area");
	refuse("break mdb_test_target:mdb_tt_target+0x1 hw", EINVAL, "instruction boundary");

	ret = mdb_read(MDB_DIR "/vetoes", buf, sizeof(buf));
	ksft_test_result(ret > 0 && strstr(buf, " window ") && strstr(buf, "sysretq") &&
			 strstr(buf, "entry_SYSCALL_64"),
			 "vetoes lists the swapgs windows of the entry code\n");
	ksft_test_result(strstr(buf, " entry ") && strstr(buf, " noinstr ") &&
			 strstr(buf, " kprobes ") && strstr(buf, " nmi ") && strstr(buf, " cea "),
			 "vetoes lists entry, noinstr, kprobe blacklist, NMI and cea ranges\n");
	ksft_test_result(mdb_bp_count() == 0, "nothing was armed by the refusals\n");
	ksft_finished();
}
