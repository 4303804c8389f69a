// SPDX-License-Identifier: GPL-2.0
/*
 * A BPF fentry or fexit program that counts its runs, on tg_ftrace_target()
 * for the tramp_guard_bpf suite and on any function with BTF for the
 * benchmark. The program is written
 * as instructions and loaded with kern_sys_bpf(), as the kernel's light
 * skeletons load theirs; its fds live in the kernel threads' file table. A
 * link is detached by closing its file synchronously, as the last close()
 * of a link fd does.
 */

#include <kunit/test.h>
#include <linux/bpf.h>
#include <linux/btf.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/filter.h>
#include <linux/rcupdate.h>

#include "tramp_guard_kunit.h"

#define TG_BPF_TARGET	"tg_ftrace_target"

static int tg_bpf_sys(int cmd, union bpf_attr *attr)
{
	return kern_sys_bpf(cmd, attr, sizeof(*attr));
}

/* Close @fd; the last reference releases its object before this returns. */
static void tg_bpf_close(int *fd)
{
	struct file *f;

	if (*fd < 0)
		return;
	f = file_close_fd(*fd);
	*fd = -1;
	if (f)
		__fput_sync(f);
}

static void tg_bpf_release(void *arg)
{
	struct tg_bpf_prog *p = arg;

	tg_bpf_close(&p->link_fd);
	tg_bpf_close(&p->prog_fd);
	if (p->map)
		bpf_map_put(p->map);
	tg_bpf_close(&p->map_fd);
}

static s32 tg_bpf_target_btf_id(struct kunit *test, const char *func)
{
	struct btf *btf = bpf_get_btf_vmlinux();
	s32 id;

	if (IS_ERR_OR_NULL(btf))
		kunit_skip(test, "no vmlinux BTF (CONFIG_DEBUG_INFO_BTF)");
	id = btf_find_by_name_kind(btf, func, BTF_KIND_FUNC);
	KUNIT_ASSERT_GT_MSG(test, id, 0, "no BTF for %s()", func);
	return id;
}

/* *count += 1 in the map's only element; returns 0, as fentry/fexit must. */
static int tg_bpf_prog_load(struct tg_bpf_prog *p, s32 btf_id)
{
	static const char license[] = "GPL";
	struct bpf_insn insns[] = {
		BPF_ST_MEM(BPF_W, BPF_REG_10, -4, 0),
		BPF_MOV64_REG(BPF_REG_2, BPF_REG_10),
		BPF_ALU64_IMM(BPF_ADD, BPF_REG_2, -4),
		BPF_LD_MAP_FD(BPF_REG_1, p->map_fd),
		/* As user space writes it: BPF_EMIT_CALL() is for fixed-up calls. */
		BPF_RAW_INSN(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_lookup_elem),
		BPF_JMP_IMM(BPF_JEQ, BPF_REG_0, 0, 2),
		BPF_MOV64_IMM(BPF_REG_1, 1),
		BPF_ATOMIC_OP(BPF_DW, BPF_ADD, BPF_REG_0, BPF_REG_1, 0),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	};
	union bpf_attr attr = {
		.prog_type = BPF_PROG_TYPE_TRACING,
		.expected_attach_type = p->type,
		.insns = (unsigned long)insns,
		.insn_cnt = ARRAY_SIZE(insns),
		.license = (unsigned long)license,
		.attach_btf_id = btf_id,
	};

	return tg_bpf_sys(BPF_PROG_LOAD, &attr);
}

/**
 * tg_bpf_load() - load a counting program on tg_ftrace_target()
 * @test: the test; the program, map and any link are released at its end
 * @type: %BPF_TRACE_FENTRY or %BPF_TRACE_FEXIT
 *
 * Skips the test without vmlinux BTF; fails it if a step fails.
 *
 * Return: the program, loaded and not attached.
 */
struct tg_bpf_prog *tg_bpf_load(struct kunit *test, enum bpf_attach_type type)
{
	return tg_bpf_load_on(test, type, TG_BPF_TARGET);
}

/**
 * tg_bpf_load_on() - load a counting program on the function @func
 * @test: the test; the program, map and any link are released at its end
 * @type: %BPF_TRACE_FENTRY or %BPF_TRACE_FEXIT
 * @func: a function with vmlinux BTF, taking one pointer argument
 *
 * Return: the program, loaded and not attached.
 */
struct tg_bpf_prog *tg_bpf_load_on(struct kunit *test, enum bpf_attach_type type,
				   const char *func)
{
	union bpf_attr attr = {
		.map_type = BPF_MAP_TYPE_ARRAY,
		.key_size = sizeof(u32),
		.value_size = sizeof(u64),
		.max_entries = 1,
	};
	s32 btf_id = tg_bpf_target_btf_id(test, func);
	struct tg_bpf_prog *p;
	u32 key = 0;

	p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	p->type = type;
	p->prog_fd = -1;
	p->link_fd = -1;
	p->map_fd = tg_bpf_sys(BPF_MAP_CREATE, &attr);
	KUNIT_ASSERT_GE_MSG(test, p->map_fd, 0, "BPF_MAP_CREATE");
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, tg_bpf_release, p), 0);
	p->map = bpf_map_get(p->map_fd);
	if (IS_ERR(p->map)) {
		p->map = NULL;
		KUNIT_FAIL_AND_ABORT(test, "bpf_map_get");
	}
	rcu_read_lock();
	p->count = p->map->ops->map_lookup_elem(p->map, &key);
	rcu_read_unlock();
	KUNIT_ASSERT_NOT_NULL(test, p->count);
	p->prog_fd = tg_bpf_prog_load(p, btf_id);
	KUNIT_ASSERT_GE_MSG(test, p->prog_fd, 0, "BPF_PROG_LOAD of a %s program",
			    type == BPF_TRACE_FENTRY ? "fentry" : "fexit");
	return p;
}

/**
 * tg_bpf_attach() - attach @p through a new link (BPF_LINK_CREATE)
 * @p: a loaded program without a link
 *
 * Return: 0, or the negative error of BPF_LINK_CREATE.
 */
int tg_bpf_attach(struct tg_bpf_prog *p)
{
	union bpf_attr attr = {
		.link_create.prog_fd = p->prog_fd,
		.link_create.attach_type = p->type,
	};
	int fd = tg_bpf_sys(BPF_LINK_CREATE, &attr);

	if (fd < 0)
		return fd;
	p->link_fd = fd;
	return 0;
}

/**
 * tg_bpf_put_prog_fd() - close @p's program fd: its links hold it alone
 * @p: the program
 */
void tg_bpf_put_prog_fd(struct tg_bpf_prog *p)
{
	tg_bpf_close(&p->prog_fd);
}

/**
 * tg_bpf_detach() - close @p's link; the program is detached on return
 * @p: the program
 */
void tg_bpf_detach(struct tg_bpf_prog *p)
{
	tg_bpf_close(&p->link_fd);
}

/**
 * tg_bpf_count() - how many times @p has run
 * @p: the program
 *
 * Return: the count in its map.
 */
u64 tg_bpf_count(const struct tg_bpf_prog *p)
{
	return READ_ONCE(*p->count);
}
