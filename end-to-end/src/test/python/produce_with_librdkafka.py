"""Produces pre-encoded records to a Kafka topic the way a platform's Python uploader does: confluent-kafka
(librdkafka) with its default partitioner, consistent_random (CRC32 of the key modulo the partition count; a random
partition for no key).

Usage: produce_with_librdkafka.py BOOTSTRAP TOPIC MANIFEST
MANIFEST has one line per record, KEY<TAB>VALUE_FILE; a KEY of "-" sends the record with no key.
Prints "INDEX PARTITION" for every record the broker took; exits 1 naming each record it did not.
"""
import sys

from confluent_kafka import Producer


def main(bootstrap, topic, manifest):
    producer = Producer({"bootstrap.servers": bootstrap, "message.max.bytes": 33554432})
    failures = []

    def on_delivery(index):
        def callback(err, msg):
            if err is not None:
                failures.append(f"record {index}: {err}")
            else:
                print(index, msg.partition(), flush=True)
        return callback

    with open(manifest, encoding="utf-8") as lines:
        for index, line in enumerate(lines):
            key, path = line.rstrip("\n").split("\t")
            with open(path, "rb") as value:
                producer.produce(topic, value=value.read(), key=None if key == "-" else key.encode("utf-8"),
                                 on_delivery=on_delivery(index))
            producer.poll(0)
    left = producer.flush(60)
    if left or failures:
        print(f"{left} records not delivered within 60 s; {failures}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    main(*sys.argv[1:])
