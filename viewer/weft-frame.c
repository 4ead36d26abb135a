/*
 * Frame names. The name rule is `weft stats --folded`'s (a function's
 * name, else binary+offset), so the flame graphs and the folded stacks
 * merge the same frames.
 */
#include "weft-frame.h"

static const weft_callsite_t *site_of(const weft_model_t *model, guint32 callsite)
{
	return weft_model_borrow_callsite(model, callsite);
}

static char *basename_of(const weft_model_t *model, weft_str_t path)
{
	const char *s = weft_model_borrow_string(model, path);

	return *s ? g_path_get_basename(s) : NULL;
}

char *weft_frame_dup_name(const weft_model_t *model, guint32 callsite)
{
	const weft_callsite_t *cs = site_of(model, callsite);
	const char *fn = weft_model_borrow_string(model, cs->function);
	g_autofree char *module = NULL;

	if (*fn) {
		return g_strdup(fn);
	}
	module = basename_of(model, cs->binary);
	if (module) {
		return g_strdup_printf("%s+0x%" G_GINT64_MODIFIER "x", module, cs->offset);
	}
	if (cs->ip) {
		return g_strdup_printf("0x%" G_GINT64_MODIFIER "x", cs->ip);
	}
	return g_strdup("(unknown)");
}

char *weft_frame_dup_location(const weft_model_t *model, guint32 callsite)
{
	const weft_callsite_t *cs = site_of(model, callsite);
	g_autofree char *file = basename_of(model, cs->file);

	if (!file) {
		return NULL;
	}
	return cs->line ? g_strdup_printf("%s:%u", file, cs->line) : g_steal_pointer(&file);
}

char *weft_frame_dup_module(const weft_model_t *model, guint32 callsite)
{
	return basename_of(model, site_of(model, callsite)->binary);
}

gboolean weft_frame_is_inlined(const weft_model_t *model, guint32 callsite)
{
	return site_of(model, callsite)->inlined != 0;
}

char *weft_frame_dup_text(const weft_model_t *model, guint32 callsite)
{
	g_autofree char *loc = weft_frame_dup_location(model, callsite);
	g_autofree char *module = weft_frame_dup_module(model, callsite);
	g_autofree char *name = weft_frame_dup_name(model, callsite);
	GString *s = g_string_new(name);

	if (weft_frame_is_inlined(model, callsite)) {
		g_string_append(s, " [inlined]");
	}
	if (loc) {
		g_string_append_printf(s, " — %s", loc);
	}
	if (module) {
		g_string_append_printf(s, " — %s", module);
	}
	return g_string_free(s, FALSE);
}

char *weft_frame_dup_stack_text(const weft_model_t *model, guint32 stack)
{
	const guint32 *frames = NULL;
	const weft_stack_t *st = weft_model_borrow_stack(model, stack, &frames);
	GString *s;

	if (!st) {
		return NULL;
	}
	s = g_string_new(NULL);
	for (guint i = 0; i < st->depth; i++) {
		g_autofree char *line = weft_frame_dup_text(model, frames[i]);

		g_string_append_printf(s, "%s\n", line);
	}
	if (st->truncated) {
		g_string_append(s, "… truncated\n");
	}
	return g_string_free(s, FALSE);
}
