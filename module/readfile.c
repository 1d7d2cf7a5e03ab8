// SPDX-License-Identifier: GPL-2.0
/*
 * Reading a whole file into memory (`load PATH`, and vmlinux's BTF from
 * /sys/kernel/btf/vmlinux when the kernel's symbols do not give it).
 *
 * Plain filp_open() + kernel_read(), not kernel_read_file(): that one
 * takes a purpose (enum kernel_read_file_id) the LSMs judge, and none
 * fits a debugger's script; IPE on 7.x warns on READING_UNKNOWN. Opening
 * the file goes through the usual permission and LSM checks of the
 * writer, root.
 *
 * Process context only.
 */
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include "mdb.h"

/**
 * mdb_read_file - a regular file's bytes, at most @max
 * @path: the file, opened as the calling task sees the file system
 * @max:  the largest size accepted (-EFBIG beyond)
 * @buf:  set to a kvmalloc()ed copy (kvfree() it); NULL when empty
 *
 * Return: the size read (0: an empty file), or -errno: -EINVAL when it
 * is not a regular file.
 */
ssize_t mdb_read_file(const char *path, size_t max, void **buf)
{
	struct file *f;
	loff_t size, pos = 0;
	ssize_t ret = 0;
	char *p = NULL;

	*buf = NULL;
	f = filp_open(path, O_RDONLY, 0);
	if (IS_ERR(f))
		return PTR_ERR(f);
	if (!S_ISREG(file_inode(f)->i_mode)) {
		ret = -EINVAL;
		goto out;
	}
	size = i_size_read(file_inode(f));
	if (size > max) {
		ret = -EFBIG;
		goto out;
	}
	if (!size)
		goto out;
	p = kvmalloc(size, GFP_KERNEL);
	if (!p) {
		ret = -ENOMEM;
		goto out;
	}
	while (pos < size) {
		ssize_t n = kernel_read(f, p + pos, size - pos, &pos);

		if (n < 0) {
			ret = n;
			goto out;
		}
		if (!n)
			break;	/* shorter than its size said */
	}
	*buf = p;
	p = NULL;
	ret = pos;
out:
	kvfree(p);
	filp_close(f, NULL);
	return ret;
}
