/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by mdb's selftests: reading and writing debugfs files,
 * driving the test target, loading and unloading mdb.ko.
 */
#ifndef MDB_TEST_H
#define MDB_TEST_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "kselftest.h"

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

#endif /* MDB_TEST_H */
