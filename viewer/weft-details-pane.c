/*
 * The details pane; the layout is weft-details-pane.ui.
 */
#include "weft-details-pane.h"

#include "weft-format.h"
#include "weft-frame.h"

#include <string.h>

struct _WeftDetailsPane {
	GtkWidget parent_instance;
	WeftSession *session; /* borrowed, NULL when detached */
	GtkWidget *scroller;
	GtkLabel *title, *kind, *thread, *start, *duration, *object, *callsite, *args, *range;
	GtkBox *links;
	GtkBox *stacks; /* the call stacks of the selected wait, one section each */
	WeftCriticalPane *critical;
};

G_DEFINE_FINAL_TYPE(WeftDetailsPane, weft_details_pane, GTK_TYPE_WIDGET)

enum { SIGNAL_JUMP, N_SIGNALS };

static guint signals[N_SIGNALS];

static const weft_model_t *model_of(WeftDetailsPane *self)
{
	return self->session ? weft_session_borrow_model(self->session) : NULL;
}

static char *thread_text(const weft_model_t *m, guint index)
{
	const weft_thread_t *t;

	if (index >= m->threads->len) {
		return g_strdup("unknown");
	}
	t = g_ptr_array_index(m->threads, index);
	return g_strdup_printf(
	    "%s (tid %" G_GINT64_FORMAT ", pid %" G_GINT64_FORMAT ")",
	    *weft_model_borrow_string(m, t->name) ? weft_model_borrow_string(m, t->name) : "thread",
	    t->tid, t->process ? t->process->pid : -1);
}

static char *callsite_text(const weft_model_t *m, guint32 index)
{
	const weft_callsite_t *cs = weft_model_borrow_callsite(m, index);

	if (index == 0 || (!cs->function && !cs->file && !cs->ip)) {
		return g_strdup("unknown");
	}
	if (cs->file) {
		return g_strdup_printf(
		    "%s (%s:%u)", cs->function ? weft_model_borrow_string(m, cs->function) : "?",
		    weft_model_borrow_string(m, cs->file), cs->line);
	}
	if (cs->function) {
		return g_strdup_printf("%s (%s+0x%" G_GINT64_MODIFIER "x)",
		                       weft_model_borrow_string(m, cs->function),
		                       weft_model_borrow_string(m, cs->binary), cs->offset);
	}
	return g_strdup_printf("0x%" G_GINT64_MODIFIER "x", cs->ip);
}

static void set_time_labels(WeftDetailsPane *self, const weft_model_t *m, const weft_item_t *item)
{
	char rel[64], dur[64];
	g_autofree char *start = NULL;

	weft_format_duration(rel, sizeof rel, item->start - m->start);
	start = g_strdup_printf("+%s (%" G_GINT64_FORMAT " ns)", rel, item->start);
	gtk_label_set_text(self->start, start);
	weft_format_duration(dur, sizeof dur, item->end - item->start);
	gtk_label_set_text(self->duration, dur);
}

static char *flags_text(guint8 flags)
{
	GString *s = g_string_new(NULL);

	if (flags & WEFT_FLAG_UNFINISHED) {
		g_string_append(s, "no end seen (clipped at the trace end); ");
	}
	if (flags & WEFT_FLAG_UNSTARTED) {
		g_string_append(s, "no begin seen (starts at the trace start); ");
	}
	if (flags & WEFT_FLAG_INFERRED) {
		g_string_append(s, "end inferred; ");
	}
	return g_string_free(s, FALSE);
}

static void show_state(WeftDetailsPane *self, const weft_model_t *m, const weft_item_t *item)
{
	const weft_thread_t *t = g_ptr_array_index(m->threads, item->thread);
	const weft_state_track_t *st = &t->states;
	weft_state_t state = g_array_index(st->state, guint8, item->index);
	guint64 object = g_array_index(st->object, guint64, item->index);
	gint32 aux = g_array_index(st->aux, gint32, item->index);
	g_autofree char *obj =
	    object ? g_strdup_printf("0x%" G_GINT64_MODIFIER "x", object) : g_strdup("none");
	g_autofree char *cs = callsite_text(m, g_array_index(st->callsite, guint32, item->index));
	g_autofree char *flags = flags_text(g_array_index(st->flags, guint8, item->index));
	g_autofree char *args = NULL;

	gtk_label_set_text(self->title, weft_state_name(state));
	gtk_label_set_text(self->kind, "thread state");
	gtk_label_set_text(self->object, obj);
	gtk_label_set_text(self->callsite, cs);
	if ((state == WEFT_STATE_BLOCK_CUSTOM || state == WEFT_STATE_LOCK_CUSTOM) && aux > 0) {
		args = g_strdup_printf("%sreason=%s", flags,
		                       weft_model_borrow_string(m, (weft_str_t) aux));
	} else if ((state == WEFT_STATE_SYSCALL || state == WEFT_STATE_SLEEP) && aux >= 0) {
		args = g_strdup_printf("%s%s()", flags, weft_syscall_kind_name(aux));
	} else if ((state == WEFT_STATE_MUTEX || state == WEFT_STATE_RWLOCK_READ ||
	            state == WEFT_STATE_RWLOCK_WRITE) &&
	           aux > 0) {
		/* the holder's tid, as the lock recorded it when the wait began */
		args = g_strdup_printf("%sheld by thread %d", flags, aux);
	} else {
		args = g_strdup(*flags ? flags : "none");
	}
	gtk_label_set_text(self->args, args);
}

static void show_slice(WeftDetailsPane *self, const weft_model_t *m, const weft_item_t *item)
{
	const weft_thread_t *t = g_ptr_array_index(m->threads, item->thread);
	const weft_slice_track_t *sl = &t->slices;
	g_autofree char *cs = callsite_text(m, g_array_index(sl->callsite, guint32, item->index));
	g_autofree char *flags = flags_text(g_array_index(sl->flags, guint8, item->index));
	g_autofree char *args =
	    g_strdup_printf("%sdepth=%u", flags, g_array_index(sl->depth, guint16, item->index));

	gtk_label_set_text(self->title, weft_model_borrow_string(
	                                    m, g_array_index(sl->name, weft_str_t, item->index)));
	gtk_label_set_text(self->kind, "region");
	gtk_label_set_text(self->object, "none");
	gtk_label_set_text(self->callsite, cs);
	gtk_label_set_text(self->args, args);
}

static void show_instant(WeftDetailsPane *self, const weft_model_t *m, const weft_item_t *item)
{
	const weft_thread_t *t = g_ptr_array_index(m->threads, item->thread);
	const weft_instant_track_t *in = &t->instants;
	g_autofree char *cs = callsite_text(m, g_array_index(in->callsite, guint32, item->index));
	guint8 kind = g_array_index(in->kind, guint8, item->index);

	gtk_label_set_text(self->title, weft_model_borrow_string(
	                                    m, g_array_index(in->name, weft_str_t, item->index)));
	gtk_label_set_text(self->kind, kind == WEFT_INSTANT_LOG ? "log" : "mark");
	gtk_label_set_text(self->object, "none");
	gtk_label_set_text(self->callsite, cs);
	gtk_label_set_text(self->args, weft_model_borrow_string(
	                                   m, g_array_index(in->message, weft_str_t, item->index)));
}

static void show_task(WeftDetailsPane *self, const weft_model_t *m, const weft_item_t *item)
{
	const weft_task_t *task = &g_array_index(m->tasks, weft_task_t, item->index);
	g_autofree char *id = g_strdup_printf("0x%" G_GINT64_MODIFIER "x", task->id);
	g_autofree char *cs = callsite_text(m, task->callsite);
	g_autofree char *th = thread_text(m, task->begin_thread);
	g_autofree char *end = thread_text(m, task->end_thread);
	g_autofree char *args = g_strdup_printf("ends on %s", end);

	gtk_label_set_text(self->title, weft_model_borrow_string(m, task->name));
	gtk_label_set_text(self->kind, "task");
	gtk_label_set_text(self->thread, th);
	gtk_label_set_text(self->object, id);
	gtk_label_set_text(self->callsite, cs);
	gtk_label_set_text(self->args, args);
}

/* A frame's row: the function (bold), the inline mark, then file:line and module. */
static GtkWidget *frame_row(const weft_model_t *m, guint32 callsite)
{
	g_autofree char *name = weft_frame_dup_name(m, callsite);
	g_autofree char *loc = weft_frame_dup_location(m, callsite);
	g_autofree char *module = weft_frame_dup_module(m, callsite);
	g_autofree char *markup = g_markup_printf_escaped(
	    weft_frame_is_inlined(m, callsite)
	        ? "<b>%s</b> <i>[inlined]</i>\n<span size=\"small\" fgalpha=\"70%%\">%s%s%s</span>"
	        : "<b>%s</b>\n<span size=\"small\" fgalpha=\"70%%\">%s%s%s</span>",
	    name, loc ? loc : "", loc && module ? " · " : "",
	    module ? module : (loc ? "" : "unknown module"));
	GtkWidget *label = gtk_label_new(NULL);

	gtk_label_set_markup(GTK_LABEL(label), markup);
	gtk_label_set_xalign(GTK_LABEL(label), 0);
	gtk_label_set_selectable(GTK_LABEL(label), TRUE);
	gtk_label_set_wrap(GTK_LABEL(label), TRUE);
	gtk_label_set_wrap_mode(GTK_LABEL(label), PANGO_WRAP_WORD_CHAR);
	gtk_widget_add_css_class(label, "weft-frame");
	g_object_set_data_full(G_OBJECT(label), "weft-frame-text", weft_frame_dup_text(m, callsite),
	                       g_free);
	return label;
}

static GtkWidget *plain_row(const char *text)
{
	GtkWidget *label = gtk_label_new(text);

	gtk_label_set_xalign(GTK_LABEL(label), 0);
	gtk_widget_add_css_class(label, "dim-label");
	g_object_set_data_full(G_OBJECT(label), "weft-frame-text", g_strdup(text), g_free);
	return label;
}

/* A heading and one row per frame of stack, leaf first. */
static void add_stack(WeftDetailsPane *self, const weft_model_t *m, const char *title,
                      guint32 stack)
{
	const guint32 *frames = NULL;
	const weft_stack_t *st = weft_model_borrow_stack(m, stack, &frames);
	GtkWidget *heading = gtk_label_new(title);

	gtk_label_set_xalign(GTK_LABEL(heading), 0);
	gtk_label_set_wrap(GTK_LABEL(heading), TRUE);
	gtk_widget_set_margin_top(heading, 6);
	gtk_widget_add_css_class(heading, "heading");
	gtk_box_append(self->stacks, heading);
	if (!st) {
		gtk_box_append(self->stacks, plain_row("none recorded"));
		return;
	}
	for (guint i = 0; i < st->depth; i++) {
		gtk_box_append(self->stacks, frame_row(m, frames[i]));
	}
	if (st->truncated) {
		gtk_box_append(self->stacks, plain_row("… truncated"));
	}
}

/* The stack recorded at the other end of the flows into the wait (who released the lock). */
static void add_flow_stacks(WeftDetailsPane *self, const weft_model_t *m, const weft_item_t *item,
                            const GArray *flows)
{
	for (guint i = 0, shown = 0; i < flows->len && shown < 4; i++) {
		const weft_flow_t *f =
		    &g_array_index(m->flows, weft_flow_t, g_array_index(flows, guint, i));
		g_autofree char *th = NULL;
		g_autofree char *title = NULL;

		if (!f->stack || f->to_thread != item->thread || f->to_ts < item->start ||
		    f->to_ts > item->end) {
			continue;
		}
		th = thread_text(m, f->from_thread);
		title =
		    g_strdup_printf("Call stack of the %s by %s", weft_flow_kind_name(f->kind), th);
		add_stack(self, m, title, f->stack);
		shown++;
	}
}

static void fill_stacks(WeftDetailsPane *self, const weft_model_t *m, const weft_item_t *item)
{
	const weft_thread_t *t;
	g_autoptr(GArray) flows = NULL;
	GtkWidget *child;

	while ((child = gtk_widget_get_first_child(GTK_WIDGET(self->stacks)))) {
		gtk_box_remove(self->stacks, child);
	}
	gtk_widget_set_visible(GTK_WIDGET(self->stacks), FALSE);
	/* A trace without any stack (a JSON trace, WEFT_STACKS=off) gets no section. */
	if (!m || item->kind != WEFT_ITEM_STATE || item->thread >= m->threads->len || !m->stacks ||
	    m->stacks->len <= 1) {
		return;
	}
	t = g_ptr_array_index(m->threads, item->thread);
	add_stack(self, m, "Call stack", weft_state_track_stack(&t->states, item->index));
	flows = weft_session_dup_flows_of(self->session, item);
	add_flow_stacks(self, m, item, flows);
	gtk_widget_set_visible(GTK_WIDGET(self->stacks), TRUE);
}

static void on_link_clicked(GtkButton *button, WeftDetailsPane *self)
{
	guint thread = GPOINTER_TO_UINT(g_object_get_data(G_OBJECT(button), "weft-thread"));
	weft_time_t *ts = g_object_get_data(G_OBJECT(button), "weft-ts");

	g_signal_emit(self, signals[SIGNAL_JUMP], 0, thread, *ts);
}

static void add_link(WeftDetailsPane *self, const weft_model_t *m, const weft_flow_t *f,
                     gboolean outgoing)
{
	guint thread = outgoing ? f->to_thread : f->from_thread;
	weft_time_t ts = outgoing ? f->to_ts : f->from_ts;
	g_autofree char *th = thread_text(m, thread);
	char rel[64];
	g_autofree char *text = NULL;
	GtkWidget *button;

	weft_format_duration(rel, sizeof rel, ts - m->start);
	text = g_strdup_printf("%s %s: %s at +%s", outgoing ? "→" : "←",
	                       weft_flow_kind_name(f->kind), th, rel);
	button = gtk_button_new_with_label(text);
	gtk_widget_add_css_class(button, "flat");
	gtk_widget_set_halign(button, GTK_ALIGN_START);
	gtk_label_set_ellipsize(GTK_LABEL(gtk_button_get_child(GTK_BUTTON(button))),
	                        PANGO_ELLIPSIZE_END);
	g_object_set_data(G_OBJECT(button), "weft-thread", GUINT_TO_POINTER(thread));
	g_object_set_data_full(G_OBJECT(button), "weft-ts", g_memdup2(&ts, sizeof ts), g_free);
	g_signal_connect(button, "clicked", G_CALLBACK(on_link_clicked), self);
	gtk_box_append(self->links, button);
}

static void fill_links(WeftDetailsPane *self, const weft_model_t *m, const weft_item_t *item)
{
	GtkWidget *child;
	g_autoptr(GArray) flows = NULL;

	while ((child = gtk_widget_get_first_child(GTK_WIDGET(self->links)))) {
		gtk_box_remove(self->links, child);
	}
	if (!m || item->kind == WEFT_ITEM_NONE) {
		return;
	}
	flows = weft_session_dup_flows_of(self->session, item);
	for (guint i = 0; i < flows->len && i < 64; i++) {
		const weft_flow_t *f =
		    &g_array_index(m->flows, weft_flow_t, g_array_index(flows, guint, i));
		gboolean outgoing = item->kind == WEFT_ITEM_TASK
		                        ? TRUE
		                        : f->from_thread == item->thread &&
		                              f->from_ts >= item->start && f->from_ts <= item->end;

		add_link(self, m, f, outgoing);
	}
	if (flows->len == 0) {
		gtk_box_append(self->links, gtk_label_new("none"));
	}
}

static void clear_labels(WeftDetailsPane *self)
{
	GtkLabel *labels[] = {self->kind,   self->thread,   self->start, self->duration,
	                      self->object, self->callsite, self->args};

	for (gsize i = 0; i < G_N_ELEMENTS(labels); i++) {
		gtk_label_set_text(labels[i], "");
	}
}

static void on_selection_changed(WeftSession *session, WeftDetailsPane *self)
{
	const weft_model_t *m = model_of(self);
	const weft_item_t *item = weft_session_get_selection(session);
	g_autofree char *th = NULL;

	clear_labels(self);
	fill_links(self, m, item);
	fill_stacks(self, m, item);
	if (!m || item->kind == WEFT_ITEM_NONE) {
		gtk_label_set_text(self->title, "Nothing selected");
		return;
	}
	set_time_labels(self, m, item);
	if (item->thread < m->threads->len) {
		th = thread_text(m, item->thread);
		gtk_label_set_text(self->thread, th);
	}
	switch (item->kind) {
	case WEFT_ITEM_STATE:
		show_state(self, m, item);
		break;
	case WEFT_ITEM_SLICE:
		show_slice(self, m, item);
		break;
	case WEFT_ITEM_INSTANT:
		show_instant(self, m, item);
		break;
	case WEFT_ITEM_TASK:
		show_task(self, m, item);
		break;
	case WEFT_ITEM_CPU:
		gtk_label_set_text(self->title, th ? th : "thread");
		gtk_label_set_text(self->kind, "on CPU");
		break;
	default:
		break;
	}
}

static void append_thread_times(GString *s, const weft_model_t *m, const weft_thread_t *t,
                                weft_time_t start, weft_time_t end)
{
	weft_time_t times[WEFT_STATE_COUNT];
	char dur[64];
	gboolean any = FALSE;

	weft_details_pane_state_times(t, start, end, times);
	for (int k = 0; k < WEFT_STATE_COUNT; k++) {
		if (times[k] == 0) {
			continue;
		}
		if (!any) {
			g_string_append_printf(s, "\n%s (%" G_GINT64_FORMAT ")\n",
			                       *weft_model_borrow_string(m, t->name)
			                           ? weft_model_borrow_string(m, t->name)
			                           : "thread",
			                       t->tid);
			any = TRUE;
		}
		weft_format_duration(dur, sizeof dur, times[k]);
		g_string_append_printf(s, "  %-16s %10s  %5.1f%%\n",
		                       weft_state_name((weft_state_t) k), dur,
		                       100.0 * (double) times[k] / (double) MAX(end - start, 1));
	}
}

static void on_range_changed(WeftSession *session, WeftDetailsPane *self)
{
	const weft_model_t *m = model_of(self);
	weft_time_t start, end;
	GString *s;
	char dur[64];

	if (!m || !weft_session_get_range(session, &start, &end)) {
		gtk_label_set_text(self->range, "Drag on the ruler to select a range.");
		return;
	}
	s = g_string_new(NULL);
	weft_format_duration(dur, sizeof dur, end - start);
	g_string_append_printf(s, "Length %s\n", dur);
	for (guint i = 0; i < m->threads->len; i++) {
		append_thread_times(s, m, g_ptr_array_index(m->threads, i), start, end);
	}
	gtk_label_set_text(self->range, s->str);
	g_string_free(s, TRUE);
}

static void weft_details_pane_dispose(GObject *object)
{
	WeftDetailsPane *self = WEFT_DETAILS_PANE(object);

	weft_details_pane_set_session(self, NULL);
	gtk_widget_dispose_template(GTK_WIDGET(self), WEFT_TYPE_DETAILS_PANE);
	G_OBJECT_CLASS(weft_details_pane_parent_class)->dispose(object);
}

static void weft_details_pane_class_init(WeftDetailsPaneClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);

	object_class->dispose = weft_details_pane_dispose;
	g_type_ensure(WEFT_TYPE_CRITICAL_PANE);
	gtk_widget_class_set_template_from_resource(widget_class,
	                                            "/org/weft/View/weft-details-pane.ui");
	gtk_widget_class_bind_template_child(widget_class, WeftDetailsPane, scroller);
	gtk_widget_class_bind_template_child(widget_class, WeftDetailsPane, title);
	gtk_widget_class_bind_template_child(widget_class, WeftDetailsPane, kind);
	gtk_widget_class_bind_template_child(widget_class, WeftDetailsPane, thread);
	gtk_widget_class_bind_template_child(widget_class, WeftDetailsPane, start);
	gtk_widget_class_bind_template_child(widget_class, WeftDetailsPane, duration);
	gtk_widget_class_bind_template_child(widget_class, WeftDetailsPane, object);
	gtk_widget_class_bind_template_child(widget_class, WeftDetailsPane, callsite);
	gtk_widget_class_bind_template_child(widget_class, WeftDetailsPane, args);
	gtk_widget_class_bind_template_child(widget_class, WeftDetailsPane, range);
	gtk_widget_class_bind_template_child(widget_class, WeftDetailsPane, links);
	gtk_widget_class_bind_template_child(widget_class, WeftDetailsPane, stacks);
	gtk_widget_class_bind_template_child(widget_class, WeftDetailsPane, critical);
	gtk_widget_class_set_layout_manager_type(widget_class, GTK_TYPE_BIN_LAYOUT);
	gtk_widget_class_set_css_name(widget_class, "weftdetailspane");

	/* jump(thread, ts): an arrow link asks to show (thread, ts). */
	signals[SIGNAL_JUMP] =
	    g_signal_new("jump", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
	                 G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_INT64);
}

static void weft_details_pane_init(WeftDetailsPane *self)
{
	gtk_widget_init_template(GTK_WIDGET(self));
}

GtkWidget *weft_details_pane_new(void)
{
	return g_object_new(WEFT_TYPE_DETAILS_PANE, NULL);
}

void weft_details_pane_set_session(WeftDetailsPane *self, WeftSession *session)
{
	g_return_if_fail(WEFT_IS_DETAILS_PANE(self));

	if (self->session == session) {
		return;
	}
	if (self->session) {
		g_signal_handlers_disconnect_by_data(self->session, self);
	}
	self->session = session;
	weft_critical_pane_set_session(self->critical, session);
	if (session) {
		g_signal_connect(session, "selection-changed", G_CALLBACK(on_selection_changed),
		                 self);
		g_signal_connect(session, "range-changed", G_CALLBACK(on_range_changed), self);
		on_selection_changed(session, self);
		on_range_changed(session, self);
	}
}

const char *weft_details_pane_get_title(WeftDetailsPane *self)
{
	g_return_val_if_fail(WEFT_IS_DETAILS_PANE(self), NULL);
	return gtk_label_get_text(self->title);
}

const char *weft_details_pane_get_range_text(WeftDetailsPane *self)
{
	g_return_val_if_fail(WEFT_IS_DETAILS_PANE(self), NULL);
	return gtk_label_get_text(self->range);
}

void weft_details_pane_state_times(const weft_thread_t *thread, weft_time_t start, weft_time_t end,
                                   weft_time_t out[WEFT_STATE_COUNT])
{
	const weft_state_track_t *st = &thread->states;
	guint i;

	memset(out, 0, sizeof(weft_time_t) * WEFT_STATE_COUNT);
	if (!st->start || st->start->len == 0) {
		return;
	}
	i = weft_model_lower_bound(st->start, start);
	if (i > 0) {
		i--;
	}
	for (; i < st->start->len; i++) {
		weft_time_t s = g_array_index(st->start, weft_time_t, i);
		weft_time_t e = g_array_index(st->end, weft_time_t, i);
		guint8 state = g_array_index(st->state, guint8, i);

		if (s >= end) {
			break;
		}
		if (e > start && state < WEFT_STATE_COUNT) {
			out[state] += MIN(e, end) - MAX(s, start);
		}
	}
}

const char *weft_details_pane_get_field(WeftDetailsPane *self, const char *field)
{
	const struct {
		const char *name;
		GtkLabel *label;
	} fields[] = {
	    {"kind", self->kind},         {"thread", self->thread}, {"start", self->start},
	    {"duration", self->duration}, {"object", self->object}, {"callsite", self->callsite},
	    {"args", self->args},
	};

	g_return_val_if_fail(WEFT_IS_DETAILS_PANE(self), NULL);

	for (gsize i = 0; i < G_N_ELEMENTS(fields); i++) {
		if (!strcmp(field, fields[i].name)) {
			return gtk_label_get_text(fields[i].label);
		}
	}
	return NULL;
}

char *weft_details_pane_dup_stack_text(WeftDetailsPane *self)
{
	GString *s;

	g_return_val_if_fail(WEFT_IS_DETAILS_PANE(self), NULL);
	s = g_string_new(NULL);
	for (GtkWidget *c = gtk_widget_get_first_child(GTK_WIDGET(self->stacks)); c;
	     c = gtk_widget_get_next_sibling(c)) {
		const char *text = g_object_get_data(G_OBJECT(c), "weft-frame-text");

		g_string_append_printf(s, "%s\n", text ? text : gtk_label_get_text(GTK_LABEL(c)));
	}
	return g_string_free(s, FALSE);
}

WeftCriticalPane *weft_details_pane_get_critical(WeftDetailsPane *self)
{
	g_return_val_if_fail(WEFT_IS_DETAILS_PANE(self), NULL);
	return self->critical;
}
