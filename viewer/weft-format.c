/*
 * Human-readable times: the ruler, the details pane and the range summary
 * all use these so units agree everywhere.
 */
#include "weft-format.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "weft-table.h"

static const struct {
	weft_time_t ns;
	const char *unit;
} units[] = {
    {1000000000, "s"},
    {1000000, "ms"},
    {1000, "µs"},
    {1, "ns"},
};

void weft_format_duration(char *buf, gsize len, weft_time_t ns)
{
	weft_time_t mag = ns < 0 ? -ns : ns;

	for (gsize i = 0; i < G_N_ELEMENTS(units); i++) {
		if (mag >= units[i].ns || units[i].ns == 1) {
			double v = (double) ns / (double) units[i].ns;
			int decimals = units[i].ns == 1 ? 0 : (mag >= 100 * units[i].ns ? 1 : 3);

			if (mag >= 100 * units[i].ns && units[i].ns > 1) {
				decimals = 1;
			} else if (mag >= 10 * units[i].ns && units[i].ns > 1) {
				decimals = 2;
			}
			snprintf(buf, len, "%.*f %s", decimals, v, units[i].unit);
			return;
		}
	}
}

void weft_format_tick(char *buf, gsize len, weft_time_t t, weft_time_t step)
{
	gsize u = 0;
	int decimals = 0;
	weft_time_t scale;

	/* The largest unit at most ten steps long ("2.5 ms", not "2500 µs"),
	 * and as many decimals as the step needs in it. */
	step = MAX(step, 1);
	while (u + 1 < G_N_ELEMENTS(units) && step * 10 < units[u].ns) {
		u++;
	}
	scale = units[u].ns;
	while (decimals < 9 && step % scale != 0) {
		scale /= 10;
		decimals++;
	}
	snprintf(buf, len, "%.*f %s", decimals, (double) t / (double) units[u].ns, units[u].unit);
}

void weft_format_counter_caption(char *buf, gsize len, const char *name, gboolean is_heap,
                                 gint64 max)
{
	if (is_heap) {
		/* Bytes, in the units weft stats prints. */
		g_autofree char *bytes = weft_table_format_bytes(max);

		g_snprintf(buf, len, "%s (max %s)", name, bytes);
	} else {
		g_snprintf(buf, len, "%s (max %" G_GINT64_FORMAT ")", name, max);
	}
}

void weft_format_value(char *buf, gsize len, gint64 value, const char *unit)
{
	if (!g_strcmp0(unit, "nanoseconds")) {
		weft_format_duration(buf, len, value);
	} else if (!g_strcmp0(unit, "bytes")) {
		g_autofree char *bytes = weft_table_format_bytes(value);

		g_snprintf(buf, len, "%s", bytes);
	} else {
		g_snprintf(buf, len, "%" G_GINT64_FORMAT, value);
	}
}
