// SPDX-License-Identifier: GPL-2.0
/*
 * The last error, in full, and the counts of commands that worked and
 * failed, for `status`. Every file of the command layer records its
 * errors here (control, script, disasm, mem), so none of them calls
 * another to report one.
 *
 * Process context; under mdb_lock (the _note variant takes it).
 */
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include "mdb.h"
#include "bp.h"
#include "parse.h"

static char mdb_last_error[MDB_EXPLAIN_MAX];
static unsigned long mdb_cmds_ok, mdb_cmds_failed;

/* A failed command: @fmt, then the line it was (@line, @n: may be NULL). */
void mdb_lasterr_set(const char *line, size_t n, const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vscnprintf(mdb_last_error, sizeof(mdb_last_error), fmt, ap);
	va_end(ap);
	if (line) {
		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			n--;
		scnprintf(mdb_last_error + len, sizeof(mdb_last_error) - len,
			  "\n  %.*s", (int)n, line);
	}
	mdb_cmds_failed++;
}

/* An error of another file (disasm, mem, script) shown in status too. */
void mdb_lasterr_note(const char *msg)
{
	mutex_lock(&mdb_lock);
	strscpy(mdb_last_error, msg, sizeof(mdb_last_error));
	mdb_cmds_failed++;
	mutex_unlock(&mdb_lock);
}

/* The buffer, for a message written in place (the parser's explanation). */
char *mdb_lasterr_buf(size_t *len)
{
	*len = sizeof(mdb_last_error);
	return mdb_last_error;
}

void mdb_lasterr_ok(void)
{
	mdb_cmds_ok++;
}

void mdb_lasterr_failed(void)
{
	mdb_cmds_failed++;
}

void mdb_lasterr_reset(void)
{
	mdb_last_error[0] = '\0';
	mdb_cmds_ok = 0;
	mdb_cmds_failed = 0;
}

void mdb_lasterr_show(struct seq_file *m)
{
	seq_printf(m, "commands: %lu ok, %lu failed\n", mdb_cmds_ok, mdb_cmds_failed);
	if (mdb_last_error[0])
		seq_printf(m, "last error: %s%s", mdb_last_error,
			   mdb_last_error[strlen(mdb_last_error) - 1] == '\n' ? "" : "\n");
	else
		seq_puts(m, "last error: none\n");
}
