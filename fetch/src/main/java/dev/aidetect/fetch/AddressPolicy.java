package dev.aidetect.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * Tells internal addresses from public ones for the fetch's SSRF guard: every IPv4 range that IANA's special-purpose
 * registry marks not globally reachable, plus multicast, reserved and broadcast; for IPv6 the same, everything outside
 * global unicast {@code 2000::/3}, and the IPv4 address that mapped, compatible, NAT64, 6to4 and Teredo addresses
 * carry inside them, judged as IPv4 (the packet ends up there).
 */
final class AddressPolicy {

    /** A CIDR block and what it is, for the refusal message. */
    private record Range(String cidr, byte[] prefix, int bits, String name) {

        static Range of(String cidr, String name) {
            int slash = cidr.indexOf('/');
            return new Range(cidr, literal(cidr.substring(0, slash)), Integer.parseInt(cidr.substring(slash + 1)),
                    name);
        }

        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            for (int bit = 0; bit < bits; bit += 8) {
                int mask = bits - bit >= 8 ? 0xFF : 0xFF << (8 - (bits - bit)) & 0xFF;
                if (((address[bit / 8] ^ prefix[bit / 8]) & mask) != 0) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String toString() {
            return name + " " + cidr;
        }
    }

    /** An IPv6 block whose addresses carry an IPv4 address at {@code offset} (XORed with {@code xor}). */
    private record Embedding(Range range, int offset, int xor) {
    }

    /** The first range that matches names the refusal, so broadcast comes before the reserved 240/4 around it. */
    private static final List<Range> IPV4 = List.of(Range.of("0.0.0.0/8", "'this network'"),
            Range.of("10.0.0.0/8", "private"), Range.of("100.64.0.0/10", "carrier-grade NAT"),
            Range.of("127.0.0.0/8", "loopback"), Range.of("169.254.0.0/16", "link-local (cloud metadata)"),
            Range.of("172.16.0.0/12", "private"), Range.of("192.0.0.0/24", "IETF protocol assignments"),
            Range.of("192.0.2.0/24", "documentation"), Range.of("192.88.99.0/24", "deprecated 6to4 relay anycast"),
            Range.of("192.168.0.0/16", "private"), Range.of("198.18.0.0/15", "benchmarking"),
            Range.of("198.51.100.0/24", "documentation"), Range.of("203.0.113.0/24", "documentation"),
            Range.of("224.0.0.0/4", "multicast"), Range.of("255.255.255.255/32", "broadcast"),
            Range.of("240.0.0.0/4", "reserved"));

    private static final List<Range> IPV6 = List.of(Range.of("::/128", "unspecified"), Range.of("::1/128", "loopback"),
            Range.of("64:ff9b:1::/48", "local-use NAT64"), Range.of("100::/64", "discard-only"),
            Range.of("2001:2::/48", "benchmarking"), Range.of("2001:10::/28", "deprecated ORCHID"),
            Range.of("2001:db8::/32", "documentation"), Range.of("3fff::/20", "documentation"),
            Range.of("5f00::/16", "SRv6 segment identifiers"), Range.of("fc00::/7", "unique local"),
            Range.of("fe80::/10", "link-local"), Range.of("fec0::/10", "deprecated site-local"),
            Range.of("ff00::/8", "multicast"));

    private static final Range GLOBAL_UNICAST = Range.of("2000::/3", "global unicast");

    /** Teredo carries two IPv4 addresses: its server's in the clear and the client's inverted in the last 32 bits. */
    private static final List<Embedding> EMBEDDINGS = List.of(
            new Embedding(Range.of("::ffff:0:0/96", "IPv4-mapped"), 12, 0),
            new Embedding(Range.of("::/96", "IPv4-compatible"), 12, 0),
            new Embedding(Range.of("64:ff9b::/96", "NAT64"), 12, 0), new Embedding(Range.of("2002::/16", "6to4"), 2, 0),
            new Embedding(Range.of("2001::/32", "Teredo server"), 4, 0),
            new Embedding(Range.of("2001::/32", "Teredo client"), 12, 0xFF));

    private AddressPolicy() {
    }

    static boolean isInternal(InetAddress address) {
        return internalRange(address).isPresent();
    }

    /** The internal range {@code address} lies in, named for a refusal message; empty for a public address. */
    static Optional<String> internalRange(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length == 4) {
            return IPV4.stream().filter(range -> range.contains(bytes)).findFirst().map(Range::toString);
        }
        Optional<String> special = IPV6.stream().filter(range -> range.contains(bytes)).findFirst()
                .map(Range::toString);
        if (special.isPresent()) {
            return special;
        }
        boolean carriesIpv4 = false;
        for (Embedding embedding : EMBEDDINGS) {
            if (embedding.range().contains(bytes)) {
                carriesIpv4 = true;
                Optional<String> inner = internalRange(embedded(bytes, embedding));
                if (inner.isPresent()) {
                    return Optional.of(embedding.range() + " carrying " + inner.get());
                }
            }
        }
        // outside 2000::/3, only an address carrying a public IPv4 one (::ffff:8.8.8.8, 64:ff9b::808:808) goes public
        return carriesIpv4 || GLOBAL_UNICAST.contains(bytes)
                ? Optional.empty()
                : Optional.of("reserved, outside " + GLOBAL_UNICAST);
    }

    private static InetAddress embedded(byte[] bytes, Embedding embedding) {
        byte[] ipv4 = new byte[4];
        for (int i = 0; i < 4; i++) {
            ipv4[i] = (byte) (bytes[embedding.offset() + i] ^ embedding.xor());
        }
        return address(ipv4);
    }

    /** The address's bytes, 16 for any IPv6 literal (the JDK reads {@code ::ffff:a.b.c.d} as IPv4). */
    private static byte[] literal(String text) {
        byte[] bytes = InetAddress.ofLiteral(text).getAddress();
        if (bytes.length == 16 || !text.contains(":")) {
            return bytes;
        }
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xFF;
        mapped[11] = (byte) 0xFF;
        System.arraycopy(bytes, 0, mapped, 12, 4);
        return mapped;
    }

    private static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("not an IPv4 or IPv6 address: " + bytes.length + " bytes", e);
        }
    }
}
