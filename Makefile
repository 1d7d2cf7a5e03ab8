# SPDX-License-Identifier: GPL-2.0
# mdb - top-level Makefile. See README.md.
#
#   make                 build mdb.ko for the running kernel (or KDIR=...)
#   make deps            install/fetch everything (root; idempotent)
#   make check           host unit tests + the kselftest suite in a VM per kernel
#   make demo            the main job, shown end to end in the VM
#   make bench           hit costs, ratios to the hw-breakpoint limit, kprobes and bpftrace
#   make fuzz            the command parser, then the BTF reader, under libFuzzer (FUZZ_SECONDS each)
#   make torture         storms + reloads + memory/kmemleak checks in the VM (TORTURE_SECONDS)
#   make sweep           every text symbol armed, hit and stepped, per kernel (resumable; docs/safety.md)
#   make deb             the DKMS package build/mdb-dkms_VERSION_all.deb (docs/install.md)
#   make vm-image KERNEL=6.1   modules + initramfs for one kernel (used by vm-run)
#   make clean

top := $(CURDIR)
DEPS ?= $(top)/deps
BUILD ?= $(top)/build
KERNELS ?= 5.10 6.1 6.12 6.12-rt 7.3 6.1-debug
KERNEL ?= 6.1
KDIR ?= /lib/modules/$(shell uname -r)/build

-include $(DEPS)/kernels.mk

.PHONY: all modules deps check demo bench fuzz torture unit selftests vm-image clean help
.PHONY: deb bench-deps
all: modules

# Third-party sources (fetched by make deps) are mirrored next to the
# module sources before each build: prepare.sh is fast when up to date.
define prepare_third_party
	@$(top)/module/zydis/prepare.sh $(1)/module/zydis/src
	@$(top)/lua-bindings/prepare.sh $(1)/lua-bindings/lua
endef

# Build in the tree for KDIR: what a user does on a real machine.
modules:
	$(call prepare_third_party,$(top))
	$(MAKE) -C $(KDIR) M=$(top) modules

deps:
	@MDB_KERNELS="$(KERNELS)" bash $(top)/scripts/deps.sh

# --- host unit tests of the pure C parts -----------------------------------
unit:
	@$(MAKE) -s --no-print-directory -C tests/unit BUILD=$(BUILD)/unit run

# --- kselftest suite (static binaries, installed with the kselftest runner)
KSFT := $(DEPS)/kselftest
KSFT_OUT := $(BUILD)/selftests
KSFT_INSTALL := $(BUILD)/ksft
selftests:
	@mkdir -p $(KSFT_OUT)
	@$(MAKE) -s --no-print-directory -C selftests KSFT=$(KSFT) OUTPUT=$(KSFT_OUT) all
	@rm -rf $(KSFT_INSTALL).tmp && mkdir -p $(KSFT_INSTALL).tmp/mdb
	@$(MAKE) -s --no-print-directory -C selftests KSFT=$(KSFT) OUTPUT=$(KSFT_OUT) \
		INSTALL_PATH=$(KSFT_INSTALL).tmp/mdb install >/dev/null
	@$(MAKE) -s --no-print-directory -C selftests KSFT=$(KSFT) OUTPUT=$(KSFT_OUT) \
		COLLECTION=mdb emit_tests >$(KSFT_INSTALL).tmp/kselftest-list.txt
	@cp $(KSFT)/run_kselftest.sh $(KSFT_INSTALL).tmp/
	@cp -r $(KSFT)/kselftest $(KSFT_INSTALL).tmp/
	@cp selftests/vm-check.sh $(KSFT_INSTALL).tmp/
	@rm -rf $(KSFT_INSTALL) && mv $(KSFT_INSTALL).tmp $(KSFT_INSTALL)

# --- per-kernel module builds and the VM image ------------------------------
# Sources are mirrored into build/<kver>/ (rsync keeps mtimes, so kbuild
# rebuilds only what changed) because kbuild builds M= modules in place.
KVER = $(KVER_$(KERNEL))
KOUT = $(BUILD)/$(KVER)
# Debian's headers unpacked into deps/, or a kernel tree we built
# (6.1-debug); kernels.mk says which (KDIR_K). scripts/kmake runs make with
# the compiler that kernel was built with (a chroot of its Debian release).
KHDR = $(KDIR_$(KERNEL))
KMAKE = $(top)/scripts/kmake $(KERNEL)
vm-image: selftests
	@test -n "$(KVER)" || { echo "unknown KERNEL=$(KERNEL); run make deps" >&2; exit 1; }
	@mkdir -p $(KOUT)/mdb $(KOUT)/target
	@rsync -a --delete --exclude='*.o' --exclude='*.ko' --exclude='*.cmd' \
		--exclude='*.mod*' --exclude='modules.order' --exclude='Module.symvers' \
		--exclude='.*' --exclude='/module/zydis/src/' --exclude='/lua-bindings/lua/' \
		--exclude='test/' Kbuild module lua-bindings $(KOUT)/mdb/
	@rsync -a selftests/target/ $(KOUT)/target/
	$(call prepare_third_party,$(KOUT)/mdb)
	@$(KMAKE) -s --no-print-directory -C $(KHDR) M=$(KOUT)/mdb modules
	@$(KMAKE) -s --no-print-directory -C $(KHDR) M=$(KOUT)/target MDB_MOD=$(KOUT)/mdb/module modules
	@rsync -a selftests/bench/ $(KOUT)/bench/
	@$(KMAKE) -s --no-print-directory -C $(KHDR) M=$(KOUT)/bench MDB_MOD=$(KOUT)/mdb/module modules
	@cp -p $(KOUT)/mdb/mdb.ko $(KOUT)/target/mdb_test_target.ko $(KOUT)/
	@# a kernel tree of ours with a signing key (6.1-debug): a signed copy
	@# for the lockdown test (scripts/check)
	@if [ -f $(KHDR)/certs/signing_key.pem ] && [ -x $(KHDR)/scripts/sign-file ]; then \
		$(KHDR)/scripts/sign-file sha256 $(KHDR)/certs/signing_key.pem \
			$(KHDR)/certs/signing_key.x509 $(KOUT)/mdb.ko $(KOUT)/mdb-signed.ko; fi
	@# what objdump says of the test target: disasm's selftest compares
	@if [ ! -f $(KOUT)/mdb_test_target.objdump ] || \
	    [ $(KOUT)/mdb_test_target.ko -nt $(KOUT)/mdb_test_target.objdump ]; then \
		objdump -d $(KOUT)/mdb_test_target.ko >$(KOUT)/mdb_test_target.objdump; fi
	@if [ ! -f $(KOUT)/initramfs.cpio.gz ] || \
	    [ -n "$$(find $(KOUT)/mdb.ko $(KOUT)/mdb_test_target.ko $(KSFT_INSTALL) \
	            scripts/guest-init scripts/mkinitramfs -newer $(KOUT)/initramfs.cpio.gz | head -1)" ]; then \
		scripts/mkinitramfs $(KOUT)/initramfs.cpio.gz $(KOUT) $(KSFT_INSTALL); \
	fi

# --- the commands of the README ---------------------------------------------
# The host's boot state is taken before make deps and compared after the
# suite: make check must not change how the machine boots.
check:
	@mkdir -p $(BUILD) && bash $(top)/scripts/host-state >$(BUILD)/host-before.txt
	@$(MAKE) --no-print-directory deps
	@MDB_HOST_BEFORE=$(BUILD)/host-before.txt bash $(top)/scripts/check $(KERNELS)

demo: deps
	@bash $(top)/scripts/vm-run --kernel $(KERNEL) --exec examples/demo.sh --timeout 300

# the parser under libFuzzer (FUZZ_SECONDS, default 30 minutes)
FUZZ_SECONDS ?= 1800
fuzz: deps
	@bash $(top)/scripts/fuzz $(or $(FUZZ_SECONDS),1800) parse
	@bash $(top)/scripts/fuzz $(or $(FUZZ_SECONDS),1800) btf

# storms, reloads, memory and kmemleak checks in the VM (docs/reliability.md)
TORTURE_SECONDS ?= 600
TORTURE_RELOADS ?= 100
torture: deps
	@TORTURE_SECONDS=$(TORTURE_SECONDS) TORTURE_RELOADS=$(TORTURE_RELOADS) \
		bash $(top)/scripts/torture $(KERNELS)

# every text symbol of vmlinux armed (phase 1) and stepped from (phase 2) in
# the VM, per kernel; resumable, state in build/sweep/ (docs/safety.md,
# "The sweep"). SWEEP_ARGS: e.g. "--phase 1 --from 20000", "--summary".
.PHONY: sweep
sweep: deps
	@bash $(top)/scripts/sweep $(SWEEP_ARGS) $(KERNELS)

# the DKMS package: build/mdb-dkms_VERSION_all.deb (docs/install.md)
deb:
	@bash $(top)/scripts/mkdeb $(BUILD)

# hit costs: a table in docs/performance.md and build/bench.tsv; bpftrace
# (the peer, in the VM) is fetched here, not by deps: make check never needs it
bench: deps bench-deps
	@bash $(top)/scripts/bench $(KERNEL)

bench-deps: deps
	@bash $(top)/scripts/bpftrace-deps

clean:
	rm -rf $(BUILD)
	-$(MAKE) -C $(KDIR) M=$(top) clean 2>/dev/null
	-$(MAKE) -s -C selftests clean 2>/dev/null

help:
	@sed -n '2,10s/^# \{0,1\}//p' Makefile
