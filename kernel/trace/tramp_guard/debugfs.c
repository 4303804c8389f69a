// SPDX-License-Identifier: GPL-2.0
/*
 * tramp_guard statistics in debugfs: <debugfs>/tramp_guard/stats.
 */

#include <linux/debugfs.h>
#include <linux/init.h>
#include <linux/seq_file.h>
#include <linux/tramp_guard.h>

static int stats_show(struct seq_file *m, void *unused)
{
	struct tramp_guard_stats st;

	tramp_guard_get_stats(&st);
	/* Root-only, but still an address: hashed unless no_hash_pointers. */
	seq_printf(m, "region_start:      %p\n", (void *)st.region_start);
	seq_printf(m, "region_end:        %p\n",
		   (void *)(st.region_start + st.region_size));
	seq_printf(m, "region_size:       %lu\n", st.region_size);
	seq_printf(m, "bytes_live:        %lu\n", st.bytes_live);
	seq_printf(m, "bytes_pending:     %lu\n", st.bytes_pending);
	seq_printf(m, "bytes_free:        %lu\n", st.bytes_free);
	seq_printf(m, "allocs:            %lu\n", st.nr_allocs);
	seq_printf(m, "frees:             %lu\n", st.nr_frees);
	seq_printf(m, "reclaims:          %lu\n", st.nr_reclaims);
	seq_printf(m, "alloc_failures:    %lu\n", st.nr_alloc_failures);
	seq_printf(m, "bad_frees:         %lu\n", st.nr_bad_frees);
	seq_printf(m, "bad_writes:        %lu\n", st.nr_bad_writes);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

static struct dentry *tramp_guard_dir;

/**
 * tramp_guard_debugfs_dir() - <debugfs>/tramp_guard, for users' own files
 *
 * Created by the first caller; initcalls run one at a time, so no lock.
 *
 * Context: initcalls only.
 * Return: the directory (an ERR_PTR() if debugfs refused it, which the
 * debugfs_create_*() functions accept and ignore).
 */
struct dentry *__init tramp_guard_debugfs_dir(void)
{
	if (!tramp_guard_dir)
		tramp_guard_dir = debugfs_create_dir("tramp_guard", NULL);
	return tramp_guard_dir;
}

static int __init tramp_guard_debugfs_init(void)
{
	debugfs_create_file("stats", 0400, tramp_guard_debugfs_dir(), NULL,
			    &stats_fops);
	return 0;
}
late_initcall(tramp_guard_debugfs_init);
