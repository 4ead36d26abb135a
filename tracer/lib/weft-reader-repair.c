/*
 * Stream files babeltrace2 cannot read whole: a packet cut short by the end
 * of the file (a crash, a full disk), bytes that are not a packet after the
 * last one, a packet whose header is not CTF's. babeltrace2 2.0 then refuses
 * the whole trace, or aborts inside a query. The LTTng index beside each
 * stream (index/NAME.idx) says where each packet starts and how long it is:
 * the stream is read up to its last complete packet, through a temporary
 * mirror of the trace folder where that stream is cut there and every other
 * file is a symbolic link, and the reader says what it dropped.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "weft-reader-private.h"

#define INDEX_MAGIC 0xC1F1DCC1u
#define INDEX_HEADER_SIZE 16
#define INDEX_ENTRY_MIN 16 /* offset and packet_size come first */
#define CTF_MAGIC 0xC1FC1FC1u

/* Where a stream stops being readable, and why (static text). */
typedef struct {
	guint64 good_end; /* end of the last complete packet */
	guint64 size;     /* the file's size */
	guint packets;    /* complete packets before good_end */
	const char *why;
} cut_t;

static gboolean has_ctf_magic(FILE *f, guint64 offset)
{
	guint8 b[4];
	guint32 le, be;

	if (fseeko(f, (off_t) offset, SEEK_SET) != 0 || fread(b, 1, 4, f) != 4) {
		return FALSE;
	}
	le = (guint32) b[0] | (guint32) b[1] << 8 | (guint32) b[2] << 16 | (guint32) b[3] << 24;
	be = (guint32) b[3] | (guint32) b[2] << 8 | (guint32) b[1] << 16 | (guint32) b[0] << 24;
	return le == CTF_MAGIC || be == CTF_MAGIC;
}

/*
 * Walks the packets the index lists, in order, while each starts with
 * CTF's magic and ends inside the file. FALSE when there is no usable index
 * (the stream is then left to babeltrace2 as it is).
 */
static gboolean find_cut(const char *dir, const char *name, guint64 size, cut_t *cut)
{
	g_autofree char *idx_name = g_strconcat(name, ".idx", NULL);
	g_autofree char *idx = g_build_filename(dir, "index", idx_name, NULL);
	g_autofree char *path = g_build_filename(dir, name, NULL);
	g_autofree char *data = NULL;
	gsize len = 0, entry;
	guint32 h[4];
	FILE *f;

	if (!g_file_get_contents(idx, &data, &len, NULL) || len < INDEX_HEADER_SIZE) {
		return FALSE;
	}
	memcpy(h, data, sizeof h);
	entry = GUINT32_FROM_BE(h[3]);
	if (GUINT32_FROM_BE(h[0]) != INDEX_MAGIC || entry < INDEX_ENTRY_MIN ||
	    !(f = fopen(path, "rb"))) {
		return FALSE;
	}
	*cut = (cut_t){0, size, 0, "bytes after the last packet"};
	for (gsize off = INDEX_HEADER_SIZE; off + entry <= len; off += entry) {
		guint64 e[2], start, bytes;

		memcpy(e, data + off, sizeof e);
		start = GUINT64_FROM_BE(e[0]);
		bytes = GUINT64_FROM_BE(e[1]) / 8;
		if (start != cut->good_end || bytes == 0) {
			break; /* the index itself is damaged: trust what came before */
		}
		if (start + bytes > size) {
			cut->why = "a packet cut short by the end of the file";
			break;
		}
		if (!has_ctf_magic(f, start)) {
			cut->why = "not a CTF packet (bad magic number)";
			break;
		}
		cut->good_end = start + bytes;
		cut->packets++;
	}
	fclose(f);
	return TRUE;
}

/* Copies the first n bytes of src to dst. */
static gboolean copy_head(const char *src, const char *dst, guint64 n)
{
	FILE *in = fopen(src, "rb"), *out = in ? fopen(dst, "wb") : NULL;
	char buf[1 << 16];
	gboolean ok = in && out;

	while (ok && n > 0) {
		size_t want = (size_t) MIN(n, sizeof buf);
		size_t got = fread(buf, 1, want, in);

		ok = got == want && fwrite(buf, 1, got, out) == got;
		n -= got;
	}
	if (out && fclose(out) != 0) {
		ok = FALSE;
	}
	if (in) {
		fclose(in);
	}
	return ok;
}

/* The mirror of dir with the streams in cuts (name -> cut_t*) cut; NULL on failure. */
static char *make_mirror(const char *dir, GHashTable *cuts)
{
	g_autofree char *abs = g_canonicalize_filename(dir, NULL);
	char *mirror = g_dir_make_tmp("weft-read-XXXXXX", NULL);
	GDir *d = mirror ? g_dir_open(abs, 0, NULL) : NULL;
	const char *name;
	gboolean ok = d != NULL;

	while (ok && (name = g_dir_read_name(d))) {
		g_autofree char *src = g_build_filename(abs, name, NULL);
		g_autofree char *dst = g_build_filename(mirror, name, NULL);
		const cut_t *cut = g_hash_table_lookup(cuts, name);

		if (!strcmp(name, "index")) {
			continue; /* babeltrace2 indexes the cut streams itself */
		}
		ok = cut ? copy_head(src, dst, cut->good_end) : symlink(src, dst) == 0;
	}
	if (d) {
		g_dir_close(d);
	}
	if (!ok && mirror) {
		weft_reader_repair_remove(mirror);
		g_clear_pointer(&mirror, g_free);
	}
	return mirror;
}

char *weft_reader_repair_dir(const char *dir, GPtrArray *warnings, GHashTable *repaired)
{
	g_autoptr(GHashTable) cuts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *name;
	char *mirror = NULL;

	while (d && (name = g_dir_read_name(d))) {
		g_autofree char *path = g_build_filename(dir, name, NULL);
		GStatBuf st;
		cut_t cut;

		if (name[0] == '.' || !strcmp(name, "metadata") || g_stat(path, &st) != 0 ||
		    !S_ISREG(st.st_mode) || st.st_size == 0 ||
		    !find_cut(dir, name, (guint64) st.st_size, &cut) || cut.good_end == cut.size) {
			continue;
		}
		g_ptr_array_add(warnings,
		                g_strdup_printf("stream %s: %" G_GUINT64_FORMAT
		                                " bytes from offset %" G_GUINT64_FORMAT
		                                " dropped (%s); its %u complete packets are read",
		                                path, cut.size - cut.good_end, cut.good_end,
		                                cut.why, cut.packets));
		g_hash_table_add(repaired, g_steal_pointer(&path));
		g_hash_table_insert(cuts, g_strdup(name), g_memdup2(&cut, sizeof cut));
	}
	if (d) {
		g_dir_close(d);
	}
	if (g_hash_table_size(cuts)) {
		mirror = make_mirror(dir, cuts);
	}
	return mirror;
}

void weft_reader_repair_remove(const char *mirror)
{
	GDir *d = g_dir_open(mirror, 0, NULL);
	const char *name;

	while (d && (name = g_dir_read_name(d))) {
		g_autofree char *path = g_build_filename(mirror, name, NULL);

		g_unlink(path);
	}
	if (d) {
		g_dir_close(d);
	}
	g_rmdir(mirror);
}
