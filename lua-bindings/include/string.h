/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <string.h> for Lua in the kernel: prototypes of the kernel's exported
 * string functions (lib/string.c, arch/x86/lib), written out because
 * <linux/string.h> drags in headers that clash with Lua's names. Only the
 * Lua translation unit includes this file.
 */
#ifndef _MDB_SHIM_STRING_H
#define _MDB_SHIM_STRING_H
#include <stddef.h>

extern void *memcpy(void *to, const void *from, size_t len);
extern void *memmove(void *to, const void *from, size_t len);
extern void *memset(void *s, int c, size_t n);
extern int memcmp(const void *a, const void *b, size_t n);
extern void *memchr(const void *s, int c, size_t n);
extern size_t strlen(const char *s);
extern int strcmp(const char *a, const char *b);
extern int strncmp(const char *a, const char *b, size_t n);
extern char *strstr(const char *s, const char *find);
extern char *strchr(const char *s, int c);
extern char *strcpy(char *to, const char *from);
extern char *strpbrk(const char *s, const char *accept);
extern size_t strspn(const char *s, const char *accept);

/* The kernel has no locales: collation is byte order. */
#define strcoll(a, b)	strcmp((a), (b))
/* Only lauxlib's file helpers ask, and mdb does not open files. */
#define strerror(e)	((void)(e), "error")

#endif
