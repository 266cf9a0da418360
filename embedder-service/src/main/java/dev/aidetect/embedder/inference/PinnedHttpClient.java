package dev.aidetect.embedder.inference;

import java.io.BufferedInputStream;
import java.io.IOException;
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
     * response) within {@code deadline}, whose expiry, in whatever phase, is a {@link FetchDeadline.ExpiredException};
     * a body over {@code maxBytes} is a {@link HttpResponseReader.TooLargeException}.
     */
    HttpResponseReader.Response get(URI uri, List<InetAddress> addresses, FetchDeadline deadline, long maxBytes)
            throws IOException {
        try {
            return exchange(uri, addresses, deadline, maxBytes);
        } catch (IOException e) { // after a close at the deadline, a read fails as "Socket closed": it was the deadline
            throw deadline.passed() || e instanceof SocketTimeoutException ? deadline.expired(e) : e;
        }
    }

    private HttpResponseReader.Response exchange(URI uri, List<InetAddress> addresses, FetchDeadline deadline,
            long maxBytes) throws IOException {
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() != -1 ? uri.getPort() : https ? 443 : 80;
        Socket socket = connect(addresses, port, deadline);
        try {
            if (https) {
                deadline.enter(FetchDeadline.Phase.TLS);
                socket = handshake(socket, bareHost(uri), port, deadline);
            }
            deadline.enter(FetchDeadline.Phase.HEADERS);
            socket.setSoTimeout(deadline.remainingMillis());
            OutputStream out = socket.getOutputStream();
            out.write(request(uri).getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return new HttpResponseReader(new BufferedInputStream(socket.getInputStream()), maxBytes, deadline).read();
        } finally {
            socket.close();
        }
    }

    private static Socket connect(List<InetAddress> addresses, int port, FetchDeadline deadline) throws IOException {
        deadline.enter(FetchDeadline.Phase.CONNECT);
        IOException last = new IOException("the host has no address");
        for (InetAddress address : addresses) {
            Socket socket = new Socket();
            deadline.guard(socket);
            try {
                socket.connect(new InetSocketAddress(address, port), deadline.remainingMillis());
                return socket;
            } catch (IOException e) { // refused or unreachable: the next address may serve (IPv4 after IPv6)
                socket.close();
                if (e instanceof SocketTimeoutException || deadline.passed()) {
                    throw e;
                }
                last = e;
            }
        }
        throw last;
    }

    /** The handshake's reads each wait at most the time left, and the deadline's close ends a trickled one. */
    private Socket handshake(Socket socket, String host, int port, FetchDeadline deadline) throws IOException {
        SSLSocket secure = (SSLSocket) tls.createSocket(socket, host, port, true);
        SSLParameters parameters = secure.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (!isAddressLiteral(host)) {
            parameters.setServerNames(List.of(new SNIHostName(host)));
        }
        secure.setSSLParameters(parameters);
        secure.setSoTimeout(deadline.remainingMillis());
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
}
