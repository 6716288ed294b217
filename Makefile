# SPDX-License-Identifier: BSD-2-Clause
#
# One Makefile for the whole tree. The freestanding core (crypto/, gates/,
# measured/) is compiled three ways from the same sources:
#   build/efi/    EFI objects with the gnu-efi flags, linked into prodgate.efi
#   build/host/   host objects for the prodgate tool and the unit tests
#   build/asan/   host objects with ASan and UBSan, for the unit suite re-run
#   build/fuzz/   libFuzzer targets (clang, ASan, UBSan)
#
# `make check` is the whole test suite; it runs `make deps` first.

VERSION := $(shell cat VERSION)
BUILD   := build
PREFIX  ?= /usr/local
DESTDIR ?=
CORPUS  ?= $(abspath ../shared/corpus)

CC      ?= gcc
CLANG   ?= clang
OBJCOPY ?= objcopy
LD      ?= ld

ifeq ($(origin CC),default)
CC := gcc
endif

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wpointer-arith -Wvla -Wformat=2 -Wundef -Wno-unused-parameter

# The core sees only the compiler's own headers: -nostdinc keeps libc out.
GCC_INC   := $(shell $(CC) -print-file-name=include)
CLANG_INC := $(shell $(CLANG) -print-resource-dir 2>/dev/null)/include
CORE_ISOLATE       := -ffreestanding -nostdinc -isystem $(GCC_INC)
CORE_ISOLATE_CLANG := -ffreestanding -nostdinc -isystem $(CLANG_INC)

# libfdt: headers and sources come from Debian's linux-source-6.1 tarball at
# build time (nothing of libfdt is committed). The EFI binary and the fuzzers
# compile the sources; the host tool and unit tests link Debian's libfdt.
LINUX_SRC_TAR ?= /usr/src/linux-source-6.1.tar.xz
LIBFDT_DIR    := $(BUILD)/libfdt
LIBFDT_STAMP  := $(LIBFDT_DIR)/.stamp
LIBFDT_SRCS   := fdt.c fdt_ro.c fdt_rw.c fdt_sw.c fdt_wip.c fdt_strerror.c
# Defined here, before the rules that list them as prerequisites (make expands
# prerequisites when it reads the rule).
LIBFDT_EFI_OBJS  := $(addprefix $(BUILD)/efi/libfdt/,$(LIBFDT_SRCS:.c=.o))
LIBFDT_FUZZ_OBJS := $(addprefix $(BUILD)/fuzz/libfdt/,$(LIBFDT_SRCS:.c=.o))

INCLUDES := -Iinclude -I. -I$(LIBFDT_DIR)
DEFS     := -DPG_VERSION='"$(VERSION)"'

HOST_CFLAGS := -std=gnu11 -O2 -g $(WARN) $(INCLUDES) $(DEFS) -D_FORTIFY_SOURCE=2 \
               -fstack-protector-strong
ASAN_FLAGS  := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
ASAN_CFLAGS := -std=gnu11 -O1 -g $(WARN) $(INCLUDES) $(DEFS) $(ASAN_FLAGS)
FUZZ_CFLAGS := -std=gnu11 -O1 -g $(WARN) $(INCLUDES) $(DEFS) -DPG_FUZZING \
               -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all

# EFI flags: no red zone (firmware interrupts use the stack), no stack
# protector (it reads %fs, which UEFI does not set up), MS ABI for calls into
# firmware. efi_main itself keeps the System V convention of gnu-efi's crt0.
# gnu-efi's headers are system headers here: they do not compile cleanly
# under -Wstrict-prototypes and -Wundef.
EFI_INC     := /usr/include/efi
EFI_LIB     := /usr/lib
EFI_CFLAGS  := -std=gnu11 -O2 -g $(WARN) $(INCLUDES) $(DEFS) -DPG_EFI \
               -isystem $(EFI_INC) -isystem $(EFI_INC)/x86_64 \
               -fpic -ffreestanding -fno-stack-protector -fno-stack-check -fshort-wchar \
               -mno-red-zone -maccumulate-outgoing-args -DGNU_EFI_USE_MS_ABI \
               -fno-strict-aliasing -fno-builtin -nostdinc -isystem $(GCC_INC)
EFI_LDFLAGS := -nostdlib -znocombreloc -shared -Bsymbolic -z defs \
               -T $(EFI_LIB)/elf_x86_64_efi.lds -L$(EFI_LIB)
EFI_SECTIONS := -j .text -j .sdata -j .data -j .rodata -j .dynamic -j .dynsym \
                -j .rel -j .rela -j .rel.* -j .rela.* -j .reloc

CORE_SRCS := $(sort $(wildcard crypto/*.c gates/*.c measured/*.c tpm/tpm2_*.c))
EFI_SRCS  := $(sort $(wildcard efi/*.c tpm/efi_*.c))
TOOL_SRCS := $(sort $(wildcard tools/*.c tpm/esys_*.c))
TOOL_LIBS := -lcrypto -lfdt -ltss2-esys -ltss2-tctildr -ltss2-rc

UNIT_SRCS   := $(sort $(wildcard tests/unit/test_*.c))
UNIT_NAMES  := $(notdir $(UNIT_SRCS:.c=))
UNIT_BINS   := $(addprefix $(BUILD)/host/tests/,$(UNIT_NAMES))
ASAN_BINS   := $(addprefix $(BUILD)/asan/tests/,$(UNIT_NAMES))
UNIT_LIBS   := -lcrypto -lfdt

FUZZ_SRCS  := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS  := $(addprefix $(BUILD)/fuzz/,$(notdir $(FUZZ_SRCS:.c=)))

HOST_CORE := $(BUILD)/host/libpgcore.a
ASAN_CORE := $(BUILD)/asan/libpgcore.a
FUZZ_CORE := $(BUILD)/fuzz/libpgcore.a

EFI_APP := $(BUILD)/prodgate.efi
TOOL    := $(BUILD)/prodgate

# Debian packages the build and every test need.
DEPS_PKGS := linux-source-6.1 build-essential clang llvm lld libclang-rt-14-dev gnu-efi libssl-dev openssl \
             libfdt-dev device-tree-compiler libtss2-dev tpm2-tools swtpm swtpm-tools \
             qemu-system-x86 ovmf sbsigntool mtools dosfstools busybox-static cpio \
             xz-utils valgrind cppcheck clang-tidy python3 jq systemd-boot-efi time

.PHONY: all check deps unit unit-asan integration fuzz fuzz-smoke fuzz-soak boot-tests bench install clean \
        guest-kernel test-build demo \
        check-freestanding static-analysis
.DEFAULT_GOAL := all
.SECONDARY:

all: $(EFI_APP) $(TOOL)

# ---- host core and tool ---------------------------------------------------

$(BUILD)/host/core/%.o: %.c | $(LIBFDT_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $(CORE_ISOLATE) -U_FORTIFY_SOURCE -MMD -MP -c $< -o $@

$(HOST_CORE): $(CORE_SRCS:%.c=$(BUILD)/host/core/%.o)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/host/tool/%.o: %.c | $(LIBFDT_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -MMD -MP -c $< -o $@

$(TOOL): $(TOOL_SRCS:%.c=$(BUILD)/host/tool/%.o) $(HOST_CORE)
	$(CC) $(HOST_CFLAGS) -o $@ $^ $(TOOL_LIBS)

# ---- unit tests -----------------------------------------------------------

$(BUILD)/host/tests/%.o: tests/unit/%.c | $(LIBFDT_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -Itests/unit -MMD -MP -c $< -o $@

$(BUILD)/host/tests/test_%: $(BUILD)/host/tests/test_%.o $(BUILD)/host/tests/util.o $(HOST_CORE)
	$(CC) $(HOST_CFLAGS) -o $@ $^ $(UNIT_LIBS)

$(BUILD)/asan/core/%.o: %.c | $(LIBFDT_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(ASAN_CFLAGS) $(CORE_ISOLATE) -MMD -MP -c $< -o $@

$(ASAN_CORE): $(CORE_SRCS:%.c=$(BUILD)/asan/core/%.o)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/asan/tests/%.o: tests/unit/%.c | $(LIBFDT_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(ASAN_CFLAGS) -Itests/unit -MMD -MP -c $< -o $@

$(BUILD)/asan/tests/test_%: $(BUILD)/asan/tests/test_%.o $(BUILD)/asan/tests/util.o $(ASAN_CORE)
	$(CC) $(ASAN_CFLAGS) -o $@ $^ $(UNIT_LIBS)

unit: $(UNIT_BINS)
	PG_CORPUS=$(CORPUS) tests/run-suite unit $(UNIT_BINS)

unit-asan: $(ASAN_BINS)
	PG_CORPUS=$(CORPUS) ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		tests/run-suite unit-asan $(ASAN_BINS)

# ---- integration helpers --------------------------------------------------

# Host programs the integration scripts drive (tests/integration/*.c).
INTEG_BINS := $(patsubst tests/integration/%.c,$(BUILD)/host/integration/%, \
                $(wildcard tests/integration/*.c))

$(BUILD)/host/integration/%.o: tests/integration/%.c | $(LIBFDT_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/host/integration/%: $(BUILD)/host/integration/%.o $(HOST_CORE)
	$(CC) $(HOST_CFLAGS) -o $@ $^

# ---- fuzzers --------------------------------------------------------------

$(BUILD)/fuzz/core/%.o: %.c | $(LIBFDT_STAMP)
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) $(CORE_ISOLATE_CLANG) -MMD -MP -c $< -o $@

$(FUZZ_CORE): $(CORE_SRCS:%.c=$(BUILD)/fuzz/core/%.o) $(LIBFDT_FUZZ_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_CORE)
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $^

# The runtime-check target runs the tool's check engine: those sources are
# compiled with the fuzz flags and linked before the core they call into.
# Files are read up to 16 KiB instead of 1 MiB, so inputs reach that limit
# and no read costs a 1 MiB allocation under ASan.
FUZZ_TOOL_OBJS := $(patsubst %.c,$(BUILD)/fuzz/tool/%.o, \
                    tools/runtime_checks.c tools/rootfs.c $(wildcard tools/check_*.c))

$(BUILD)/fuzz/tool/%.o: %.c | $(LIBFDT_STAMP)
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) -DPG_CHECK_READ_MAX=16384u -MMD -MP -c $< -o $@

$(BUILD)/fuzz/fuzz_runtime_checks: tests/fuzz/fuzz_runtime_checks.c $(FUZZ_TOOL_OBJS) $(FUZZ_CORE)
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $^

fuzz: $(FUZZ_BINS)

# Each fuzzer runs FUZZ_SECONDS over its seed folder tests/fuzz/seeds/NAME.
FUZZ_SECONDS ?= 10
export FUZZ_SECONDS
fuzz-smoke: $(FUZZ_BINS)
	tests/run-suite fuzz-smoke $(foreach b,$(FUZZ_BINS),"tests/fuzz/smoke $(b)")

# Each fuzzer runs FUZZ_SOAK_SECONDS (default 600), FUZZ_SOAK_JOBS at a
# time; the table of executions and findings lands in build/fuzz-soak/report.md.
fuzz-soak: $(FUZZ_BINS)
	tests/fuzz/soak $(FUZZ_BINS)

# ---- libfdt ---------------------------------------------------------------

$(LIBFDT_STAMP): include/fdt/libfdt_env.h
	@test -r $(LINUX_SRC_TAR) || { echo "$(LINUX_SRC_TAR) not found: run 'make deps' as root"; exit 1; }
	rm -rf $(LIBFDT_DIR)
	mkdir -p $(LIBFDT_DIR)
	tar -xJf $(LINUX_SRC_TAR) -C $(LIBFDT_DIR) --strip-components=4 \
		--wildcards 'linux-source-6.1/scripts/dtc/libfdt/*'
	cp include/fdt/libfdt_env.h $(LIBFDT_DIR)/libfdt_env.h
	touch $@

# libfdt is upstream code: compiled without the project's -Werror set.
$(LIBFDT_EFI_OBJS): $(BUILD)/efi/libfdt/%.o: $(LIBFDT_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(filter-out $(WARN),$(EFI_CFLAGS)) -w -c $(LIBFDT_DIR)/$*.c -o $@

$(LIBFDT_FUZZ_OBJS): $(BUILD)/fuzz/libfdt/%.o: $(LIBFDT_STAMP)
	@mkdir -p $(dir $@)
	$(CLANG) $(filter-out $(WARN),$(FUZZ_CFLAGS)) $(CORE_ISOLATE_CLANG) -w -c $(LIBFDT_DIR)/$*.c -o $@

# ---- EFI application ------------------------------------------------------

$(BUILD)/efi/%.o: %.c | $(LIBFDT_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(EFI_CFLAGS) -MMD -MP -c $< -o $@

# The manifest key ring compiled into prodgate.efi, from PEM public keys named
# as ROLE:PATH words (ROLE is release or development), e.g.
#   make KEYRING="release:keys/rel.pub.pem development:keys/dev.pub.pem"
# Without KEYRING the key ring is empty and prodgate.efi trusts no manifest.
# build/keyring.c is rewritten only when its content changes.
KEYRING ?=
KEYRING_C := $(BUILD)/keyring.c

$(KEYRING_C): tools/gen-keyring FORCE
	@mkdir -p $(dir $@)
	tools/gen-keyring $(KEYRING) > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

$(BUILD)/efi/keyring.o: $(KEYRING_C) gates/keyring.h
	@mkdir -p $(dir $@)
	$(CC) $(EFI_CFLAGS) -c $< -o $@

.PHONY: FORCE
FORCE:

# The core and libfdt go in as an archive, so only the objects prodgate.efi
# references are linked (the runtime aggregation, for one, is not).
EFI_CORE := $(BUILD)/efi/libpgcore.a

$(EFI_CORE): $(CORE_SRCS:%.c=$(BUILD)/efi/%.o) $(LIBFDT_EFI_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/efi/prodgate.so: $(EFI_SRCS:%.c=$(BUILD)/efi/%.o) $(BUILD)/efi/keyring.o $(EFI_CORE)
	$(LD) $(EFI_LDFLAGS) $(EFI_LIB)/crt0-efi-x86_64.o $^ -o $@ -lefi -lgnuefi
	@undef=$$(nm -u $@); if [ -n "$$undef" ]; then \
		echo "prodgate.so has undefined symbols:"; echo "$$undef"; rm -f $@; exit 1; fi

$(EFI_APP): $(BUILD)/efi/prodgate.so
	$(OBJCOPY) $(EFI_SECTIONS) --target efi-app-x86_64 --subsystem=10 $< $@

# ---- boot-test keys, guest kernel and test build ---------------------------

# RSA keys for the boot tests and `make demo`, made once with openssl:
# release and development are in the test build's key ring, untrusted is not.
TEST_KEYS := $(BUILD)/test-keys
TEST_KEY_NAMES := release development untrusted
TEST_KEY_FILES := $(foreach k,$(TEST_KEY_NAMES),$(TEST_KEYS)/$(k).key.pem $(TEST_KEYS)/$(k).pub.pem)

$(TEST_KEYS)/%.key.pem:
	@mkdir -p $(dir $@)
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out $@ 2>/dev/null

$(TEST_KEYS)/%.pub.pem: $(TEST_KEYS)/%.key.pem
	openssl pkey -in $< -pubout -out $@

# prodgate.efi with the test key ring: the same objects as $(EFI_APP) but
# build/test/keyring.o, so the shipped build keeps its own key ring.
TEST_EFI_APP := $(BUILD)/test/prodgate.efi

$(BUILD)/test/keyring.c: tools/gen-keyring $(TEST_KEYS)/release.pub.pem $(TEST_KEYS)/development.pub.pem
	@mkdir -p $(dir $@)
	tools/gen-keyring release:$(TEST_KEYS)/release.pub.pem \
		development:$(TEST_KEYS)/development.pub.pem > $@.tmp
	mv $@.tmp $@

$(BUILD)/test/keyring.o: $(BUILD)/test/keyring.c gates/keyring.h
	$(CC) $(EFI_CFLAGS) -c $< -o $@

$(BUILD)/test/prodgate.so: $(EFI_SRCS:%.c=$(BUILD)/efi/%.o) $(BUILD)/test/keyring.o $(EFI_CORE)
	$(LD) $(EFI_LDFLAGS) $(EFI_LIB)/crt0-efi-x86_64.o $^ -o $@ -lefi -lgnuefi
	@undef=$$(nm -u $@); if [ -n "$$undef" ]; then \
		echo "$@ has undefined symbols:"; echo "$$undef"; rm -f $@; exit 1; fi

$(TEST_EFI_APP): $(BUILD)/test/prodgate.so
	$(OBJCOPY) $(EFI_SECTIONS) --target efi-app-x86_64 --subsystem=10 $< $@

# A test-only EFI application for tests/qemu/test_faults.sh: it fills the
# volatile variable store, then starts prodgate.efi. Built like prodgate.efi.
FILLVARS_EFI := $(BUILD)/test/fillvars.efi

$(BUILD)/test/fillvars.o: tests/qemu/fillvars.c
	@mkdir -p $(dir $@)
	$(CC) $(EFI_CFLAGS) -c $< -o $@

$(BUILD)/test/fillvars.so: $(BUILD)/test/fillvars.o
	$(LD) $(EFI_LDFLAGS) $(EFI_LIB)/crt0-efi-x86_64.o $^ -o $@ -lefi -lgnuefi

$(FILLVARS_EFI): $(BUILD)/test/fillvars.so
	$(OBJCOPY) $(EFI_SECTIONS) --target efi-app-x86_64 --subsystem=10 $< $@

# The boot tests' guest kernel: Debian's current linux-image-amd64 dependency,
# unpacked without installing. Only vmlinuz, efivarfs.ko and qemu_fw_cfg.ko
# (the modules the guest needs; TPM, CRB and securityfs are built in) are
# kept. The guest reads files the host passes with -fw_cfg through the latter.
GUEST_DIR   := $(BUILD)/guest
GUEST_STAMP := $(GUEST_DIR)/.stamp

$(GUEST_STAMP):
	rm -rf $(GUEST_DIR)
	mkdir -p $(GUEST_DIR)/deb $(GUEST_DIR)/root
	pkg=$$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ { print $$2; exit }'); \
	if [ -z "$$pkg" ]; then echo "apt-cache knows no linux-image-amd64 dependency"; exit 1; fi; \
	echo "$$pkg" > $(GUEST_DIR)/kernel-package; \
	cd $(GUEST_DIR)/deb && apt-get download -q "$$pkg"
	dpkg-deb --fsys-tarfile $(GUEST_DIR)/deb/*.deb | tar -x -C $(GUEST_DIR)/root \
		--wildcards './boot/vmlinuz-*' './lib/modules/*/kernel/fs/efivarfs/efivarfs.ko' \
		'./lib/modules/*/kernel/drivers/firmware/qemu_fw_cfg.ko'
	cp $(GUEST_DIR)/root/boot/vmlinuz-* $(GUEST_DIR)/vmlinuz
	cp $(GUEST_DIR)/root/lib/modules/*/kernel/fs/efivarfs/efivarfs.ko $(GUEST_DIR)/efivarfs.ko
	cp $(GUEST_DIR)/root/lib/modules/*/kernel/drivers/firmware/qemu_fw_cfg.ko \
		$(GUEST_DIR)/qemu_fw_cfg.ko
	rm -rf $(GUEST_DIR)/deb $(GUEST_DIR)/root
	touch $@

guest-kernel: $(GUEST_STAMP)

test-build: $(TEST_EFI_APP) $(FILLVARS_EFI) $(TOOL) $(TEST_KEY_FILES) $(GUEST_STAMP)

# `make demo [SCENARIO=NAME]`: one boot of the whole chain with demo keys and
# a signed demo manifest; tests/qemu/demo.sh lists the scenarios.
SCENARIO ?= good
demo: all test-build
	tests/qemu/demo.sh $(SCENARIO)

# ---- whole suite ----------------------------------------------------------

# Fails when a core object references anything beyond the platform header's
# memory and string functions (no malloc, no stdio, no libc).
check-freestanding: $(HOST_CORE)
	tests/check-freestanding $(HOST_CORE)

# cppcheck over every C source at warning level, with gnu-efi's headers so
# the EFI types are known. Style checks are off: they mostly ask to narrow
# variable scopes, which is a matter of taste. A finding fails the build; a
# false positive is silenced in place with a cppcheck-suppress comment that
# says why.
CPPCHECK_FLAGS := --quiet --enable=warning,portability,performance --std=c11 --inline-suppr \
                  --error-exitcode=1 --suppress=missingIncludeSystem -D__x86_64__ \
                  -Iinclude -I. -I$(LIBFDT_DIR) -I$(EFI_INC) \
                  -I$(EFI_INC)/x86_64

# clang-tidy with the committed .clang-tidy (every finding is an error) over
# the core, the tool, the EFI application and the tests, each with its own
# flags: the unit tests, benchmarks and integration helpers as host code, the
# fuzz targets as clang builds them, the test EFI applications with the EFI
# stage.
TIDY_RUN := clang-tidy --quiet
TIDY_UNIT_SRCS := $(sort $(wildcard tests/unit/*.c))
TIDY_HOST_TEST_SRCS := $(sort $(wildcard tests/bench/*.c tests/integration/*.c))
TIDY_FUZZ_SRCS := $(sort $(wildcard tests/fuzz/*.c))
static-analysis: $(LIBFDT_STAMP)
	cppcheck $(CPPCHECK_FLAGS) crypto gates measured tpm tools efi tests/unit tests/fuzz \
		tests/integration tests/bench
	@echo "cppcheck: no findings"
	$(TIDY_RUN) $(CORE_SRCS) -- -std=gnu11 $(INCLUDES) $(DEFS) -ffreestanding 2>/dev/null
	$(TIDY_RUN) $(TOOL_SRCS) -- -std=gnu11 $(INCLUDES) $(DEFS) -D_GNU_SOURCE 2>/dev/null
	$(TIDY_RUN) $(EFI_SRCS) $(wildcard tests/bench/efi/*.c tests/qemu/*.c) -- -std=gnu11 $(INCLUDES) $(DEFS) -DPG_EFI -ffreestanding \
		-fshort-wchar -isystem $(EFI_INC) -isystem $(EFI_INC)/x86_64 2>/dev/null
	$(TIDY_RUN) $(TIDY_UNIT_SRCS) -- -std=gnu11 $(INCLUDES) $(DEFS) -Itests/unit 2>/dev/null
	$(TIDY_RUN) $(TIDY_HOST_TEST_SRCS) -- -std=gnu11 $(INCLUDES) $(DEFS) 2>/dev/null
	$(TIDY_RUN) $(TIDY_FUZZ_SRCS) -- -std=gnu11 $(INCLUDES) $(DEFS) -DPG_FUZZING \
		-fsanitize=fuzzer-no-link,address,undefined 2>/dev/null
	@echo "clang-tidy: no findings"

boot-tests: $(EFI_APP) $(TOOL) test-build
	tests/qemu/run-boot-tests

# Shell tests of the prodgate tool against real OpenSSL, dtc and swtpm:
# every tests/integration/test_*.sh, each ending with its own summary line.
integration: $(TOOL) $(INTEG_BINS)
	PG_CORPUS=$(CORPUS) PG_TOOL=$(abspath $(TOOL)) tests/run-suite integration \
		$(sort $(wildcard tests/integration/test_*.sh))

check: deps
	$(MAKE) all $(UNIT_BINS) $(ASAN_BINS) $(FUZZ_BINS)
	tests/run-suite check "$(MAKE) -s check-freestanding" "$(MAKE) -s static-analysis" \
		"$(MAKE) -s unit" \
		"$(MAKE) -s unit-asan" "$(MAKE) -s integration" "$(MAKE) -s fuzz-smoke" \
		"$(MAKE) -s boot-tests"

deps:
	@missing=$$(dpkg-query -W -f='$${Package} $${Status}\n' $(DEPS_PKGS) 2>/dev/null \
		| awk '$$NF == "installed" { print $$1 }' | sort > $(BUILD).deps-have; \
		printf '%s\n' $(DEPS_PKGS) | sort | comm -23 - $(BUILD).deps-have; \
		rm -f $(BUILD).deps-have); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	echo "missing Debian packages:" $$missing; \
	if [ "$$(id -u)" != 0 ]; then echo "run 'make deps' as root to install them"; exit 1; fi; \
	DEBIAN_FRONTEND=noninteractive apt-get update -q && \
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing

# ---- benchmarks -----------------------------------------------------------

$(BUILD)/host/bench/%.o: tests/bench/%.c | $(LIBFDT_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -MMD -MP -c $< -o $@

# bench_verify runs the verifier of the tool in process.
BENCH_TOOL_OBJS := $(addprefix $(BUILD)/host/tool/tools/,verify.o verify_logs.o verify_runtime.o \
                     cel.o digest.o)

$(BUILD)/bench: $(patsubst tests/bench/%.c,$(BUILD)/host/bench/%.o,$(wildcard tests/bench/*.c)) \
                $(BENCH_TOOL_OBJS) $(HOST_CORE)
	$(CC) $(HOST_CFLAGS) -o $@ $^ -lcrypto -lfdt

# The boot-overhead benchmark's EFI applications: a reference loader and a
# large next stage (tests/bench/efi/).
BENCH_EFI := $(BUILD)/bench-efi/minload.efi $(BUILD)/bench-efi/bigstage.efi

$(BUILD)/bench-efi/%.o: tests/bench/efi/%.c
	@mkdir -p $(dir $@)
	$(CC) $(EFI_CFLAGS) -c $< -o $@

# The reference loader starts the stage with prodgate.efi's own code.
$(BUILD)/bench-efi/minload.so: $(addprefix $(BUILD)/efi/efi/,chainload.o console.o libc.o)

$(BUILD)/bench-efi/%.so: $(BUILD)/bench-efi/%.o
	$(LD) $(EFI_LDFLAGS) $(EFI_LIB)/crt0-efi-x86_64.o $^ -o $@ -lefi -lgnuefi
	@undef=$$(nm -u $@); if [ -n "$$undef" ]; then \
		echo "$@ has undefined symbols:"; echo "$$undef"; rm -f $@; exit 1; fi

$(BUILD)/bench-efi/%.efi: $(BUILD)/bench-efi/%.so
	$(OBJCOPY) $(EFI_SECTIONS) --target efi-app-x86_64 --subsystem=10 $< $@

# build/bench times the core in process; bench-tools.sh times the tool and
# tpm2_eventlog as processes, compares the size of prodgate.efi and times
# prodgate status; bench-boot.sh times prodgate.efi against the reference
# loader in QEMU.
bench: $(BUILD)/bench $(TOOL) $(EFI_APP) $(BENCH_EFI) test-build
	PG_CORPUS=$(CORPUS) $(BUILD)/bench
	PG_CORPUS=$(CORPUS) PG_TOOL=$(abspath $(TOOL)) PG_EFI_APP=$(abspath $(EFI_APP)) \
		tests/bench/bench-tools.sh
	tests/bench/bench-boot.sh

# ---- install --------------------------------------------------------------

install: all
	install -D -m 0755 $(TOOL) $(DESTDIR)$(PREFIX)/bin/prodgate
	install -D -m 0644 $(EFI_APP) $(DESTDIR)$(PREFIX)/lib/prodgate/prodgate.efi
	sed 's|@BINDIR@|$(PREFIX)/bin|' tools/systemd/prodgate-measure.service > $(BUILD)/prodgate-measure.service
	install -D -m 0644 $(BUILD)/prodgate-measure.service \
		$(DESTDIR)$(PREFIX)/lib/systemd/system/prodgate-measure.service

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
