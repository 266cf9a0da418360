"""The aidetect wire contract in Python: the pipeline's Avro records in single-object encoding (schemas/README.md).

Every Kafka message value is C3 01, then the 8-byte CRC-64-AVRO fingerprint of the writer's schema (of its Parsing
Canonical Form, little-endian), then the Avro binary record. This module reads the schema history the Java schemas
module publishes (one standalone .avsc per version, listed oldest first in index.txt), writes records with each
record's current schema and reads any version it knows, resolved to the current one.

The fingerprints are computed here, per the Avro specification, not by the avro library: Debian's python3-avro 1.11
has no fingerprint function, and its `canonical_form` keeps a primitive type that carries a property as an object
({"type": "string"} for {"type": "string", "avro.java.string": "String"} or a timestamp-millis long) where the
specification, and Java, reduce it to "string" or "long"; its fingerprint of every record here would differ from
Java's. The avro library (python3-avro) does the binary encoding and the schema resolution, imported only when a
record is encoded or decoded: the fingerprints need nothing but the standard library.

Run as a program, it prints the fingerprint of each .avsc file given (the named types of all of them are known to
each), or of every entry of a history folder or schemas jar:

    python3 aidetect_wire.py fingerprints [HISTORY_DIR_OR_JAR | FILE.avsc ...]
"""
import datetime
import io
import json
import sys
import zipfile
from pathlib import Path

MARKER = b"\xc3\x01"
HEADER_BYTES = 10
HISTORY_IN_JAR = "dev/aidetect/schemas/history/"
DEFAULT_HISTORY = Path(__file__).resolve().parents[2] / "src/main/resources" / HISTORY_IN_JAR

PRIMITIVES = {"null", "boolean", "int", "long", "float", "double", "bytes", "string"}
NAMED = {"record", "error", "enum", "fixed"}

# CRC-64-AVRO, as the specification's "Schema Fingerprints" section (and Java's SchemaNormalization) computes it.
_EMPTY = 0xC15D213AA4D7A795


def _crc64_table():
    table = []
    for i in range(256):
        fp = i
        for _ in range(8):
            fp = (fp >> 1) ^ (_EMPTY & -(fp & 1))
        table.append(fp)
    return table


_TABLE = _crc64_table()


def crc64_avro(data):
    fp = _EMPTY
    for byte in data:
        fp = (fp >> 8) ^ _TABLE[(fp ^ byte) & 0xFF]
    return fp


def _fullname(name, namespace):
    return name if "." in name or not namespace else namespace + "." + name


def named_types(schema, namespace="", found=None):
    """Every named type (record, enum, fixed) defined in a parsed schema, by full name, with its namespace."""
    found = {} if found is None else found
    if isinstance(schema, list):
        for branch in schema:
            named_types(branch, namespace, found)
    elif isinstance(schema, dict):
        kind = schema.get("type")
        if kind in NAMED:
            full = _fullname(schema["name"], schema.get("namespace", namespace))
            found[full] = schema
            namespace = full.rpartition(".")[0]
            for field in schema.get("fields", []):
                named_types(field["type"], namespace, found)
        elif kind == "array":
            named_types(schema["items"], namespace, found)
        elif kind == "map":
            named_types(schema["values"], namespace, found)
        elif isinstance(kind, (dict, list)):
            named_types(kind, namespace, found)
    return found


def parsing_canonical_form(schema, known=None):
    """The schema's Parsing Canonical Form (Avro specification): full names, only the attributes that decide the
    bytes (name, type, fields, symbols, items, values, size) in that order, primitives as plain names, each named
    type written out where it first occurs and referred to by full name after, no whitespace.

    known: named types defined elsewhere (other .avsc files), by full name, for a schema that refers to them."""
    known = dict(known or {})
    known.update(named_types(schema))
    return _canonical(schema, "", set(), known)


def _canonical(schema, namespace, written, known):
    def text(value):
        return json.dumps(value, ensure_ascii=False)

    if isinstance(schema, list):
        return "[" + ",".join(_canonical(branch, namespace, written, known) for branch in schema) + "]"
    if isinstance(schema, str):
        if schema in PRIMITIVES:
            return text(schema)
        full = _fullname(schema, namespace)
        if full in written:
            return text(full)
        if full not in known:
            raise ValueError(f"unknown type '{full}': give the .avsc that defines it too")
        return _canonical(known[full], full.rpartition(".")[0], written, known)
    kind = schema["type"]
    if kind in PRIMITIVES:
        return text(kind)  # [PRIMITIVES]: {"type": "long", "logicalType": ...} is "long"
    if kind == "array":
        return '{"type":"array","items":' + _canonical(schema["items"], namespace, written, known) + "}"
    if kind == "map":
        return '{"type":"map","values":' + _canonical(schema["values"], namespace, written, known) + "}"
    if kind not in NAMED:
        return _canonical(kind, namespace, written, known)  # {"type": "SomeName"} or {"type": {...}}
    full = _fullname(schema["name"], schema.get("namespace", namespace))
    if full in written:
        return text(full)
    written.add(full)
    out = '{"name":' + text(full) + ',"type":' + text(kind)
    if kind in ("record", "error"):
        inner = full.rpartition(".")[0]
        fields = ",".join('{"name":' + text(field["name"]) + ',"type":'
                          + _canonical(field["type"], inner, written, known) + "}" for field in schema["fields"])
        out += ',"fields":[' + fields + "]"
    elif kind == "enum":
        out += ',"symbols":' + json.dumps(schema["symbols"], ensure_ascii=False, separators=(",", ":"))
    else:
        out += ',"size":' + str(int(schema["size"]))
    return out + "}"


def fingerprint(schema, known=None):
    """The 8 bytes single-object encoding puts after C3 01: CRC-64-AVRO of the Parsing Canonical Form, little-endian
    (printed as hex, the form the Java side's decoding errors and schemas/README.md use)."""
    return crc64_avro(parsing_canonical_form(schema, known).encode("utf-8")).to_bytes(8, "little")


class SchemaHistory:
    """Every published version of every record, oldest first, from the schemas module's history: its folder
    (schemas/src/main/resources/dev/aidetect/schemas/history) or the schemas jar. A record's last version is the one
    this side writes; every version is one it reads."""

    def __init__(self, location=DEFAULT_HISTORY):
        self.location = Path(location)
        self.versions = {}  # record name -> [(file, schema as parsed JSON, fingerprint)], oldest first
        for file in self._read("index.txt").splitlines():
            file = file.strip()
            if file and not file.startswith("#"):
                schema = json.loads(self._read(file))
                record = schema["name"].rpartition(".")[2]
                self.versions.setdefault(record, []).append((file, schema, fingerprint(schema)))

    def _read(self, name):
        if self.location.suffix == ".jar":
            with zipfile.ZipFile(self.location) as jar:
                return jar.read(HISTORY_IN_JAR + name).decode("utf-8")
        return (self.location / name).read_text(encoding="utf-8")

    def current(self, record):
        """(file, schema, fingerprint) of the version of `record` this side writes."""
        if record not in self.versions:
            raise KeyError(f"no record '{record}' in the schema history at {self.location}; "
                           f"known: {', '.join(sorted(self.versions))}")
        return self.versions[record][-1]


class Codec:
    """Encodes and decodes one record type in single-object encoding, with python3-avro."""

    def __init__(self, history, record):
        try:
            import avro.io
            import avro.schema
        except ImportError as missing:
            raise SystemExit(f"python3-avro is missing ({missing}): apt-get install python3-avro") from missing
        self._avro = avro
        self.record = record
        _, schema, self.fingerprint = history.current(record)
        self.schema = avro.schema.parse(json.dumps(schema))
        self._writers = {fp: avro.schema.parse(json.dumps(s)) for _, s, fp in history.versions[record]}

    def encode(self, datum):
        """C3 01, the current schema's fingerprint, the record. Fields left out get their schema's default."""
        body = io.BytesIO()
        self._avro.io.DatumWriter(self.schema).write(_with_defaults(self.schema, datum),
                                                     self._avro.io.BinaryEncoder(body))
        return MARKER + self.fingerprint + body.getvalue()

    def decode(self, payload):
        """The record as a dict in the current schema (fields its writer did not know filled with defaults)."""
        if payload is None or payload[:2] != MARKER:
            first = "none" if not payload else payload[:4].hex(" ").upper()
            raise ValueError(f"not a single-object {self.record} record: it does not start with C3 01 (first bytes "
                             f"{first})")
        writer = self._writers.get(payload[2:HEADER_BYTES])
        if writer is None:
            raise ValueError(f"schema fingerprint {payload[2:HEADER_BYTES].hex().upper()} is not a known version of "
                             f"{self.record}: it was written by a newer schema; update the schema history")
        reader = self._avro.io.DatumReader(writer, self.schema)
        return reader.read(self._avro.io.BinaryDecoder(io.BytesIO(payload[HEADER_BYTES:])))


def _with_defaults(schema, datum):
    """`datum` with every field it leaves out set to the schema's default, in nested records too; python3-avro
    writes only what it is given and refuses a missing field that has no null branch."""
    kind = schema.type
    if kind in ("record", "error") and isinstance(datum, dict):
        full = {}
        for field in schema.fields:
            if field.name in datum:
                full[field.name] = _with_defaults(field.type, datum[field.name])
            elif field.has_default:
                full[field.name] = _default(field.type, field.default)
            else:
                raise ValueError(f"{schema.name}.{field.name} is required (it has no default)")
        return full
    if kind == "union" and datum is not None:
        for branch in schema.schemas:
            if branch.type in ("record", "error") and isinstance(datum, dict):
                return _with_defaults(branch, datum)
    if kind == "array" and isinstance(datum, list):
        return [_with_defaults(schema.items, item) for item in datum]
    if kind == "map" and isinstance(datum, dict):
        return {key: _with_defaults(schema.values, value) for key, value in datum.items()}
    return datum


def _default(schema, value):
    """A field default as JSON gives it, as the value python3-avro writes (a union's is its first branch's)."""
    if schema.type == "union":
        return _default(schema.schemas[0], value)
    if getattr(schema, "logical_type", None) == "timestamp-millis" and isinstance(value, int):
        return datetime.datetime.fromtimestamp(value / 1000, tz=datetime.timezone.utc)
    if schema.type in ("record", "error"):
        return _with_defaults(schema, value)
    return value


def _print_fingerprints(arguments):
    """One line per schema: the file's name and the hex fingerprint (the 8 bytes after C3 01)."""
    if len(arguments) <= 1 and not (arguments and arguments[0].endswith(".avsc")):
        history = SchemaHistory(arguments[0] if arguments else DEFAULT_HISTORY)
        for versions in history.versions.values():
            for file, _, fp in versions:
                print(file, fp.hex().upper())
        return
    schemas = [(Path(path).name, json.loads(Path(path).read_text(encoding="utf-8"))) for path in arguments]
    known = {}
    for _, schema in schemas:
        named_types(schema, found=known)
    for name, schema in schemas:
        print(name, fingerprint(schema, known).hex().upper())


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] != "fingerprints":
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    _print_fingerprints(sys.argv[2:])
