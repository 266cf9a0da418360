package dev.aidetect.schemas.kafka;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HexFormat;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde for one generated Avro record type, in Avro single-object encoding: a two-byte marker, the 8-byte
 * schema fingerprint, then the binary record. The fingerprint tells the reader which version wrote the message, so
 * no registry server is needed; the reader knows every version of the record ({@link SchemaHistory}).
 *
 * <p>
 * Thread-safe: Avro's encoder and decoder keep per-thread buffers.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {
    private static final int HEADER_BYTES = 10;

    private final Class<T> type;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;

    public AvroSerde(Class<T> type) {
        this.type = type;
        SpecificData data = specificDataFor(type);
        Schema schema = data.getSchema(type);
        this.encoder = new BinaryMessageEncoder<>(data, schema);
        this.decoder = new BinaryMessageDecoder<>(data, schema);
        // The history's last version is this schema itself, already known to the decoder as its own.
        long own = SchemaNormalization.parsingFingerprint64(schema);
        SchemaHistory.versionsOf(schema.getFullName()).stream()
                .filter(version -> SchemaNormalization.parsingFingerprint64(version) != own)
                .forEach(decoder::addSchema);
    }

    /**
     * Avro's shared model resolves record classes through Avro's own class loader; under Quarkus (and any
     * application server) that is not the loader of the generated classes, and decoding fails with a
     * ClassCastException between two copies of one class. A model bound to the record's own loader avoids that.
     */
    private static SpecificData specificDataFor(Class<?> type) {
        SpecificData data = new SpecificData(type.getClassLoader());
        SpecificData.getForClass(type).getConversions().forEach(data::addLogicalTypeConversion);
        return data;
    }

    public Class<T> type() {
        return type;
    }

    /** Encodes a record; {@code null} stays {@code null} (a tombstone). */
    public byte[] encode(T record) {
        if (record == null) {
            return null;
        }
        try {
            ByteBuffer buffer = encoder.encode(record);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException | AvroRuntimeException | ClassCastException | NullPointerException e) {
            throw new org.apache.kafka.common.errors.SerializationException(
                    "cannot encode " + type.getSimpleName() + " (a required field is missing or has the wrong type): "
                            + e.getMessage(),
                    e);
        }
    }

    /**
     * Decodes a payload; {@code null} stays {@code null}.
     *
     * @param topic where the payload came from, named in the error; may be {@code null}
     * @throws RecordDecodingException when the payload is not a single-object record of this type
     */
    public T decode(String topic, byte[] payload) {
        if (payload == null) {
            return null;
        }
        try {
            return decoder.decode(payload);
        } catch (BadHeaderException e) {
            throw failure(topic, payload, RecordDecodingException.Problem.NOT_AVRO,
                    "it does not start with the Avro single-object marker C3 01 (first bytes: "
                            + firstBytes(payload) + "); the producer did not use this project's serde",
                    e);
        } catch (MissingSchemaException e) {
            throw failure(topic, payload, RecordDecodingException.Problem.UNKNOWN_SCHEMA,
                    "its schema fingerprint " + fingerprint(payload)
                            + " is not a known version of " + type.getSimpleName()
                            + "; it was written by a newer or foreign schema (upgrade this reader or fix the producer)",
                    e);
        } catch (EOFException e) {
            throw failure(topic, payload, RecordDecodingException.Problem.TRUNCATED,
                    "it ends before the record does (truncated)", e);
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException e) {
            if (e.getCause() instanceof EOFException) {
                // Avro's message decoder wraps the end of input in an AvroRuntimeException.
                throw failure(topic, payload, RecordDecodingException.Problem.TRUNCATED,
                        "it ends before the record does (truncated)", e);
            }
            throw failure(topic, payload, RecordDecodingException.Problem.CORRUPT,
                    "its body is corrupt: " + e.getMessage(), e);
        }
    }

    private RecordDecodingException failure(String topic, byte[] payload, RecordDecodingException.Problem code,
            String problem, Exception cause) {
        String where = topic == null ? "payload" : "payload on topic '" + topic + "'";
        return new RecordDecodingException(topic, code, where + " (" + payload.length + " bytes) is not a "
                + type.getSimpleName() + " record: " + problem, cause);
    }

    private static String firstBytes(byte[] payload) {
        return payload.length == 0
                ? "none, the payload is empty"
                : HexFormat.ofDelimiter(" ").withUpperCase().formatHex(payload, 0, Math.min(4, payload.length));
    }

    private static String fingerprint(byte[] payload) {
        if (payload.length < HEADER_BYTES) {
            return "(truncated)";
        }
        return HexFormat.of().withUpperCase().formatHex(payload, 2, HEADER_BYTES);
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, record) -> encode(record);
    }

    @Override
    public Deserializer<T> deserializer() {
        return this::decode;
    }
}
