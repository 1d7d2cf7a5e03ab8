/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by mdb's selftests: reading and writing debugfs files,
 * driving the test target, loading and unloading mdb.ko.
 */
#ifndef MDB_TEST_H
#define MDB_TEST_H


#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <time.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "kselftest.h"

/* Line-buffered output: when a test kills the VM, its last lines show. */
__attribute__((constructor)) static void mdb_test_linebuf(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
}

#define MDB_DIR "/sys/kernel/debug/mdb"
#define TT_DIR "/sys/kernel/debug/mdb_test_target"
#define MDB_KO "/lib/mdb/mdb.ko"

/* Whole file into buf (NUL-terminated); bytes read or -errno. */
static inline int mdb_read(const char *path, char *buf, size_t size)
{
	size_t off = 0;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -errno;
	while (off + 1 < size) {
		ssize_t n = read(fd, buf + off, size - 1 - off);

		if (n < 0) {
			int e = errno;

			close(fd);
			return -e;
		}
		if (n == 0)
			break;
		off += n;
	}
	buf[off] = '\0';
	close(fd);
	return off;
}

/* One write(2) of len bytes; 0 when all were taken, else -errno. */
static inline int mdb_write_n(const char *path, const char *s, size_t len)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, s, len);
	if (n < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	close(fd);
	return (size_t)n == len ? 0 : -EIO;
}

static inline int mdb_write(const char *path, const char *s)
{
	return mdb_write_n(path, s, strlen(s));
}

static inline int mdb_ctl(const char *cmd)
{
	return mdb_write(MDB_DIR "/control", cmd);
}

/* The value of "key: value" in status (copied into out), or NULL. */
static inline char *mdb_status_field(const char *key, char *out, size_t size)
{
	static char buf[16384];
	char *p, *nl;
	size_t klen = strlen(key);

	if (mdb_read(MDB_DIR "/status", buf, sizeof(buf)) < 0)
		return NULL;
	for (p = buf; p && *p; p = nl ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		if (!strncmp(p, key, klen) && p[klen] == ':') {
			const char *v = p + klen + 1;
			size_t n = nl ? (size_t)(nl - v) : strlen(v);

			while (*v == ' ')
				v++, n--;
			if (n >= size)
				n = size - 1;
			memcpy(out, v, n);
			out[n] = '\0';
			return out;
		}
	}
	return NULL;
}

/* Everything status shows after "last error:" (the message may span lines). */
static inline const char *mdb_last_error(void)
{
	static char buf[16384];
	char *p;

	if (mdb_read(MDB_DIR "/status", buf, sizeof(buf)) < 0)
		return "";
	p = strstr(buf, "last error: ");
	return p ? p + strlen("last error: ") : "";
}

/* A counter of the test target, or -1. */
static inline long long tt_counter(const char *name)
{
	char buf[8192], *p;
	size_t n = strlen(name);

	if (mdb_read(TT_DIR "/counters", buf, sizeof(buf)) < 0)
		return -1;
	for (p = buf; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, name, n) && p[n] == ' ')
			return strtoll(p + n + 1, NULL, 0);
	return -1;
}

static inline int tt_run(const char *cmd)
{
	return mdb_write(TT_DIR "/run", cmd);
}

static inline int mdb_load(void)
{
	int fd = open(MDB_KO, O_RDONLY | O_CLOEXEC), ret;

	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, "", 0);
	ret = ret ? -errno : 0;
	close(fd);
	return ret;
}

static inline int mdb_unload(void)
{
	return syscall(SYS_delete_module, "mdb", O_NONBLOCK) ? -errno : 0;
}

static inline bool path_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* One row of the breakpoints table. */
struct mdb_row {
	unsigned int id;
	char kind[8], impl[4], loc[160], state[16];
	unsigned long addr;
	long long hits, missed, filtered;
	char command[320];
};

/* The row of breakpoint @id; false when there is none. */
static inline bool mdb_bp_row(unsigned int id, struct mdb_row *r)
{
	static char buf[65536];
	char *p, *nl;

	if (mdb_read(MDB_DIR "/breakpoints", buf, sizeof(buf)) < 0)
		return false;
	for (p = buf; p && *p; p = nl ? nl + 1 : NULL) {
		int n = 0;

		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		if (*p == '#')
			continue;
		memset(r, 0, sizeof(*r));
		if (sscanf(p, "%u %7s %3s %lx %159s %lld %lld %lld %15s %n",
			   &r->id, r->kind, r->impl, &r->addr, r->loc, &r->hits,
			   &r->missed, &r->filtered, r->state, &n) >= 9 && r->id == id) {
			snprintf(r->command, sizeof(r->command), "%s", p + n);
			return true;
		}
	}
	return false;
}

static inline long long mdb_bp_hits(unsigned int id)
{
	struct mdb_row r;

	return mdb_bp_row(id, &r) ? r.hits : -1;
}

/* Number of rows in the breakpoints table. */
static inline int mdb_bp_count(void)
{
	char buf[65536], *p;
	int n = 0;

	if (mdb_read(MDB_DIR "/breakpoints", buf, sizeof(buf)) < 0)
		return -1;
	for (p = buf; *p; p++)
		if (*p == '\n' && p[1] && p[1] != '#')
			n++;
	return n;
}

/*
 * Read the log without blocking until it is empty. Counts the lines that
 * contain @needle (NULL: all hit lines) and adds up "lost N events".
 */
struct mdb_drain {
	long long lines, matched, lost;
};

static inline int mdb_log_drain(const char *needle, struct mdb_drain *d,
				FILE *keep)
{
	static char buf[1 << 16];
	char line[4096];
	size_t ll = 0;
	int fd = open(MDB_DIR "/log", O_RDONLY | O_NONBLOCK);

	memset(d, 0, sizeof(*d));
	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		ssize_t i;

		if (n < 0) {
			if (errno == EAGAIN)
				break;
			close(fd);
			return -errno;
		}
		if (n == 0)
			break;
		for (i = 0; i < n; i++) {
			if (buf[i] != '\n') {
				if (ll < sizeof(line) - 1)
					line[ll++] = buf[i];
				continue;
			}
			line[ll] = '\0';
			ll = 0;
			if (keep)
				fprintf(keep, "%s\n", line);
			if (strstr(line, " lost ")) {
				const char *p = strstr(line, " lost ");

				d->lost += strtoll(p + 6, NULL, 10);
				continue;
			}
			d->lines++;
			if (!needle || strstr(line, needle))
				d->matched++;
		}
	}
	close(fd);
	return 0;
}

/* Drain the log into *text (replacing it); the lines containing @needle. */
static inline long long mdb_log_take(char **text, const char *needle)
{
	struct mdb_drain d;
	size_t len;
	FILE *f;

	free(*text);
	*text = NULL;
	f = open_memstream(text, &len);
	mdb_log_drain(needle, &d, f);
	fclose(f);
	return d.matched;
}

/*
 * The offset in @sym of its @n-th instruction (1-based), from the disasm
 * file; 0 when it cannot be read. n = 3 is past an ENDBR and the ftrace
 * nop: not a function's entry.
 */
static inline unsigned long mdb_insn_off(const char *sym, int n)
{
	static char buf[8192];
	char req[160];
	unsigned long first = 0, a = 0;
	const char *p = buf;
	int i;

	/* lines "ADDR <name+0xOFF>: ..." from sym+0; name may be an alias */
	snprintf(req, sizeof(req), "%s %d\n", sym, n);
	if (mdb_write(MDB_DIR "/disasm", req) || mdb_read(MDB_DIR "/disasm", buf, sizeof(buf)) <= 0)
		return 0;
	for (i = 0; i < n && p && *p; i++) {
		a = strtoul(p, NULL, 16);
		if (!i)
			first = a;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return i == n ? a - first : 0;
}

/* Does this kernel have BTF mdb can use (status "btf:" is not "none")? */
static inline bool mdb_have_btf(void)
{
	char st[256];

	return mdb_status_field("btf", st, sizeof(st)) && strncmp(st, "none", 4);
}

/* Load a Lua script of @len bytes; the result of close(2), which compiles it. */
static inline int mdb_script_load(const char *src, size_t len)
{
	int fd = open(MDB_DIR "/script", O_WRONLY | O_TRUNC), ret = 0;

	if (fd < 0)
		return -errno;
	if (len && write(fd, src, len) != (ssize_t)len)
		ret = -errno;
	if (close(fd) && !ret)
		ret = -errno;
	return ret;
}

static inline void mdb_pin_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static inline void mdb_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/*
 * A small deterministic random generator (xorshift64) for the tests that
 * make up commands: the same seed gives the same run. Each program sets
 * mdb_rng (a forked child its own seed); PICK(array) picks an element.
 */
static unsigned long mdb_rng = 0x9e3779b97f4a7c15UL;

static inline unsigned long rnd(void)
{
	mdb_rng ^= mdb_rng << 13;
	mdb_rng ^= mdb_rng >> 7;
	mdb_rng ^= mdb_rng << 17;
	return mdb_rng;
}

#define PICK(a) (a[rnd() % (sizeof(a) / sizeof(a[0]))])

/*
 * The histogram lines "[LO, HI)   N |@@@|" in @text, each found after the
 * tag @at ("bp=0 [" for lines of the log, "\n[" for a file): the sum of
 * their N, and in *lo the first LO's number (its unit cut: 16 of "16M"),
 * -1 when there is none.
 */
static inline long long mdb_hist_sum(const char *text, const char *at, long long *lo)
{
	size_t skip = strlen(at) - 1;	/* to the '[' */
	long long sum = 0;
	const char *p;

	*lo = -1;
	for (p = text; p && (p = strstr(p, at)); p++) {
		const char *b = p + skip, *close = strchr(b, ')');

		if (!close)
			break;
		sum += strtoll(close + 1, NULL, 10);
		if (*lo < 0)
			*lo = strtoll(b + 1, NULL, 10);
	}
	return sum;
}

static inline long ncpus_online(void)
{
	return sysconf(_SC_NPROCESSORS_ONLN);
}

#endif /* MDB_TEST_H */
