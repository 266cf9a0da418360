package dev.aidetect.fetch;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.function.Predicate;

import org.apache.hc.client5.http.DnsResolver;

/**
 * HttpClient's only way to turn a host name into addresses: one lookup through {@link HostLookup}, within the running
 * fetch's deadline, answered only when no address is internal ({@link AddressPolicy}, unless private addresses are
 * allowed). The client connects to exactly the addresses returned here, so a second DNS answer (rebinding: public to
 * the check, internal to the connection) never reaches a socket.
 */
final class VettingDnsResolver implements DnsResolver {

    /** The host was refused or could not be looked up; the message says why, after "image uri X ". */
    static final class RefusedHostException extends UnknownHostException {
        RefusedHostException(String message, Throwable cause) {
            super(message);
            initCause(cause);
        }
    }

    private final HostLookup lookup;
    private final Predicate<InetAddress> internal;
    private final FetchSettings settings;

    VettingDnsResolver(HostLookup lookup, Predicate<InetAddress> internal, FetchSettings settings) {
        this.lookup = lookup;
        this.internal = internal;
        this.settings = settings;
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        FetchDeadline deadline = FetchDeadline.current();
        List<InetAddress> addresses;
        try {
            addresses = lookup.resolve(host, deadline);
        } catch (UnknownHostException e) {
            throw e;
        } catch (IOException e) { // the deadline (the fetcher names it) or a lookup pool that is full
            throw new RefusedHostException("could not look up host '" + host + "' (" + e.getMessage() + ")", e);
        }
        for (InetAddress address : addresses) {
            if (!settings.allowPrivateAddresses() && internal.test(address)) {
                throw new RefusedHostException("resolves to internal address " + address.getHostAddress() + " ("
                        + AddressPolicy.internalRange(address).orElse("refused by policy") + "): refused unless "
                        + settings.fetchSetting("allow-private-addresses") + "=true", null);
            }
        }
        try {
            deadline.enter(FetchDeadline.Phase.CONNECT);
        } catch (FetchDeadline.ExpiredException e) {
            throw new RefusedHostException(e.getMessage(), e);
        }
        return addresses.toArray(InetAddress[]::new);
    }

    /** Only Kerberos/SPNEGO asks for it, and the fetcher authenticates nowhere: the name as given, no lookup. */
    @Override
    public String resolveCanonicalHostname(String host) {
        return host;
    }
}
