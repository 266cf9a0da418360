"""Submits images to the aidetect pipeline from Python and waits for their final verdicts: a platform's uploader.

Each IMAGE is a file, sent inline, or a uri (https:, http:, file:), sent by reference for the embedder to fetch
(within its fetch policy). Each becomes an ImageSubmitted on images.ingest, keyed by a fresh image id; the program
then reads verdicts.final (read_committed) until every image has its one FinalVerdict, and prints it.

Needs Debian's python3-confluent-kafka and python3-avro; the fingerprints are computed by aidetect_wire (see there).

    python3 submit_and_wait.py --bootstrap-servers localhost:9092 photo.jpg https://images.example.com/a.png

Exit status: 0 when every image got its final verdict, 1 when one could not be sent (unreadable, or refused by the
broker) or had none in time, 2 for a usage error.
"""
import argparse
import datetime
import json
import mimetypes
import re
import sys
import time
import uuid
from pathlib import Path

from aidetect_wire import DEFAULT_HISTORY, Codec, SchemaHistory

try:
    from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition
except ImportError as missing:
    raise SystemExit(f"python3-confluent-kafka is missing ({missing}): apt-get install python3-confluent-kafka")

INGEST = "images.ingest"
FINAL = "verdicts.final"
# The pipeline creates images.ingest taking records up to 32 MiB; librdkafka's own limit is 1 MB by default.
INGEST_MAX_MESSAGE_BYTES = 32 << 20
URI = re.compile(r"^(https?|file):", re.IGNORECASE)


def main():
    args = parse_args()
    history = SchemaHistory(args.schemas)
    submissions, verdicts = Codec(history, "ImageSubmitted"), Codec(history, "FinalVerdict")
    kafka = dict(setting.split("=", 1) for setting in args.kafka_setting)
    kafka["bootstrap.servers"] = args.bootstrap_servers

    # Positioned at the end of verdicts.final before anything is sent, so that no verdict of ours can be missed.
    consumer = verdict_consumer(kafka)
    sent, refused = submit(kafka, submissions, args)
    for image_id, reason in refused.items():
        emit(args, {"event": "refused", "imageId": image_id, "input": sent.pop(image_id)["input"], "reason": reason})
    finals = await_finals(consumer, verdicts, sent, args)
    consumer.close()

    missing = [image_id for image_id in sent if image_id not in finals]
    for image_id in missing:
        emit(args, {"event": "missing", "imageId": image_id, "input": sent[image_id]["input"]})
    if missing or refused:
        print(f"{len(missing)} of {len(sent)} images had no final verdict within {args.timeout:g} s and "
              f"{len(refused)} were not sent", file=sys.stderr)
        return 1
    return 0


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("images", nargs="+", metavar="IMAGE", help="a file (sent inline) or a uri (by reference)")
    parser.add_argument("--bootstrap-servers", required=True, help="the Kafka cluster, host:port[,host:port]")
    parser.add_argument("-X", dest="kafka_setting", action="append", default=[], metavar="KEY=VALUE",
                        help="a librdkafka setting for both clients, e.g. -X security.protocol=SASL_SSL")
    parser.add_argument("--source", default="python-example", help="who submits (ImageSubmitted.source)")
    parser.add_argument("--attribute", action="append", default=[], metavar="KEY=VALUE",
                        help="passed through to the final verdict (ImageSubmitted.attributes)")
    parser.add_argument("--timeout", type=float, default=300, help="seconds to wait for the final verdicts")
    parser.add_argument("--schemas", default=DEFAULT_HISTORY,
                        help="the schema history folder, or the schemas jar (default: this checkout's)")
    parser.add_argument("--json", action="store_true", help="print one JSON object per event instead of text")
    args = parser.parse_args()
    for setting in args.kafka_setting + args.attribute:
        if "=" not in setting:
            parser.error(f"'{setting}' is not KEY=VALUE")
    return args


def verdict_consumer(kafka):
    consumer = Consumer({**kafka, "group.id": "aidetect-python-example-" + uuid.uuid4().hex,
                         "enable.auto.commit": False,
                         # The router writes verdicts.final in transactions (exactly_once_v2): only committed ones
                         # count, or an aborted and retried final would be seen twice. (librdkafka's default too.)
                         "isolation.level": "read_committed"})
    try:
        topic = consumer.list_topics(FINAL, timeout=30).topics[FINAL]
    except KafkaException as e:
        raise SystemExit(f"cannot reach Kafka at {kafka['bootstrap.servers']}: {e.args[0].str()}; check "
                         f"--bootstrap-servers and the -X security settings")
    if topic.error is not None:
        raise SystemExit(f"cannot read {FINAL} at {kafka['bootstrap.servers']}: {topic.error}; is the pipeline "
                         f"running there?")
    ends = []
    for partition in topic.partitions:
        _, end = consumer.get_watermark_offsets(TopicPartition(FINAL, partition), timeout=30)
        ends.append(TopicPartition(FINAL, partition, end))
    consumer.assign(ends)
    return consumer


def submit(kafka, codec, args):
    """Sends every image; answers {image id: what was sent} and {image id: why the broker refused it}."""
    producer = Producer({**kafka, "message.max.bytes": INGEST_MAX_MESSAGE_BYTES, "enable.idempotence": True})
    attributes = dict(setting.split("=", 1) for setting in args.attribute)
    sent, refused = {}, {}

    def delivered(image_id):
        def report(error, message):
            if error is not None:
                refused[image_id] = str(error)
            else:
                sent[image_id].update(partition=message.partition(), offset=message.offset())
                emit(args, {"event": "submitted", **sent[image_id]})
        return report

    for image in args.images:
        image_id = new_image_id(image)
        sent[image_id] = {"imageId": image_id, "input": image}
        try:
            content, extra = content_of(image)
        except OSError as e:
            refused[image_id] = f"cannot read it: {e.strerror}; give a readable file or a uri"
            continue
        value = codec.encode({
            "imageId": image_id,
            "submittedAt": datetime.datetime.now(datetime.timezone.utc),
            "source": args.source,
            "image": content,
            "attributes": {**extra, **attributes},
            # label, ImageContent's other fields: left out, the schema's defaults
        })
        while True:
            try:
                # Keyed by the image id (or no key at all): any other key gets a BAD_RECORD rejection.
                producer.produce(INGEST, key=image_id.encode("utf-8"), value=value, on_delivery=delivered(image_id))
                break
            except BufferError:
                producer.poll(1)  # the local queue is full: let the broker take some first
            except KafkaException as e:
                refused[image_id] = e.args[0].str()  # e.g. larger than message.max.bytes
                break
        producer.poll(0)
    left = producer.flush(60)
    for image_id, what in sent.items():
        if "offset" not in what and image_id not in refused:
            refused[image_id] = f"not acknowledged by the broker within 60 s ({left} records left)"
    print(f"sent {len(sent) - len(refused)} images to {INGEST}; waiting for their final verdicts", file=sys.stderr,
          flush=True)
    return sent, refused


def new_image_id(image):
    """A fresh image id: the name's stem and a random suffix, so the same file submitted again is a new case."""
    stem = re.sub(r"[^A-Za-z0-9._-]", "_", Path(image.rstrip("/")).stem or "image")
    return f"{stem}-{uuid.uuid4().hex[:8]}"


def content_of(image):
    """The ImageContent of a uri or a file, and the attributes it adds."""
    if URI.match(image):
        return {"uri": image}, {}
    path = Path(image)
    return {"content": path.read_bytes(), "contentType": mimetypes.guess_type(path.name)[0]}, {"file": path.name}


def await_finals(consumer, codec, sent, args):
    """Reads verdicts.final until every sent image has its final, or the timeout; answers them by image id."""
    finals = {}
    deadline = time.monotonic() + args.timeout
    next_progress = time.monotonic() + 5
    while len(finals) < len(sent) and time.monotonic() < deadline:
        message = consumer.poll(1.0)
        if time.monotonic() >= next_progress:
            print(f"waiting for final verdicts: {len(finals)} of {len(sent)}", file=sys.stderr, flush=True)
            next_progress += 5
        if message is None:
            continue
        if message.error() is not None:
            raise KafkaException(message.error())
        image_id = message.key().decode("utf-8") if message.key() is not None else None
        if image_id not in sent:
            continue  # another uploader's image
        verdict = codec.decode(message.value())
        if image_id in finals:
            print(f"a second final verdict for {image_id}: the pipeline's invariant is broken", file=sys.stderr)
        finals[image_id] = verdict
        emit(args, {"event": "verdict", "input": sent[image_id]["input"], **plain(verdict)})
    return finals


def emit(args, event):
    if args.json:
        print(json.dumps(event, separators=(",", ":")), flush=True)
    elif event["event"] == "verdict":
        print(describe(event), flush=True)
    elif event["event"] != "submitted":
        print(f"{event['imageId']}  {event['input']}  {event['event'].upper()}  {event.get('reason', '')}",
              flush=True)


def describe(verdict):
    """One line: id, input, status and what it means."""
    line = f"{verdict['imageId']}  {verdict['input']}  {verdict['status']}"
    if verdict["status"] == "DECIDED":
        line += f"  {verdict['authenticity']}"
        if verdict["generator"]:
            line += f"  {verdict['family']}/{verdict['generator']}"
        if verdict["score"] is not None:
            line += f"  score {verdict['score']:.3f}"
    elif verdict["status"] == "REJECTED":
        rejection = verdict["rejection"]
        line += (f"  {rejection['reason']} at {rejection['stage']}"
                 f"{' (retryable: submit it again later, with a new id)' if rejection['retryable'] else ''}"
                 f": {rejection['message']}")
    else:
        line += f"  waiting for {verdict['waitingFor']}"
    return line + f"  in {verdict['latencyMillis']} ms"


def plain(value):
    """The decoded record as JSON can hold it: timestamps as epoch milliseconds."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, datetime.datetime):
        return round(value.timestamp() * 1000)
    return value


if __name__ == "__main__":
    sys.exit(main())
