/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <stdio.h> for Lua in the kernel. There are no files: lauxlib still
 * compiles luaL_loadfilex() (mdb never calls it), so the few stdio calls it
 * makes are stubs that fail. snprintf is the kernel's.
 */
#ifndef _MDB_SHIM_STDIO_H
#define _MDB_SHIM_STDIO_H
#include <stddef.h>
#include <stdarg.h>

typedef struct mdb_lua_file FILE;

#define EOF	(-1)
#define BUFSIZ	64	/* LoadF's buffer: keep dead code's frame small */

#define stdin	((FILE *)NULL)
#define stdout	((FILE *)NULL)
#define stderr	((FILE *)NULL)

extern int snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
extern int vsnprintf(char *buf, size_t size, const char *fmt, va_list args)
	__attribute__((format(printf, 3, 0)));

static inline FILE *fopen(const char *name, const char *mode)
{
	(void)name; (void)mode;
	return NULL;
}

static inline FILE *freopen(const char *name, const char *mode, FILE *f)
{
	(void)name; (void)mode; (void)f;
	return NULL;
}

static inline int fclose(FILE *f) { (void)f; return 0; }
static inline int getc(FILE *f) { (void)f; return EOF; }
static inline int feof(FILE *f) { (void)f; return 1; }
static inline int ferror(FILE *f) { (void)f; return 1; }
static inline int fflush(FILE *f) { (void)f; return 0; }

static inline size_t fread(void *p, size_t sz, size_t n, FILE *f)
{
	(void)p; (void)sz; (void)n; (void)f;
	return 0;
}

static inline size_t fwrite(const void *p, size_t sz, size_t n, FILE *f)
{
	(void)p; (void)sz; (void)f;
	return n;
}

#endif
