"""A burst of a million events in about a tenth of a second is recorded
without loss: the channel is sized for it.
usage: test_burst.py WEFT BURST"""

import os
import sys

from weftcheck import check, main, parse_summary, weft_record

weft, prog = map(os.path.abspath, sys.argv[1:3])
PAIRS = 500000


def test(tmp):
    out = os.path.join(tmp, "t")
    rc, _, err = weft_record(weft, ["-o", out, prog, str(PAIRS)])
    check(rc == 0, "weft record exited %d: %s" % (rc, err))
    s = parse_summary(err)
    check(s.get("discarded") == 0, "events were discarded: %s" % err)
    check("warning" not in err, "unexpected warning: %s" % err)
    regions = s.get("own", 0)
    check(regions >= 2 * PAIRS, "%d events from the program, expected at least %d: %s"
          % (regions, 2 * PAIRS, err))
    print(err.strip())


main(test)
