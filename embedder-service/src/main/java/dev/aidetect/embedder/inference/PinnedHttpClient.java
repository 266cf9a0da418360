package dev.aidetect.embedder.inference;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 GET to an address the caller has already checked, never to one looked up again: a general HTTP client
 * resolves the host name itself, so a DNS server could answer the check with a public address and the connection
 * with an internal one (DNS rebinding). For https the TLS session still names and verifies the URI's host: SNI is the
 * host name and the certificate must match it ({@code HTTPS} endpoint identification), as any browser checks.
 */
final class PinnedHttpClient {

    private final SSLSocketFactory tls;

    PinnedHttpClient(SSLSocketFactory tls) {
        this.tls = tls;
    }

    /**
     * GETs {@code uri} from the first of {@code addresses} that accepts a connection, all of it (connect, handshake,
     * response) before {@code deadlineNanos} ({@link System#nanoTime()}); a body over {@code maxBytes} is a
     * {@link HttpResponseReader.TooLargeException}.
     */
    HttpResponseReader.Response get(URI uri, List<InetAddress> addresses, long deadlineNanos, long maxBytes)
            throws IOException {
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() != -1 ? uri.getPort() : https ? 443 : 80;
        Socket socket = connect(addresses, port, deadlineNanos);
        try {
            if (https) {
                socket = handshake(socket, bareHost(uri), port, deadlineNanos);
            }
            OutputStream out = socket.getOutputStream();
            out.write(request(uri).getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = new BufferedInputStream(new DeadlineStream(socket, deadlineNanos));
            return new HttpResponseReader(in, maxBytes).read();
        } finally {
            socket.close();
        }
    }

    private static Socket connect(List<InetAddress> addresses, int port, long deadlineNanos) throws IOException {
        IOException last = new IOException("the host has no address");
        for (InetAddress address : addresses) {
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(address, port), remainingMillis(deadlineNanos));
                return socket;
            } catch (SocketTimeoutException e) {
                socket.close();
                throw e;
            } catch (IOException e) { // refused or unreachable: the next address may serve (IPv4 after IPv6)
                socket.close();
                last = e;
            }
        }
        throw last;
    }

    private Socket handshake(Socket socket, String host, int port, long deadlineNanos) throws IOException {
        SSLSocket secure = (SSLSocket) tls.createSocket(socket, host, port, true);
        SSLParameters parameters = secure.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (!isAddressLiteral(host)) {
            parameters.setServerNames(List.of(new SNIHostName(host)));
        }
        secure.setSSLParameters(parameters);
        secure.setSoTimeout(remainingMillis(deadlineNanos));
        secure.startHandshake();
        return secure;
    }

    private static String request(URI uri) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        String host = uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
        return "GET " + path + query + " HTTP/1.1\r\nHost: " + host + "\r\nAccept: image/*, */*\r\n"
                + "Accept-Encoding: identity\r\nUser-Agent: aidetect-embedder\r\nConnection: close\r\n\r\n";
    }

    /** The host without the brackets of an IPv6 literal, as TLS and certificates name it. */
    private static String bareHost(URI uri) {
        String host = uri.getHost();
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    private static boolean isAddressLiteral(String host) {
        return host.contains(":") || host.matches("[0-9.]+");
    }

    static int remainingMillis(long deadlineNanos) throws SocketTimeoutException {
        long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        return (int) Math.min(left, Integer.MAX_VALUE);
    }

    /** Bounds every read by what is left of the deadline, so a server that trickles bytes cannot stretch the fetch. */
    private static final class DeadlineStream extends FilterInputStream {
        private final Socket socket;
        private final long deadlineNanos;

        DeadlineStream(Socket socket, long deadlineNanos) throws IOException {
            super(socket.getInputStream());
            this.socket = socket;
            this.deadlineNanos = deadlineNanos;
        }

        @Override
        public int read() throws IOException {
            socket.setSoTimeout(remainingMillis(deadlineNanos));
            return super.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            socket.setSoTimeout(remainingMillis(deadlineNanos));
            return super.read(buffer, offset, length);
        }
    }
}
