# SPDX-License-Identifier: GPL-2.0
#
# smc-ng: Shared Memory Communications (AF_SMC) as out-of-tree modules.
#
#   make            build the modules and the user-space programs
#   make demo       boot a guest, run AF_SMC beside TCP, show the path taken
#   make check      install what is missing, build, run every test
#   make check-debug the same on a debug kernel (KASAN, lockdep, kmemleak,
#                   debug objects) built from linux-source into .build/
#   make bench      AF_SMC vs TCP vs Unix sockets, in one guest
#   make soak       the soak test for 10 minutes (make check runs 1)
#   make install    install the modules with DKMS (modprobe smc -> ours)
#                   and smc_run with its preload library, the smc admin
#                   tool and its man page (PREFIX=/usr/local)
#   make uninstall  remove them again
#   make checkpatch checkpatch.pl --strict over our sources
#   make C=1        build with sparse; W=1 for extra warnings
#
# KVER/KDIR select the kernel; by default the newest installed kernel that
# has its headers (never a fixed version). SMC_DEBUG_INFO=n builds the
# modules without debug information (DKMS does, as it strips it anyway).

SHELL		:= /bin/bash
TOP		:= $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
KVER		?= $(shell $(TOP)/scripts/kver)
KDIR		?= /lib/modules/$(KVER)/build
SELFTESTS	:= $(TOP)/tools/testing/selftests/net/smc
UNIT		:= $(SELFTESTS)/unit

KBUILD_ARGS	:= -C $(KDIR) M=$(TOP) \
		   NOSTDINC_FLAGS="-I$(TOP)/include/uapi -I$(TOP)/include"

.PHONY: all modules clean-modules tools test-modules deps check check-run demo demo-run bench bench-run soak soak-run \
	check-debug \
	install uninstall checkpatch clean unit

all: modules tools

modules:
	@test -d "$(KDIR)" || { echo "no kernel headers at $(KDIR);" \
		"install linux-headers-amd64 or run 'make deps'" >&2; exit 1; }
	$(MAKE) $(KBUILD_ARGS) modules

tools:
	$(MAKE) -C $(SELFTESTS)
	$(MAKE) -C $(TOP)/tools/smc_run
	$(MAKE) -C $(TOP)/tools/smc

# Test-only kernel modules (never installed); they link against ours.
test-modules: modules
	$(MAKE) -C $(SELFTESTS)/modules KVER=$(KVER) KDIR=$(KDIR)

unit:
	$(MAKE) -C $(UNIT) all

# Debian packages the build and the guest test bed need.
deps:
	@$(TOP)/scripts/install-deps

# Sub-makes run after deps so KVER is discovered once headers exist.
check: deps
	@$(MAKE) --no-print-directory check-run

# The build on every CPU (half the time on two); the suite schedules its
# own stages.
check-run:
	@$(MAKE) --no-print-directory -j$(shell nproc) all unit test-modules
	@$(SELFTESTS)/run_tests

# The whole suite on a debug kernel built (once per configuration) by
# scripts/debug-kernel; our modules are built against its tree and every
# guest boots it, one guest at a time (as validated; SMC_TEST_JOBS= to
# change).  Timeouts are scaled by DEBUG_TIMEOUT_SCALE.  With
# pci=noacpi the guest skips evaluating the PCI routing table in ACPI's
# interpreter, which under KASAN and emulation takes over 30 s a boot.
DEBUG_TIMEOUT_SCALE ?= 4

check-debug: deps
	@$(TOP)/scripts/install-deps --debug-kernel
	@vars=$$($(TOP)/scripts/debug-kernel --print) && \
		env $$vars SMC_TIMEOUT_SCALE=$(DEBUG_TIMEOUT_SCALE) SMC_SUITE_BUDGET=0 \
		SMC_TEST_JOBS=$${SMC_TEST_JOBS:-1} \
		VM_APPEND="pci=noacpi $(VM_APPEND)" \
		$(MAKE) --no-print-directory check-run

demo: deps
	@$(MAKE) --no-print-directory demo-run

demo-run: all
	@$(SELFTESTS)/vm/run-guest --timeout 600 -- $(SELFTESTS)/demo.sh

bench: deps
	@$(MAKE) --no-print-directory bench-run

soak: deps
	@$(MAKE) --no-print-directory soak-run

# The selftest, longer: a release check, not part of make check.
soak-run: all
	@$(SELFTESTS)/vm/run-guest --timeout 1200 \
		-- /usr/bin/env SMC_SOAK_SECS=600 $(SELFTESTS)/test_soak.sh

# Results (plots included) stay in .build/bench.
bench-run: all
	@mkdir -p $(TOP)/.build/bench
	@$(SELFTESTS)/vm/run-guest --timeout 1800 --out $(TOP)/.build/bench \
		-- $(SELFTESTS)/bench.sh

install: tools
	$(TOP)/scripts/dkms-install install
	$(MAKE) -C $(TOP)/tools/smc_run install
	$(MAKE) -C $(TOP)/tools/smc install

uninstall:
	$(TOP)/scripts/dkms-install uninstall
	$(MAKE) -C $(TOP)/tools/smc_run uninstall
	$(MAKE) -C $(TOP)/tools/smc uninstall

checkpatch:
	@$(TOP)/scripts/checkpatch

clean-modules:
	$(MAKE) $(KBUILD_ARGS) clean

clean: clean-modules
	-$(MAKE) -C $(SELFTESTS) clean
	-$(MAKE) -C $(TOP)/tools/smc_run clean
	-$(MAKE) -C $(TOP)/tools/smc clean
	-$(MAKE) -C $(SELFTESTS)/modules clean
	-$(MAKE) -C $(UNIT) clean
	rm -rf $(TOP)/.build
