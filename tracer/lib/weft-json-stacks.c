/*
 * Call stacks from Chrome JSON into the model: the stackFrames tree and
 * the per-event stack forms of weft-json-stacks.h.
 *
 * A frame becomes a call site interned by what the file says of it (its
 * label, category and file), so a frame shared by many nodes of the tree
 * is one call site; an "sf" is resolved once, its stack interned with
 * weft_model_add_stack(). A chain longer than MAX_DEPTH (or a cycle, in a
 * file weft did not write) is cut there and the stack marked truncated.
 */
#include "weft-json-stacks.h"

#include <stdlib.h>
#include <string.h>

#include "weft-chrome-private.h"

#define MAX_DEPTH 1024

struct weft_json_stacks {
	weft_model_t *model; /* borrowed */
	json_object *frames; /* borrowed: "stackFrames", NULL when absent */
	GHashTable *by_sf;   /* sf as a string -> stack index, owned keys */
	GHashTable *sites;   /* "label\x1fcategory\x1ffile" -> callsite index, owned keys */
	GArray *scratch;     /* guint32: the frames being gathered, leaf first */
};

/* "name+0xhex" without spaces: a frame known only by its binary. */
static gboolean split_binary_offset(weft_model_t *model, const char *label, weft_callsite_t *cs)
{
	const char *plus = strstr(label, "+0x");
	char *end = NULL;
	guint64 offset;

	if (!plus || plus == label || strchr(label, ' ')) {
		return FALSE;
	}
	offset = g_ascii_strtoull(plus + 3, &end, 16);
	if (end == plus + 3 || *end) {
		return FALSE;
	}
	g_autofree char *binary = g_strndup(label, (gsize) (plus - label));

	cs->binary = weft_model_intern(model, binary);
	cs->offset = offset;
	return TRUE;
}

void weft_json_parse_site(weft_model_t *model, const char *label, gboolean split_binary,
                          weft_callsite_t *cs)
{
	const char *paren = strstr(label, " (");
	const char *colon = strrchr(label, ':');

	if (g_str_has_prefix(label, "0x")) {
		cs->ip = g_ascii_strtoull(label, NULL, 16);
	} else if (paren && colon && colon > paren && g_str_has_suffix(label, ")")) {
		g_autofree char *fn = g_strndup(label, (gsize) (paren - label));
		g_autofree char *file = g_strndup(paren + 2, (gsize) (colon - paren - 2));

		cs->function = weft_model_intern(model, fn);
		cs->file = weft_model_intern(model, file);
		cs->line = (guint32) strtoul(colon + 1, NULL, 10);
	} else if (!split_binary || !split_binary_offset(model, label, cs)) {
		cs->function = weft_model_intern(model, label);
	}
}

weft_json_stacks_t *weft_json_stacks_new(weft_model_t *model, json_object *frames)
{
	weft_json_stacks_t *s = g_new0(weft_json_stacks_t, 1);

	s->model = model;
	s->frames = frames && json_object_is_type(frames, json_type_object) ? frames : NULL;
	s->by_sf = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	s->sites = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	s->scratch = g_array_new(FALSE, FALSE, sizeof(guint32));
	return s;
}

void weft_json_stacks_free(weft_json_stacks_t *s)
{
	if (!s) {
		return;
	}
	g_hash_table_destroy(s->by_sf);
	g_hash_table_destroy(s->sites);
	g_array_free(s->scratch, TRUE);
	g_free(s);
}

const char *weft_json_get_str(json_object *obj, const char *key)
{
	json_object *v;

	if (!obj || !json_object_object_get_ex(obj, key, &v) ||
	    !json_object_is_type(v, json_type_string)) {
		return NULL;
	}
	return json_object_get_string(v);
}

/* The call site of one frame: label, binary (category) and full file path. */
static guint32 frame_site(weft_json_stacks_t *s, const char *label, const char *binary,
                          const char *file)
{
	g_autofree char *key =
	    g_strdup_printf("%s\x1f%s\x1f%s", label, binary ? binary : "", file ? file : "");
	gpointer found;
	weft_callsite_t cs = {0};
	gsize n = strlen(label), suffix = strlen(WEFT_CHROME_INLINED_SUFFIX);

	if (g_hash_table_lookup_extended(s->sites, key, NULL, &found)) {
		return GPOINTER_TO_UINT(found);
	}
	cs.inlined = n > suffix && g_str_has_suffix(label, WEFT_CHROME_INLINED_SUFFIX);
	g_autofree char *bare = g_strndup(label, cs.inlined ? n - suffix : n);

	weft_json_parse_site(s->model, bare, TRUE, &cs);
	if (binary && *binary && !cs.binary) {
		cs.binary = weft_model_intern(s->model, binary);
	}
	if (file && *file && cs.function) {
		cs.file = weft_model_intern(s->model, file);
	}
	g_array_append_val(s->model->callsites, cs);
	g_hash_table_insert(s->sites, g_steal_pointer(&key),
	                    GUINT_TO_POINTER(s->model->callsites->len - 1));
	return s->model->callsites->len - 1;
}

static guint32 intern_scratch(weft_json_stacks_t *s, gboolean truncated)
{
	return weft_model_add_stack(s->model, (const guint32 *) (void *) s->scratch->data,
	                            s->scratch->len, truncated);
}

/* Walks node sf to the root of the stackFrames tree. */
static guint32 stack_of_sf(weft_json_stacks_t *s, const char *sf)
{
	json_object *node = NULL, *parent;
	const char *id = sf;
	gpointer found;
	guint32 stack;

	if (g_hash_table_lookup_extended(s->by_sf, sf, NULL, &found)) {
		return GPOINTER_TO_UINT(found);
	}
	g_array_set_size(s->scratch, 0);
	while (id && s->scratch->len < MAX_DEPTH &&
	       json_object_object_get_ex(s->frames, id, &node) && weft_json_get_str(node, "name")) {
		guint32 site = frame_site(s, weft_json_get_str(node, "name"),
		                          weft_json_get_str(node, "category"),
		                          weft_json_get_str(node, "file"));

		g_array_append_val(s->scratch, site);
		id = json_object_object_get_ex(node, "parent", &parent)
		         ? json_object_get_string(parent)
		         : NULL;
	}
	stack = intern_scratch(s, s->scratch->len == MAX_DEPTH);
	g_hash_table_insert(s->by_sf, g_strdup(sf), GUINT_TO_POINTER(stack));
	return stack;
}

/* An array of frame labels; root_first for catapult's inline "stack". */
static guint32 stack_of_array(weft_json_stacks_t *s, json_object *array, gboolean root_first)
{
	size_t n = json_object_array_length(array);

	g_array_set_size(s->scratch, 0);
	for (size_t i = 0; i < n && i < MAX_DEPTH; i++) {
		json_object *v = json_object_array_get_idx(array, root_first ? n - 1 - i : i);
		guint32 site;

		if (!json_object_is_type(v, json_type_string)) {
			continue;
		}
		site = frame_site(s, json_object_get_string(v), NULL, NULL);
		g_array_append_val(s->scratch, site);
	}
	return intern_scratch(s, n > MAX_DEPTH);
}

guint32 weft_json_stacks_of_event(weft_json_stacks_t *s, json_object *ev, json_object *args)
{
	json_object *v;

	if (s->frames && json_object_object_get_ex(ev, "sf", &v) &&
	    !json_object_is_type(v, json_type_null)) {
		return stack_of_sf(s, json_object_get_string(v));
	}
	if (json_object_object_get_ex(ev, "stack", &v) && json_object_is_type(v, json_type_array)) {
		return stack_of_array(s, v, TRUE);
	}
	if (args && json_object_object_get_ex(args, "stack", &v) &&
	    json_object_is_type(v, json_type_array)) {
		return stack_of_array(s, v, FALSE);
	}
	return 0;
}
