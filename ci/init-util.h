/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the nolibc /init programs of ci/initramfs.sh: print
 * lines, and copy a (debugfs) file line by line. Each line is one write(),
 * so that on /dev/kmsg it is one record, serialised with the kernel's own
 * messages instead of interleaved with them on the serial console.
 */

static char buf[1 << 20];
static int out_fd = 1;

/* Print @prefix and @len bytes of @text as one line. */
static void say_line(const char *prefix, const char *text, size_t len)
{
	static char line[1024];
	size_t plen = strlen(prefix);

	if (plen + len + 1 > sizeof(line))
		len = sizeof(line) - plen - 1;
	memcpy(line, prefix, plen);
	memcpy(line + plen, text, len);
	line[plen + len] = '\n';
	write(out_fd, line, plen + len + 1);
}

static void say(const char *s)
{
	write(out_fd, s, strlen(s));
}

/* Print the file at @path line by line, each after @prefix. */
static int show(const char *path, const char *prefix)
{
	ssize_t len = 0, n;
	char *line, *end;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	while (len < (ssize_t)sizeof(buf) - 1 &&
	       (n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	close(fd);
	buf[len] = '\0';
	for (line = buf; *line; line = end + 1) {
		end = strchr(line, '\n');
		if (!end)
			end = line + strlen(line);
		say_line(prefix, line, end - line);
		if (!*end)
			break;
	}
	return 0;
}
