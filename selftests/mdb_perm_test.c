// SPDX-License-Identifier: GPL-2.0
/*
 * description: every mdb file is root-only, and control, script, mem,
 * disasm and log refuse a process without CAP_SYS_ADMIN even when the file
 * modes are opened up (the check is the capability, not the mode).
 */
#include <sys/mount.h>
#include "mdb_test.h"

static const char *const files[] = { "control", "status", "breakpoints", "log",
				     "vetoes", "disasm", "mem", "script" };

/* In a child without CAP_SYS_ADMIN: open @f with @flags (and write @s). */
static int without_cap(const char *f, int flags, const char *s)
{
	int st, pfd[2];
	pid_t pid;

	if (pipe(pfd))
		return -EIO;
	pid = fork();
	if (pid == 0) {
		char path[128];
		int fd, err = 0;

		/*
		 * Root without CAP_SYS_ADMIN: DAC lets it open the files, so
		 * what refuses is mdb's capability check, nothing else.
		 */
		struct { unsigned int version; int pid; } hdr = { 0x20080522, 0 };
		struct { unsigned int effective, permitted, inheritable; } data[2];

		if (syscall(SYS_capget, &hdr, data))
			_exit(100);
		data[0].effective &= ~(1U << 21);	/* CAP_SYS_ADMIN */
		data[0].permitted &= ~(1U << 21);
		if (syscall(SYS_capset, &hdr, data))
			_exit(100);
		snprintf(path, sizeof(path), MDB_DIR "/%s", f);
		fd = open(path, flags);
		if (fd < 0)
			err = errno;
		else if (s && write(fd, s, strlen(s)) < 0)
			err = errno;
		if (write(pfd[1], &err, sizeof(err)) != sizeof(err))
			_exit(101);
		_exit(0);
	}
	close(pfd[1]);
	st = 0;
	if (read(pfd[0], &st, sizeof(st)) != sizeof(st))
		st = -1;
	close(pfd[0]);
	waitpid(pid, NULL, 0);
	return st;
}

int main(void)
{
	struct stat sb;
	unsigned int i, bad = 0;
	int e;

	ksft_print_header();
	ksft_set_plan(7);

	for (i = 0; i < ARRAY_SIZE(files); i++) {
		char path[128];

		snprintf(path, sizeof(path), MDB_DIR "/%s", files[i]);
		if (stat(path, &sb) || sb.st_uid || (sb.st_mode & 077)) {
			ksft_print_msg("%s: mode %o uid %d\n", files[i], sb.st_mode & 0777, sb.st_uid);
			bad++;
		}
	}
	ksft_test_result(!bad, "all %zu files are owned by root, no group/other access\n",
			 ARRAY_SIZE(files));

	/* open everything up, as a careless admin might */
	if (chmod("/sys/kernel/debug", 0755))
		mount("debugfs", "/sys/kernel/debug", "debugfs", MS_REMOUNT, "mode=0755");
	chmod(MDB_DIR, 0755);
	for (i = 0; i < ARRAY_SIZE(files); i++) {
		char path[128];

		snprintf(path, sizeof(path), MDB_DIR "/%s", files[i]);
		chmod(path, 0666);
	}

	mdb_ctl("reset\n");
	e = without_cap("control", O_WRONLY, "break vfs_read\n");
	ksft_test_result(e == EPERM && mdb_bp_count() == 0,
			 "control 0666: a write without CAP_SYS_ADMIN fails with EPERM (%s)\n", strerror(e));
	e = without_cap("script", O_WRONLY, "x = 1\n");
	ksft_test_result(e == EPERM, "script 0666: EPERM (%s)\n", strerror(e));
	e = without_cap("mem", O_WRONLY, "jiffies 8\n");
	ksft_test_result(e == EPERM, "mem 0666: EPERM (%s)\n", strerror(e));
	e = without_cap("disasm", O_WRONLY, "vfs_read 2\n");
	ksft_test_result(e == EPERM, "disasm 0666: EPERM (%s)\n", strerror(e));
	e = without_cap("log", O_RDONLY, NULL);
	ksft_test_result(e == EPERM, "log 0666: an open without CAP_SYS_ADMIN fails with EPERM (%s)\n",
			 strerror(e));

	for (i = 0; i < ARRAY_SIZE(files); i++) {
		char path[128];

		snprintf(path, sizeof(path), MDB_DIR "/%s", files[i]);
		chmod(path, !strcmp(files[i], "control") || !strcmp(files[i], "disasm") ||
			    !strcmp(files[i], "mem") || !strcmp(files[i], "script") ? 0600 : 0400);
	}
	chmod("/sys/kernel/debug", 0700);
	ksft_test_result(mdb_ctl("reset\n") == 0, "root still can\n");
	ksft_finished();
}
