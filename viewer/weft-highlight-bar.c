/*
 * The highlight bar: a label and a Clear button over the session's stack
 * highlight.
 */
#include "weft-highlight-bar.h"

#include "weft-palette.h"

struct _WeftHighlightBar {
	GtkBox parent_instance;
	WeftSession *session; /* borrowed, NULL when detached */
	GtkWidget *label;
};

G_DEFINE_FINAL_TYPE(WeftHighlightBar, weft_highlight_bar, GTK_TYPE_BOX)

static void on_highlight_changed(WeftSession *session, WeftHighlightBar *self)
{
	const weft_stack_match_t *match = session ? weft_session_borrow_highlight(session) : NULL;
	g_autofree char *text = NULL;

	if (match) {
		text = g_strdup_printf("Outlined: %u wait%s through %s", match->n_intervals,
		                       match->n_intervals == 1 ? "" : "s", match->frame);
	}
	gtk_label_set_text(GTK_LABEL(self->label), text ? text : "");
	gtk_widget_set_visible(GTK_WIDGET(self), match != NULL);
}

static void on_clear(GtkButton *button, WeftHighlightBar *self)
{
	if (self->session) {
		weft_session_set_highlight(self->session, NULL);
	}
}

static void weft_highlight_bar_dispose(GObject *object)
{
	weft_highlight_bar_set_session(WEFT_HIGHLIGHT_BAR(object), NULL);
	G_OBJECT_CLASS(weft_highlight_bar_parent_class)->dispose(object);
}

static void weft_highlight_bar_class_init(WeftHighlightBarClass *klass)
{
	G_OBJECT_CLASS(klass)->dispose = weft_highlight_bar_dispose;
	gtk_widget_class_set_css_name(GTK_WIDGET_CLASS(klass), "wefthighlightbar");
}

static void weft_highlight_bar_init(WeftHighlightBar *self)
{
	GtkWidget *chip = gtk_label_new("▢");
	GtkWidget *clear = gtk_button_new_with_label("Clear");
	PangoAttrList *attrs = pango_attr_list_new();
	const GdkRGBA *c = weft_palette_highlight();

	pango_attr_list_insert(attrs, pango_attr_foreground_new((guint16) (c->red * 65535),
	                                                        (guint16) (c->green * 65535),
	                                                        (guint16) (c->blue * 65535)));
	pango_attr_list_insert(attrs, pango_attr_weight_new(PANGO_WEIGHT_BOLD));
	gtk_label_set_attributes(GTK_LABEL(chip), attrs);
	pango_attr_list_unref(attrs);
	self->label = gtk_label_new(NULL);
	gtk_label_set_xalign(GTK_LABEL(self->label), 0);
	gtk_label_set_ellipsize(GTK_LABEL(self->label), PANGO_ELLIPSIZE_END);
	gtk_widget_set_hexpand(self->label, TRUE);
	gtk_widget_add_css_class(clear, "flat");
	gtk_widget_set_tooltip_text(clear,
	                            "Remove the outlines (the flame graph frame stays selected)");
	g_signal_connect(clear, "clicked", G_CALLBACK(on_clear), self);
	gtk_orientable_set_orientation(GTK_ORIENTABLE(self), GTK_ORIENTATION_HORIZONTAL);
	gtk_box_set_spacing(GTK_BOX(self), 6);
	gtk_widget_add_css_class(GTK_WIDGET(self), "weft-highlight-bar");
	gtk_box_append(GTK_BOX(self), chip);
	gtk_box_append(GTK_BOX(self), self->label);
	gtk_box_append(GTK_BOX(self), clear);
	gtk_widget_set_visible(GTK_WIDGET(self), FALSE);
}

GtkWidget *weft_highlight_bar_new(void)
{
	return g_object_new(WEFT_TYPE_HIGHLIGHT_BAR, NULL);
}

void weft_highlight_bar_set_session(WeftHighlightBar *self, WeftSession *session)
{
	g_return_if_fail(WEFT_IS_HIGHLIGHT_BAR(self));

	if (self->session == session) {
		return;
	}
	if (self->session) {
		g_signal_handlers_disconnect_by_data(self->session, self);
	}
	self->session = session;
	if (session) {
		g_signal_connect(session, "highlight-changed", G_CALLBACK(on_highlight_changed),
		                 self);
	}
	on_highlight_changed(session, self);
}

const char *weft_highlight_bar_get_text(WeftHighlightBar *self)
{
	g_return_val_if_fail(WEFT_IS_HIGHLIGHT_BAR(self), NULL);
	return gtk_label_get_text(GTK_LABEL(self->label));
}
