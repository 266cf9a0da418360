package dev.aidetect.fetch;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;

import javax.net.ssl.SSLContext;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.ChainElement;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.io.Closer;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * GETs over Apache HttpClient, held to a fetch's rules: host names become addresses only through the given resolver
 * (the vetted ones), redirects are not followed, nothing is retried or decompressed, TLS verifies the URI's host
 * against the JDK's trust, and the fetch's {@link FetchDeadline} bounds it all: the request is cancelled when the time
 * is up, whatever phase it is in, and each phase is noted so a timeout names it. The body is read up to the byte cap
 * and no further.
 */
final class GuardedHttpClient implements AutoCloseable {

    /** The response: its status code and, for a 200, its body (else empty). */
    record Response(int status, byte[] body) {
    }

    /** The body is longer than the byte limit. */
    static final class TooLargeException extends IOException {
        TooLargeException(long maxBytes) {
            super("response body is over " + maxBytes + " bytes");
        }
    }

    /** Connections kept for reuse; fetches beyond them wait for one, within their deadline. */
    private static final int CONNECTIONS_PER_HOST = 32;
    private static final int CONNECTIONS = 128;
    /** A kept connection is not reused after this, so a host's DNS changes are seen (and vetted) again. */
    private static final TimeValue CONNECTION_LIFETIME = TimeValue.ofMinutes(1);

    /** Response header limits, so a hostile server cannot make the fetcher buffer without bound before the body. */
    private static final Http1Config HEADER_LIMITS = Http1Config.custom().setMaxLineLength(8192).setMaxHeaderCount(100)
            .build();

    private final CloseableHttpClient client;

    GuardedHttpClient(DnsResolver dns, SSLContext tls, Duration timeout) {
        Timeout limit = Timeout.of(timeout);
        TlsSocketStrategy verified = new DefaultClientTlsStrategy(tls, HostnameVerificationPolicy.BUILTIN, null);
        TlsSocketStrategy phased = (socket, target, port, attachment, context) -> {
            FetchDeadline.current().enter(FetchDeadline.Phase.TLS);
            return verified.upgrade(socket, target, port, attachment, context);
        };
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create().setDnsResolver(dns)
                        .setTlsSocketStrategy(phased)
                        .setConnectionFactory(
                                ManagedHttpClientConnectionFactory.builder().http1Config(HEADER_LIMITS).build())
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(limit)
                                .setSocketTimeout(limit).setTimeToLive(CONNECTION_LIFETIME).build())
                        .setMaxConnPerRoute(CONNECTIONS_PER_HOST).setMaxConnTotal(CONNECTIONS).build())
                // after the connection is made (and secured), before the request is sent
                .addExecInterceptorBefore(ChainElement.MAIN_TRANSPORT.name(), "fetch-phase",
                        (request, scope, chain) -> {
                            FetchDeadline.current().enter(FetchDeadline.Phase.HEADERS);
                            return chain.proceed(request, scope);
                        })
                .disableRedirectHandling().disableAutomaticRetries().disableContentCompression()
                .disableCookieManagement().disableAuthCaching().setUserAgent("aidetect-fetch").build();
    }

    /**
     * GETs {@code uri} within {@code deadline}, whose expiry, in whatever phase, is a
     * {@link FetchDeadline.ExpiredException}; a body over {@code maxBytes} is a {@link TooLargeException}.
     */
    Response get(URI uri, FetchDeadline deadline, long maxBytes) throws IOException {
        HttpGet request = new HttpGet(uri);
        request.setHeader(HttpHeaders.ACCEPT, "image/*, */*");
        // without it any coding is acceptable (RFC 9110), and the client decompresses nothing: ask for the bytes as stored
        request.setHeader(HttpHeaders.ACCEPT_ENCODING, "identity");
        request.setConfig(RequestConfig.custom().setConnectionRequestTimeout(deadline.remaining())
                .setResponseTimeout(deadline.remaining()).build());
        deadline.cancelAtExpiry(request);
        try {
            return ScopedValue.where(FetchDeadline.CURRENT, deadline).call(() -> exchange(request, deadline, maxBytes));
        } catch (IOException e) { // after a cancel at the deadline, the request fails as aborted or closed: the deadline
            throw deadline.passed() || e instanceof SocketTimeoutException ? deadline.expired(e) : e;
        }
    }

    private Response exchange(HttpGet request, FetchDeadline deadline, long maxBytes) throws IOException {
        ClassicHttpResponse response = client.executeOpen(null, request, null);
        boolean readToEnd = false;
        try {
            if (response.getCode() != 200) {
                return new Response(response.getCode(), new byte[0]);
            }
            deadline.enter(FetchDeadline.Phase.BODY);
            HttpEntity entity = response.getEntity();
            if (entity == null) {
                readToEnd = true;
                return new Response(200, new byte[0]);
            }
            if (entity.getContentLength() > maxBytes) {
                throw new TooLargeException(maxBytes);
            }
            byte[] body = entity.getContent().readNBytes((int) maxBytes + 1);
            if (body.length > maxBytes) {
                throw new TooLargeException(maxBytes);
            }
            readToEnd = true;
            return new Response(200, body);
        } finally {
            if (readToEnd) {
                response.close(); // the connection goes back to the pool
            } else {
                request.cancel(); // drops the connection: closing the response would read the rest of the body first
                Closer.closeQuietly(response);
            }
        }
    }

    @Override
    public void close() {
        client.close(CloseMode.GRACEFUL);
    }
}
