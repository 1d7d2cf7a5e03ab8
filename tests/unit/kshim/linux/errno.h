/* SPDX-License-Identifier: GPL-2.0 */
/* Self-contained: the C library's <errno.h> itself includes <linux/errno.h>. */
#ifndef _KSHIM_ERRNO_H
#define _KSHIM_ERRNO_H
#ifndef ENOMEM
#define ENOMEM 12
#endif
#ifndef EINVAL
#define EINVAL 22
#endif
#endif
