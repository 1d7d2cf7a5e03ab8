// SPDX-License-Identifier: GPL-2.0
/*
 * description: status shows version, running kernel and debug registers;
 * file modes are root-only; control's read side lists the commands.
 */
#include <sys/utsname.h>
#include "mdb_test.h"

int main(void)
{
	char val[512], buf[8192];
	struct utsname u;
	struct stat st;
	int held = -1, total = -1, ret;

	ksft_print_header();
	ksft_set_plan(8);

	if (!path_exists(MDB_DIR "/status"))
		ksft_exit_fail_msg("%s/status missing: is mdb.ko loaded?\n", MDB_DIR);

	ksft_test_result(mdb_status_field("version", val, sizeof(val)) &&
			 !strncmp(val, "mdb ", 4) && strchr(val, '.'),
			 "status: version line 'version: mdb X.Y.Z'\n");

	uname(&u);
	ksft_test_result(mdb_status_field("kernel", val, sizeof(val)) &&
			 !strncmp(val, u.release, strlen(u.release)) &&
			 val[strlen(u.release)] == ' ',
			 "status: kernel line names the running kernel %s\n", u.release);

	ksft_test_result(mdb_status_field("debug registers", val, sizeof(val)) &&
			 sscanf(val, "%d of %d held by mdb", &held, &total) == 2 &&
			 held == 0 && total == 4,
			 "status: debug registers '0 of 4 held by mdb'\n");

	ksft_test_result(mdb_ctl("reset\n") == 0 &&
			 mdb_status_field("last error", val, sizeof(val)) &&
			 !strcmp(val, "none"),
			 "status: last error is 'none' after reset\n");

	ksft_test_result(stat(MDB_DIR "/control", &st) == 0 &&
			 (st.st_mode & 0777) == 0600 && st.st_uid == 0,
			 "control is mode 0600, owned by root\n");
	ksft_test_result(stat(MDB_DIR "/status", &st) == 0 &&
			 (st.st_mode & 0777) == 0400 && st.st_uid == 0,
			 "status is mode 0400, owned by root\n");

	ksft_test_result(mdb_read(MDB_DIR "/control", buf, sizeof(buf)) > 0 &&
			 strstr(buf, "break") && strstr(buf, "watch") &&
			 strstr(buf, "reset"),
			 "reading control lists the commands\n");

	ret = mdb_write(MDB_DIR "/status", "x");
	ksft_test_result(ret == -EACCES || ret == -EPERM || ret == -EINVAL,
			 "status refuses writes (%s)\n", strerror(-ret));

	ksft_finished();
}
