// SPDX-License-Identifier: GPL-2.0
/*
 * description: mdbfs, mdb's own filesystem at /sys/kernel/mdb (for kernels
 * whose lockdown closes debugfs), offers the same files as
 * /sys/kernel/debug/mdb and they behave alike: same names and modes; a
 * command written in one place shows in the other's breakpoints, both
 * ways; the log, a Lua script (compiled on close(2), errors included),
 * disasm, mem, vetoes and status through mdbfs; a mount pins mdb (rmmod
 * refused until umount); unmount and mount again.
 */
#include <dirent.h>
#include <sys/mount.h>
#include "mdb_test.h"

#define FS_DIR "/sys/kernel/mdb"

static const char script[] =
"total = 0\n"
"function count(ctx) total = total + 1; return false end\n"
"function report() print('mdbfs total=' .. total) end\n";

static char *text;

static int fs_ctl(const char *cmd)
{
	return mdb_write(FS_DIR "/control", cmd);
}

/* The log read through mdbfs, without blocking, into text. */
static long long fs_log_take(const char *needle)
{
	static char buf[1 << 16];
	long long matched = 0;
	size_t len = 0;
	char *line, *save;
	FILE *f;
	ssize_t n;
	int fd = open(FS_DIR "/log", O_RDONLY | O_NONBLOCK);

	free(text);
	text = NULL;
	f = open_memstream(&text, &len);
	while (fd >= 0 && (n = read(fd, buf, sizeof(buf) - 1)) > 0)
		fwrite(buf, 1, n, f);
	if (fd >= 0)
		close(fd);
	fclose(f);
	if (!text)
		return -1;
	strncpy(buf, text, sizeof(buf) - 1);
	buf[sizeof(buf) - 1] = '\0';
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (strstr(line, needle))
			matched++;
	return matched;
}

/* Write a script through mdbfs; the result of close(2), which compiles it. */
static int fs_script_load(const char *src)
{
	int fd = open(FS_DIR "/script", O_WRONLY | O_TRUNC), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, src, strlen(src)) != (ssize_t)strlen(src))
		ret = -errno;
	if (close(fd) && !ret)
		ret = -errno;
	return ret;
}

/* The same file read in both places gives the same text. */
static bool same_both(const char *name)
{
	static char a[65536], b[65536];
	char pa[128], pb[128];

	snprintf(pa, sizeof(pa), "%s/%s", MDB_DIR, name);
	snprintf(pb, sizeof(pb), "%s/%s", FS_DIR, name);
	return mdb_read(pa, a, sizeof(a)) > 0 && mdb_read(pb, b, sizeof(b)) > 0 &&
	       !strcmp(a, b);
}

/* Row @id of mdbfs's breakpoints table contains @a and @b. */
static bool fs_row_has(unsigned int id, const char *a, const char *b)
{
	static char buf[65536];
	char *line, *save;

	if (mdb_read(FS_DIR "/breakpoints", buf, sizeof(buf)) <= 0)
		return false;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (strtoul(line, NULL, 10) == id && line[0] != '#')
			return strstr(line, a) && strstr(line, b);
	return false;
}

static bool mounted(void)
{
	char buf[16384];

	return mdb_read("/proc/mounts", buf, sizeof(buf)) > 0 &&
	       strstr(buf, " " FS_DIR " mdbfs ");
}

/* Every debugfs file of mdb exists in mdbfs with the same mode; how many. */
static int same_files(char *why, size_t size)
{
	struct dirent *e;
	int n = 0, m = 0;
	DIR *d = opendir(MDB_DIR);

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		char pa[300], pb[300];
		struct stat sa, sb;

		if (e->d_name[0] == '.')
			continue;
		snprintf(pa, sizeof(pa), "%s/%s", MDB_DIR, e->d_name);
		snprintf(pb, sizeof(pb), "%s/%s", FS_DIR, e->d_name);
		if (stat(pa, &sa) || stat(pb, &sb) || !S_ISREG(sb.st_mode) ||
		    (sa.st_mode & 07777) != (sb.st_mode & 07777) || sb.st_uid != 0) {
			snprintf(why, size, "%.64s differs", e->d_name);
			closedir(d);
			return -1;
		}
		n++;
	}
	closedir(d);
	d = opendir(FS_DIR);
	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			m++;
	closedir(d);
	if (m != n) {
		snprintf(why, size, "debugfs has %d files, mdbfs %d", n, m);
		return -1;
	}
	return n;
}

int main(void)
{
	char buf[8192], why[128] = "";
	struct mdb_row r;
	long long n;
	int ret, fd;

	ksft_print_header();
	ksft_set_plan(19);
	if (!path_exists(MDB_DIR "/status"))
		ksft_exit_fail_msg("%s/status missing: is mdb.ko loaded?\n", MDB_DIR);
	if (mounted())
		umount(FS_DIR);
	mdb_ctl("reset\n");
	mdb_script_load("", 0);

	ksft_test_result(path_exists(FS_DIR) && !path_exists(FS_DIR "/control") &&
			 mdb_status_field("files", buf, sizeof(buf)) &&
			 strstr(buf, "/sys/kernel/debug/mdb (debugfs)") &&
			 strstr(buf, "mount -t mdbfs none " FS_DIR),
			 "the mount point %s exists, empty; status says how to mount (files: %s)\n",
			 FS_DIR, buf);

	ret = mount("none", FS_DIR, "mdbfs", 0, NULL) ? -errno : 0;
	ksft_test_result(!ret && mounted(), "mount -t mdbfs none %s (%s)\n", FS_DIR, strerror(-ret));
	if (ret)
		ksft_exit_fail_msg("cannot mount mdbfs: %s\n", strerror(-ret));

	/* control status breakpoints log vetoes disasm mem script tracepoints aggr */
	n = same_files(why, sizeof(why));
	ksft_test_result(n == 10, "the same %lld files, same modes, owned by root%s%s\n", n,
			 why[0] ? ": " : "", why);

	ksft_test_result(mdb_read(FS_DIR "/status", buf, sizeof(buf)) > 0 &&
			 strstr(buf, "version: mdb ") &&
			 strstr(buf, "files: /sys/kernel/debug/mdb (debugfs); also " FS_DIR
				" (mdbfs, mounted)"),
			 "status through mdbfs names both places, mdbfs mounted\n");

	/* one state, two places: mdbfs -> debugfs and back */
	ret = fs_ctl("break mdb_tt_target\n");
	ksft_test_result(!ret && mdb_bp_row(1, &r) && strstr(r.loc, "mdb_tt_target") &&
			 !strcmp(r.state, "armed"),
			 "a break written to mdbfs's control is in debugfs's breakpoints (%s)\n",
			 strerror(-ret));
	ret = mdb_ctl("disable 1\nbreak mdb_tt_args\n");
	ksft_test_result(!ret && fs_row_has(1, "mdb_tt_target", " disabled ") &&
			 fs_row_has(2, "break mdb_tt_args", " armed "),
			 "commands written to debugfs's control are in mdbfs's breakpoints\n");
	ksft_test_result(same_both("breakpoints"), "breakpoints reads the same in both\n");

	ret = fs_ctl("frob\n");
	ksft_test_result(ret == -EINVAL && strstr(mdb_last_error(), "unknown command"),
			 "a bad command through mdbfs: EINVAL, the message in status (%s)\n",
			 strerror(-ret));

	/* the log */
	mdb_ctl("reset\nbreak mdb_tt_target\n");
	fs_log_take("");
	tt_run("process 20");
	n = fs_log_take("bp=1 break mdb_tt_target");
	ksft_test_result(n == 20 && mdb_bp_hits(1) == 20,
			 "20 hits: 20 log lines read through mdbfs (%lld)\n", n);
	fd = open(FS_DIR "/log", O_RDONLY | O_NONBLOCK);
	ret = fd < 0 ? -errno : read(fd, buf, sizeof(buf)) < 0 ? -errno : 0;
	if (fd >= 0)
		close(fd);
	ksft_test_result(ret == -EAGAIN, "the log read empty through mdbfs: EAGAIN (%s)\n",
			 strerror(-ret));

	/* a script through mdbfs: compiled on close(2), errors included */
	ret = fs_script_load("function f(\n  x = \n");
	ksft_test_result(ret == -EINVAL && strstr(mdb_last_error(), "script:"),
			 "a compile error fails close(2) in mdbfs with EINVAL (%s)\n",
			 strerror(-ret));
	ret = fs_script_load(script);
	mdb_read(MDB_DIR "/script", buf, sizeof(buf));
	ksft_test_result(!ret && !strcmp(buf, script),
			 "a script written to mdbfs reads back from debugfs (%s)\n", strerror(-ret));
	mdb_ctl("reset\n");
	fs_ctl("break mdb_tt_target lua=count\n");
	tt_run("process 30");
	fs_ctl("call report\n");
	n = fs_log_take("mdbfs total=30");
	ksft_test_result(n == 1 && mdb_bp_hits(1) == 30 &&
			 !strstr(text, "bp=1 break"),
			 "lua=count through mdbfs: 30 hits counted, 'mdbfs total=30' in the log\n");

	/* disasm, mem, vetoes: the same requests and listings */
	mdb_ctl("reset\n");
	ret = mdb_write(FS_DIR "/disasm", "mdb_test_target:mdb_tt_target 6");
	mdb_read(FS_DIR "/disasm", buf, sizeof(buf));
	ksft_test_result(!ret && strstr(buf, "<mdb_tt_target+0x0 [mdb_test_target]>") && same_both("disasm"),
			 "disasm written and read in mdbfs, the same listing in debugfs\n");
	ret = mdb_write(FS_DIR "/mem", "mdb_test_target:mdb_tt_watched 8");
	mdb_read(FS_DIR "/mem", buf, sizeof(buf));
	ksft_test_result(!ret && strstr(buf, "8 bytes at 0x") && same_both("mem"),
			 "mem written and read in mdbfs, the same dump in debugfs\n");
	ksft_test_result(same_both("vetoes") && same_both("control") && same_both("tracepoints"),
			 "vetoes, tracepoints and control's summary read the same in both\n");
	mdb_ctl("reset\n");
	mdb_script_load("", 0);

	/* a mount pins mdb */
	ret = mdb_unload();
	ksft_test_result(ret && path_exists(MDB_DIR "/status"),
			 "rmmod mdb while mdbfs is mounted is refused (%s)\n", strerror(-ret));

	ret = umount(FS_DIR) ? -errno : 0;
	ksft_test_result(!ret && !mounted() && !path_exists(FS_DIR "/control") &&
			 mdb_status_field("files", buf, sizeof(buf)) && !strstr(buf, "mounted"),
			 "umount: the files are gone, status says not mounted (%s)\n",
			 strerror(-ret));

	ret = mount("none", FS_DIR, "mdbfs", 0, NULL) ? -errno : 0;
	ret = ret ? ret : fs_ctl("reset\n");
	ret = ret ? ret : umount(FS_DIR) ? -errno : 0;
	ksft_test_result(!ret && !mounted(), "mount, use and umount again (%s)\n",
			 strerror(-ret));
	free(text);
	ksft_finished();
}
