// SPDX-License-Identifier: GPL-2.0
/*
 * /init of the benchmark's second boot (ci/bench.sh): the BPF detach as a
 * user-space tracer sees it. Built with the kernel's nolibc by
 * ci/initramfs.sh, so it uses bpf(2) as any loader does: finds the target's
 * BTF id in /sys/kernel/btf/vmlinux, loads an fentry and an fexit program
 * (r0 = 0; exit), and times BPF_LINK_CREATE and the close() of the link's
 * only fd (the last detach of the function: close() returns after the link
 * is released), in each ftrace.tramp_guard mode, switched through
 * /sys/module/ftrace/parameters/tramp_guard. Beside them, in the same boot,
 * membarrier(MEMBARRIER_CMD_GLOBAL): the synchronize_rcu() user space can
 * ask for. Samples go to /dev/kmsg in the benchmark's line format
 * ("tramp_guard_bench: S <metric> <ns> ...", read by ci/bench-report.py).
 * Arguments (after "--"): the number of rounds.
 */

#include <linux/bpf.h>
#include <linux/btf.h>
#include <linux/membarrier.h>
#include <linux/time.h>
#include <linux/time_types.h>

#include "init-util.h"

#define TARGET		"tg_ftrace_target"
#define MODE_PARAM	"/sys/module/ftrace/parameters/tramp_guard"
#define MAX_ROUNDS	200

static char btf[32 << 20];
static unsigned long long ns[MAX_ROUNDS], attach_ns[MAX_ROUNDS];

static unsigned long long now_ns(void)
{
	struct __kernel_timespec ts;

	syscall(__NR_clock_gettime, CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* nolibc has no append(). */
static char *append(char *dst, const char *src)
{
	strcpy(dst + strlen(dst), src);
	return dst;
}

static int sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

/* Bytes that follow a struct btf_type of @info. */
static unsigned int btf_extra(unsigned int info)
{
	unsigned int vlen = BTF_INFO_VLEN(info);

	switch (BTF_INFO_KIND(info)) {
	case BTF_KIND_INT:
	case BTF_KIND_VAR:
	case BTF_KIND_DECL_TAG:
		return 4;
	case BTF_KIND_ARRAY:
		return sizeof(struct btf_array);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return vlen * sizeof(struct btf_member);
	case BTF_KIND_ENUM:
		return vlen * sizeof(struct btf_enum);
	case BTF_KIND_FUNC_PROTO:
		return vlen * sizeof(struct btf_param);
	case BTF_KIND_DATASEC:
		return vlen * sizeof(struct btf_var_secinfo);
	case BTF_KIND_ENUM64:
		return vlen * sizeof(struct btf_enum64);
	default:
		return 0;
	}
}

/* The BTF id of the function @name in vmlinux's BTF, or -1. */
static int btf_func_id(const char *name)
{
	const struct btf_header *h = (const void *)btf;
	const char *types, *strs;
	ssize_t len = 0, n;
	unsigned int off;
	int fd, id = 1;

	fd = open("/sys/kernel/btf/vmlinux", O_RDONLY);
	if (fd < 0)
		return -1;
	while (len < (ssize_t)sizeof(btf) && (n = read(fd, btf + len, sizeof(btf) - len)) > 0)
		len += n;
	close(fd);
	if (len < (ssize_t)sizeof(*h) || h->magic != BTF_MAGIC ||
	    h->hdr_len + h->str_off + h->str_len > len)
		return -1;
	types = btf + h->hdr_len + h->type_off;
	strs = btf + h->hdr_len + h->str_off;
	for (off = 0; off + sizeof(struct btf_type) <= h->type_len; id++) {
		const struct btf_type *t = (const void *)(types + off);

		if (BTF_INFO_KIND(t->info) == BTF_KIND_FUNC && !strcmp(strs + t->name_off, name))
			return id;
		off += sizeof(*t) + btf_extra(t->info);
	}
	return -1;
}

static int prog_load(int type, int btf_id)
{
	static const char license[] = "GPL";
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_TRACING;
	attr.expected_attach_type = type;
	attr.insns = (unsigned long)insns;
	attr.insn_cnt = 2;
	attr.license = (unsigned long)license;
	attr.attach_btf_id = btf_id;
	return sys_bpf(BPF_PROG_LOAD, &attr);
}

static int set_mode(const char *mode)
{
	int fd = open(MODE_PARAM, O_WRONLY), ok;

	if (fd < 0)
		return -1;
	ok = write(fd, mode, strlen(mode)) == (ssize_t)strlen(mode);
	close(fd);
	return ok ? 0 : -1;
}

/*
 * "tramp_guard_bench: S <metric> <ns> ...", 16 samples a line: a /dev/kmsg
 * record holds about 1000 bytes.
 */
static void emit(const char *metric, const unsigned long long *v, int n)
{
	static char line[16 * 21 + 128];
	char *p = line;
	int i;

	for (i = 0; i < n; i++) {
		if (i % 16 == 0) {
			p = line;
			strcpy(p, "tramp_guard_bench: S ");
			append(p, metric);
			p += strlen(p);
		}
		*p++ = ' ';
		p += u64toa_r(v[i], p);
		if (i % 16 == 15 || i == n - 1) {
			*p++ = '\n';
			write(out_fd, line, p - line);
		}
	}
}

static void metric(char *dst, const char *prog, const char *what, const char *mode)
{
	strcpy(dst, "bpf_user/");
	append(dst, prog);
	append(dst, what);
	append(dst, mode);
}

/* @rounds attaches and last detaches of @prog_fd in @mode. */
static int attach_close(int prog_fd, int type, const char *prog, const char *mode, int rounds)
{
	union bpf_attr attr;
	char name[96];
	int i, fd;

	if (set_mode(mode))
		return -1;
	for (i = 0; i < rounds; i++) {
		unsigned long long t0 = now_ns();

		memset(&attr, 0, sizeof(attr));
		attr.link_create.prog_fd = prog_fd;
		attr.link_create.attach_type = type;
		fd = sys_bpf(BPF_LINK_CREATE, &attr);
		if (fd < 0)
			return -1;
		attach_ns[i] = now_ns() - t0;
		t0 = now_ns();
		close(fd);
		ns[i] = now_ns() - t0;
	}
	metric(name, prog, "_attach_", mode);
	emit(name, attach_ns, rounds);
	metric(name, prog, "_close_", mode);
	emit(name, ns, rounds);
	return set_mode("on");
}

static const char * const modes[] = { "on", "expedited", "off" };

static int run(int rounds)
{
	static const struct { const char *name; int type; } progs[] = {
		{ "fentry", BPF_TRACE_FENTRY },
		{ "fexit", BPF_TRACE_FEXIT },
	};
	int id = btf_func_id(TARGET), p, m, i, fd;

	if (id < 0) {
		say("bpf-close: no BTF id for " TARGET "\n");
		return -1;
	}
	for (p = 0; p < 2; p++) {
		fd = prog_load(progs[p].type, id);
		if (fd < 0) {
			say("bpf-close: BPF_PROG_LOAD failed\n");
			return -1;
		}
		for (m = 0; m < 3; m++) {
			if (attach_close(fd, progs[p].type, progs[p].name, modes[m], rounds)) {
				say("bpf-close: attach or mode switch failed\n");
				return -1;
			}
		}
		close(fd);
	}
	for (i = 0; i < rounds; i++) {
		unsigned long long t0 = now_ns();

		if (syscall(__NR_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0)) {
			say("bpf-close: membarrier(MEMBARRIER_CMD_GLOBAL) failed\n");
			return -1;
		}
		ns[i] = now_ns() - t0;
	}
	emit("bpf_user/membarrier_global", ns, rounds);
	return 0;
}

int main(int argc, char **argv)
{
	int kmsg = open("/dev/kmsg", O_WRONLY);
	int rounds = argc > 1 ? atoi(argv[1]) : 50;

	if (kmsg >= 0)
		out_fd = kmsg;
	if (rounds < 1 || rounds > MAX_ROUNDS)
		rounds = 50;
	mkdir("/sys", 0755);
	if (mount("sysfs", "/sys", "sysfs", 0, NULL))
		say("bpf-close: cannot mount sysfs\n");
	say(run(rounds) ? "bpf-close: FAILED\n" : "bpf-close: done\n");
	reboot(LINUX_REBOOT_CMD_RESTART);
	return 0;
}
