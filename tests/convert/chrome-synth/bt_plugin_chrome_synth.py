"""A synthetic CTF source for the converter tests: N events of a provider
weft does not know ("other:event"), with the vpid/vtid/procname contexts
LTTng-UST writes, so `weft convert` must say it understood none of them.

    babeltrace2 --plugin-path=DIR -c source.chrome_synth.Unknown \
        -p 'count=100' -c sink.ctf.fs -p 'path="OUT"'
"""
import bt2

bt2.register_plugin(__name__, "chrome_synth")


class UnknownIter(bt2._UserMessageIterator):
    def __init__(self, config, port):
        out = port.user_data
        self._messages = []
        self._build(out["trace_class"], out["clock_class"], out["event_class"], out["count"])
        self._messages.reverse()

    def _build(self, tc, cc, ec, count):
        trace = tc()
        stream = trace.create_stream(tc[0])
        msgs = [self._create_stream_beginning_message(stream)]
        packet = stream.create_packet()
        msgs.append(self._create_packet_beginning_message(packet, 1000))
        for i in range(count):
            msg = self._create_event_message(ec, packet, 1000 + i * 1000)
            ctx = msg.event.common_context_field
            ctx["vpid"] = 4242
            ctx["vtid"] = 4242
            ctx["procname"] = "synth"
            msg.event.payload_field["value"] = i
            msgs.append(msg)
        msgs.append(self._create_packet_end_message(packet, 1000 + count * 1000))
        msgs.append(self._create_stream_end_message(stream))
        self._messages = msgs

    def __next__(self):
        if not self._messages:
            raise StopIteration
        return self._messages.pop()


@bt2.plugin_component_class
class Unknown(bt2._UserSourceComponent, message_iterator_class=UnknownIter):
    def __init__(self, config, params, obj):
        count = int(params["count"]) if "count" in params else 100
        tc = self._create_trace_class()
        cc = self._create_clock_class(frequency=1000000000, name="monotonic",
                                      origin_is_unix_epoch=True)
        ctx = tc.create_structure_field_class()
        ctx.append_member("vpid", tc.create_signed_integer_field_class(32))
        ctx.append_member("vtid", tc.create_signed_integer_field_class(32))
        ctx.append_member("procname", tc.create_string_field_class())
        sc = tc.create_stream_class(default_clock_class=cc, supports_packets=True,
                                    packets_have_beginning_default_clock_snapshot=True,
                                    packets_have_end_default_clock_snapshot=True,
                                    event_common_context_field_class=ctx)
        payload = tc.create_structure_field_class()
        payload.append_member("value", tc.create_signed_integer_field_class(64))
        ec = sc.create_event_class(name="other:event", payload_field_class=payload)
        self._add_output_port("out", {"trace_class": tc, "clock_class": cc,
                                      "event_class": ec, "count": count})


class LossyIter(bt2._UserMessageIterator):
    """Thread 4243 of process 4243 runs regions "work" of 1 us every 10 us;
    after the 10th region the stream reports `lost` discarded events (in
    the second packet, which ends at 206000 ns)."""

    def __init__(self, config, port):
        d = port.user_data
        trace = d["trace_class"]()
        stream = trace.create_stream(d["stream_class"])
        self._messages = [self._create_stream_beginning_message(stream)]
        packet = stream.create_packet()
        self._messages.append(self._create_packet_beginning_message(packet, 1000))
        t = 1000
        for i in range(20):
            if i == 10:
                # CTF counts discarded events per packet: the range ends with
                # the end of the next packet (the last one, at 206000).
                self._messages.append(self._create_packet_end_message(packet, t))
                self._messages.append(self._create_discarded_events_message(
                    stream, d["lost"], t, 206000))
                t += 5000
                packet = stream.create_packet()
                self._messages.append(self._create_packet_beginning_message(packet, t))
            for ec, at in ((d["begin"], t), (d["end"], t + 1000)):
                msg = self._create_event_message(ec, packet, at)
                ctx = msg.event.common_context_field
                ctx["vpid"] = 4243
                ctx["vtid"] = 4243
                ctx["procname"] = "lossy"
                msg.event.payload_field["name"] = "work"
                self._messages.append(msg)
            t += 10000
        self._messages.append(self._create_packet_end_message(packet, t))
        self._messages.append(self._create_stream_end_message(stream))
        self._messages.reverse()

    def __next__(self):
        if not self._messages:
            raise StopIteration
        return self._messages.pop()


@bt2.plugin_component_class
class Lossy(bt2._UserSourceComponent, message_iterator_class=LossyIter):
    def __init__(self, config, params, obj):
        tc = self._create_trace_class()
        cc = self._create_clock_class(frequency=1000000000, name="monotonic",
                                      origin_is_unix_epoch=True)
        ctx = tc.create_structure_field_class()
        ctx.append_member("vpid", tc.create_signed_integer_field_class(32))
        ctx.append_member("vtid", tc.create_signed_integer_field_class(32))
        ctx.append_member("procname", tc.create_string_field_class())
        sc = tc.create_stream_class(default_clock_class=cc, supports_packets=True,
                                    packets_have_beginning_default_clock_snapshot=True,
                                    packets_have_end_default_clock_snapshot=True,
                                    supports_discarded_events=True,
                                    discarded_events_have_default_clock_snapshots=True,
                                    event_common_context_field_class=ctx)
        def payload():
            p = tc.create_structure_field_class()
            p.append_member("name", tc.create_string_field_class())
            return p

        begin = sc.create_event_class(name="weft:region_begin", payload_field_class=payload())
        end = sc.create_event_class(name="weft:region_end", payload_field_class=payload())
        lost = int(params["lost"]) if "lost" in params else 123
        self._add_output_port("out", {"trace_class": tc, "stream_class": sc, "begin": begin,
                                      "end": end, "lost": lost})
