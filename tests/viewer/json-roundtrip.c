/*
 * json-roundtrip IN.json OUT.json: reads a Chrome JSON file with the
 * viewer's importer and writes the model again with the Chrome writer, so
 * that a test can compare what survives the round trip (json-roundtrip.py).
 */
#include <stdio.h>

#include "weft-chrome.h"
#include "weft-json-import.h"

int main(int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(weft_model_t) model = NULL;
	weft_chrome_options_t opt;

	if (argc != 3) {
		fprintf(stderr, "usage: json-roundtrip IN.json OUT.json\n");
		return 2;
	}
	model = weft_json_import_file(argv[1], NULL, NULL, NULL, &error);
	if (!model) {
		fprintf(stderr, "json-roundtrip: %s\n", error->message);
		return 1;
	}
	weft_chrome_options_init(&opt);
	opt.force = TRUE;
	if (!weft_chrome_write_file(model, argv[2], &opt, NULL, &error)) {
		fprintf(stderr, "json-roundtrip: %s\n", error->message);
		return 1;
	}
	return 0;
}
