/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nofault.h - reads and stores of kernel memory that fail instead of
 * faulting, for the hit path.
 *
 * copy_from_kernel_nofault() is a call of ~100 instructions for one 8-byte
 * read (its range check through another call, pagefault_disable(), a loop
 * over the length). A typed field or a pointer is 1, 2, 4 or 8 bytes: read
 * here in line with the arch's __get_kernel_nofault(), one load with an
 * exception-table entry in mdb.ko, after the checks x86's
 * copy_from_kernel_nofault_allowed() makes: no user address (below
 * TASK_SIZE_MAX and its guard page), nothing non-canonical (a #GP, not a
 * #PF), and not the vsyscall page (its faults are taken for a user's, which
 * 6.8 stopped allowing in copy_from_kernel_nofault() for that reason). A
 * fault is fixed up by the table entry: the read returns false, *dst is
 * left as it was. Other lengths go to copy_from_kernel_nofault().
 *
 * Safe in NMI: the exception tables of a module are found without a lock
 * (the module tree is RCU-latched for exactly that), and the fault handler
 * does not try to resolve a fault in kernel space with page faults off.
 */
#ifndef _MDB_NOFAULT_H
#define _MDB_NOFAULT_H

#include <linux/types.h>
#include <linux/uaccess.h>
#include <asm/processor.h>
#include <asm/vsyscall.h>

static __always_inline bool mdb_kaddr_ok(unsigned long addr)
{
	return addr >= TASK_SIZE_MAX + PAGE_SIZE &&
	       __is_canonical_address(addr, boot_cpu_data.x86_virt_bits) &&
	       (addr & PAGE_MASK) != VSYSCALL_ADDR;
}

/* true when @len bytes at @addr were copied to @dst */
static __always_inline bool mdb_read_nofault(void *dst, unsigned long addr, size_t len)
{
	if (!mdb_kaddr_ok(addr))
		return false;
	switch (len) {
	case 1: case 2: case 4: case 8:
		break;
	default:
		return !copy_from_kernel_nofault(dst, (const void *)addr, len);
	}
	pagefault_disable();
	switch (len) {
	case 1: __get_kernel_nofault(dst, (void *)addr, u8, fault); break;
	case 2: __get_kernel_nofault(dst, (void *)addr, u16, fault); break;
	case 4: __get_kernel_nofault(dst, (void *)addr, u32, fault); break;
	default: __get_kernel_nofault(dst, (void *)addr, u64, fault); break;
	}
	pagefault_enable();
	return true;
fault:
	pagefault_enable();
	return false;
}

/*
 * Store the low @size bytes of @v at @addr (copy_to_kernel_nofault() is not
 * exported: the same store, in line). 0, -ERANGE for an address that is not
 * kernel memory, -EFAULT when the store faulted (text, rodata, unmapped).
 */
static __always_inline int mdb_write_nofault(unsigned long addr, u64 v, unsigned int size)
{
	if (!mdb_kaddr_ok(addr))
		return -ERANGE;
	pagefault_disable();
	switch (size) {
	case 1: __put_kernel_nofault((void *)addr, &v, u8, fault); break;
	case 2: __put_kernel_nofault((void *)addr, &v, u16, fault); break;
	case 4: __put_kernel_nofault((void *)addr, &v, u32, fault); break;
	default: __put_kernel_nofault((void *)addr, &v, u64, fault); break;
	}
	pagefault_enable();
	return 0;
fault:
	pagefault_enable();
	return -EFAULT;
}

#endif /* _MDB_NOFAULT_H */
