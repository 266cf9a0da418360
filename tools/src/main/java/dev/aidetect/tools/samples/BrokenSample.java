package dev.aidetect.tools.samples;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

import dev.aidetect.schemas.RejectReason;

/**
 * Inputs an upload stream really sees that are not usable images, each with the rejection reason the pipeline must
 * give it. Used by the demo and the end-to-end test.
 */
public enum BrokenSample {
    HTML_AS_JPEG("not-an-image.jpg", RejectReason.NOT_AN_IMAGE), SVG_DRAWING("drawing.svg",
            RejectReason.NOT_AN_IMAGE), TRUNCATED_JPEG("truncated.jpg", RejectReason.CORRUPT), PIXEL_BOMB_PNG(
                    "bomb.png", RejectReason.TOO_MANY_PIXELS), EMPTY_FILE("empty.png", RejectReason.NOT_AN_IMAGE);

    private final String fileName;
    private final RejectReason expected;

    BrokenSample(String fileName, RejectReason expected) {
        this.fileName = fileName;
        this.expected = expected;
    }

    public String fileName() {
        return fileName;
    }

    public RejectReason expectedReason() {
        return expected;
    }

    /** The file's bytes; {@code aJpeg} is a valid JPEG to truncate. */
    public byte[] bytes(byte[] aJpeg) {
        return switch (this) {
            case HTML_AS_JPEG -> "<!DOCTYPE html><html><body><img src=\"cat.jpg\"></body></html>\n"
                    .getBytes(StandardCharsets.UTF_8);
            case SVG_DRAWING -> ("<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"64\" "
                    + "height=\"64\"><circle cx=\"32\" cy=\"32\" r=\"20\" fill=\"red\"/></svg>\n")
                    .getBytes(StandardCharsets.UTF_8);
            case TRUNCATED_JPEG -> java.util.Arrays.copyOf(aJpeg, aJpeg.length * 2 / 5);
            case PIXEL_BOMB_PNG -> pngHeaderClaiming(100_000, 100_000);
            case EMPTY_FILE -> new byte[0];
        };
    }

    /** A PNG signature and a valid IHDR chunk for a huge RGB image, and no pixel data: a decompression bomb's header. */
    static byte[] pngHeaderClaiming(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(17);
        ihdr.put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        out.writeBytes(ByteBuffer.allocate(4).putInt(13).array());
        out.writeBytes(ihdr.array());
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        return out.toByteArray();
    }
}
