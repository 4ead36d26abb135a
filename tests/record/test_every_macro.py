"""Records the every-macro programs (C11 and C++) with `weft record` and
checks each weft event's name, fields, order, call site and contexts.
usage: test_every_macro.py WEFT EVERY_MACRO [EVERY_MACRO_CPP...]"""

import os
import sys

from weftcheck import check, main, parse_summary, read_events, weft_record, check_every_macro

weft, programs = os.path.abspath(sys.argv[1]), [os.path.abspath(p) for p in sys.argv[2:]]


def test(tmp):
    for prog in programs:
        out = os.path.join(tmp, os.path.basename(prog))
        rc, _, err = weft_record(weft, ["-o", out, "--", prog])
        check(rc == 0, "weft record %s exited %d: %s" % (prog, rc, err))
        s = parse_summary(err)
        check(s.get("trace") == out, "summary has no trace path %s: %s" % (out, err))
        check("pid" in s and "discarded" in s, "incomplete summary: %s" % err)
        check(s["discarded"] == 0, "events were discarded: %s" % err)
        everything = read_events(out)
        mine = [e for e in everything if e["ctx"].get("vpid") == s["pid"]]
        check(s["events"] == len(everything), "summary counts %d events, the trace has %d"
              % (s["events"], len(everything)))
        check(s["own"] == len(mine), "summary counts %d events of pid %d, the trace has %d"
              % (s["own"], s["pid"], len(mine)))
        names = {e["name"] for e in mine}
        check("lttng_ust_statedump:bin_info" in names, "no statedump events recorded")
        check_every_macro(mine, prog, s["pid"])
        print("%s: %d events checked" % (os.path.basename(prog), len(mine)))


main(test)
