#!/usr/bin/env python3
"""Independent Kafka client for the logscrubd Kafka tests and bench (confluent-kafka, not our code).

produce-lines BROKER TOPIC KEY FILE    one record per line of FILE, all with KEY (so in one partition).
produce BROKER TOPIC START COUNT RATE   records START..START+COUNT-1 (RATE per second, 0 = as fast as possible);
                                       each carries its sequence id and planted secrets (value and a header).
consume BROKER TOPIC EXPECTED TIMEOUT OUT
                                       reads TOPIC from the beginning (fresh group) until EXPECTED distinct
                                       sequence ids were seen or TIMEOUT seconds passed; writes one JSON object
                                       per record to OUT and prints the count.
"""
import json
import re
import sys
import time
import uuid

from confluent_kafka import Consumer, Producer

SEQ = re.compile(rb"seq[=\":]+(\d+)")


def value(seq):
    if seq % 2:
        return ('{"seq":%d,"msg":"login password=Pl4nted-%06d-Qz ok","user":"u%d"}' % (seq, seq, seq % 7)).encode()
    return ("seq=%06d user login ok password=Pl4nted-%06d-Qz done" % (seq, seq)).encode()


def produce(broker, topic, start, count, rate):
    p = Producer({"bootstrap.servers": broker, "enable.idempotence": True, "acks": "all", "linger.ms": 5})
    t0 = time.time()
    for i in range(count):
        seq = start + i
        while True:
            try:
                p.produce(topic, value=value(seq), key=b"user-%d" % (seq % 7),
                          headers=[("trace", b"t-%d" % seq), ("password", b"Hdr-Pl4nted-%06d" % seq)])
                break
            except BufferError:
                p.poll(0.05)
        p.poll(0)
        if rate > 0:
            ahead = (i + 1) / rate - (time.time() - t0)
            if ahead > 0:
                time.sleep(ahead)
    left = p.flush(60)
    if left:
        sys.exit("produce: %d records not delivered" % left)
    print(count)


def produce_lines(broker, topic, key, path):
    p = Producer({"bootstrap.servers": broker, "enable.idempotence": True, "acks": "all"})
    with open(path, "rb") as f:
        for line in f.read().splitlines():
            p.produce(topic, value=line, key=key.encode())
    if p.flush(60):
        sys.exit("produce-lines: records not delivered")


def consume(broker, topic, expected, timeout, out):
    c = Consumer({"bootstrap.servers": broker, "group.id": "check-" + uuid.uuid4().hex,
                  "auto.offset.reset": "earliest", "enable.auto.commit": False,
                  "session.timeout.ms": 6000})
    c.subscribe([topic])
    seen = set()
    n = 0
    deadline = time.time() + timeout
    idle = 0
    with open(out, "w") as f:
        # After the last expected id, read on until the topic has been quiet for 2 s (late duplicates).
        while time.time() < deadline and (len(seen) < expected or idle < 4):
            m = c.poll(0.5)
            if m is None or m.error():
                idle += 1
                continue
            idle = 0
            v = m.value() or b""
            s = SEQ.search(v)
            if s:
                seen.add(int(s.group(1)))
            else:
                seen.add(("record", m.partition(), m.offset()))
            n += 1
            f.write(json.dumps({
                "p": m.partition(), "o": m.offset(),
                "k": (m.key() or b"").decode("utf-8", "replace"),
                "v": v.decode("utf-8", "replace"),
                "h": [[k, (hv or b"").decode("utf-8", "replace")] for k, hv in (m.headers() or [])],
                "seq": int(s.group(1)) if s else None,
            }) + "\n")
    c.close()
    print(n)


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "produce":
        produce(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6]))
    elif cmd == "produce-lines":
        produce_lines(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5])
    elif cmd == "consume":
        consume(sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5]), sys.argv[6])
    else:
        sys.exit("unknown command " + cmd)
