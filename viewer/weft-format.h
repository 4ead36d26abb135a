/*
 * weft-format.h - times and durations as people read them.
 */
#ifndef WEFT_FORMAT_H
#define WEFT_FORMAT_H

#include <glib.h>

#include "weft-model.h"

G_BEGIN_DECLS

/* "1.25 ms", "830 ns", "2.000 s": three significant digits or so. */
void weft_format_duration(char *buf, gsize len, weft_time_t ns);
/* A tick label for time t (ns from the trace start) when ticks are step
 * ns apart: enough decimals to tell neighbours apart. */
void weft_format_tick(char *buf, gsize len, weft_time_t t, weft_time_t step);
/* Parses a time as weft convert --from/--to do: "10ns", "750us", "200ms",
 * "1.5s", "2min"; a bare number is seconds. FALSE on junk or negatives. */
/* A counter lane's caption: "NAME (max V)"; the heap counter's V in
 * binary units as weft stats prints bytes ("3.2 KiB"). */
void weft_format_counter_caption(char *buf, gsize len, const char *name, gboolean is_heap,
                                 gint64 max);

/* A profile value in its unit: "nanoseconds" as a duration, "bytes" in
 * binary units as weft stats prints them, anything else as a count. */
void weft_format_value(char *buf, gsize len, gint64 value, const char *unit);

G_END_DECLS

#endif /* WEFT_FORMAT_H */
