package dev.aidetect.embedder.inference;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads one HTTP/1.x response from a stream: status line, headers, and (for a 200) the body as Content-Length, chunked
 * or up to the end of the connection says, never more than {@code maxBytes} of it. Header lines and counts are capped
 * too, so a hostile server cannot make the embedder buffer without bound. Tells the fetch's deadline when the body
 * begins, so that a timeout names the phase it struck in.
 */
final class HttpResponseReader {

    /** The response: its status code and, for a 200, its body (else empty). */
    record Response(int status, byte[] body) {
    }

    /** The body is longer than the byte limit. */
    static final class TooLargeException extends IOException {
        TooLargeException(long maxBytes) {
            super("response body is over " + maxBytes + " bytes");
        }
    }

    private static final int MAX_LINE = 8192;
    private static final int MAX_HEADERS = 100;

    private final InputStream in;
    private final long maxBytes;
    private final FetchDeadline deadline;

    HttpResponseReader(InputStream in, long maxBytes, FetchDeadline deadline) {
        this.in = in;
        this.maxBytes = maxBytes;
        this.deadline = deadline;
    }

    Response read() throws IOException {
        String statusLine;
        int status;
        Map<String, String> headers;
        do { // 1xx interim responses (such as 103 Early Hints) precede the real one
            statusLine = line();
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("\\d{3}")) {
                throw new IOException("not an HTTP/1.x status line: '" + statusLine + "'");
            }
            status = Integer.parseInt(parts[1]);
            headers = headers();
        } while (status >= 100 && status < 200);
        if (status != 200) {
            return new Response(status, new byte[0]);
        }
        deadline.enter(FetchDeadline.Phase.BODY);
        if (headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT).contains("chunked")) {
            return new Response(status, chunked());
        }
        String length = headers.get("content-length");
        return new Response(status, length == null ? upTo(Long.MAX_VALUE, false) : sized(length));
    }

    private Map<String, String> headers() throws IOException {
        Map<String, String> headers = new HashMap<>();
        for (String line = line(); !line.isEmpty(); line = line()) {
            int colon = line.indexOf(':');
            if (colon <= 0 || headers.size() >= MAX_HEADERS) {
                throw new IOException("bad or too many response headers at '" + line + "'");
            }
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        return headers;
    }

    private byte[] sized(String length) throws IOException {
        long size;
        try {
            size = Long.parseLong(length);
        } catch (NumberFormatException e) {
            throw new IOException("bad Content-Length '" + length + "'", e);
        }
        if (size > maxBytes) {
            throw new TooLargeException(maxBytes);
        }
        return upTo(size, true);
    }

    private byte[] chunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (long size = chunkSize(); size > 0; size = chunkSize()) {
            if (body.size() + size > maxBytes) {
                throw new TooLargeException(maxBytes);
            }
            body.write(upTo(size, true));
            if (!line().isEmpty()) {
                throw new IOException("chunk of " + size + " bytes is not followed by CRLF");
            }
        }
        headers(); // trailers
        return body.toByteArray();
    }

    private long chunkSize() throws IOException {
        String line = line();
        int extension = line.indexOf(';');
        try {
            return Long.parseLong((extension < 0 ? line : line.substring(0, extension)).trim(), 16);
        } catch (NumberFormatException e) {
            throw new IOException("bad chunk size line '" + line + "'", e);
        }
    }

    /** Exactly {@code size} bytes when {@code exact}, else whatever comes before the end of the stream. */
    private byte[] upTo(long size, boolean exact) throws IOException {
        byte[] body = in.readNBytes((int) Math.min(size, Math.min(maxBytes + 1, Integer.MAX_VALUE - 8)));
        if (body.length > maxBytes) {
            throw new TooLargeException(maxBytes);
        }
        if (exact && body.length < size) {
            throw new IOException("response ended after " + body.length + " of " + size + " bytes");
        }
        return body;
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("response ended in the middle of its headers");
            }
            if (line.size() >= MAX_LINE) {
                throw new IOException("response header line is longer than " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }
}
