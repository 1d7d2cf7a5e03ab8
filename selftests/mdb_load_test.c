// SPDX-License-Identifier: GPL-2.0
/*
 * description: mdb.ko unloads and loads again 20 times, cleanly; its files
 * come and go with it; the test target keeps working across reloads.
 */
#include "mdb_test.h"

#define ROUNDS 20

int main(void)
{
	int i, bad_unload = 0, bad_gone = 0, bad_load = 0, bad_status = 0;
	long long before, after;
	char val[256];

	ksft_print_header();
	ksft_set_plan(6);

	if (!path_exists(MDB_KO))
		ksft_exit_skip("%s not found\n", MDB_KO);

	ksft_test_result(mdb_load() == -EEXIST,
			 "loading mdb twice fails with EEXIST\n");

	for (i = 0; i < ROUNDS; i++) {
		if (mdb_unload()) {
			ksft_print_msg("round %d: unload: %s\n", i, strerror(errno));
			bad_unload++;
		}
		if (path_exists(MDB_DIR))
			bad_gone++;
		if (mdb_load()) {
			ksft_print_msg("round %d: load: %s\n", i, strerror(errno));
			bad_load++;
		}
		if (!mdb_status_field("version", val, sizeof(val)))
			bad_status++;
	}
	ksft_test_result(!bad_unload, "%d unloads succeeded\n", ROUNDS);
	ksft_test_result(!bad_gone, "debugfs directory gone after each unload\n");
	ksft_test_result(!bad_load, "%d loads succeeded\n", ROUNDS);
	ksft_test_result(!bad_status, "status readable after each load\n");

	before = tt_counter("target_process");
	after = tt_run("process 100") ? -1 : tt_counter("target_process");
	ksft_test_result(before >= 0 && after == before + 100,
			 "test target still counts after %d reloads\n", ROUNDS);

	ksft_finished();
}
