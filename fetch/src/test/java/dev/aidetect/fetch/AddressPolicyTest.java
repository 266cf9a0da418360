package dev.aidetect.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each range's first and last address, and the addresses just outside it, against the range the policy names
 * ("public" for none). IPv6 literals of the form {@code ::ffff:a.b.c.d} are kept as IPv6 objects, as a resolver may
 * return them, rather than read as IPv4 the way the JDK parses them.
 */
class AddressPolicyTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            0.0.0.0                 | 0.0.0.0/8
            0.255.255.255           | 0.0.0.0/8
            1.0.0.0                 | public
            9.255.255.255           | public
            10.0.0.0                | 10.0.0.0/8
            10.255.255.255          | 10.0.0.0/8
            11.0.0.0                | public
            100.63.255.255          | public
            100.64.0.0              | 100.64.0.0/10
            100.127.255.255         | 100.64.0.0/10
            100.128.0.0             | public
            126.255.255.255         | public
            127.0.0.0               | 127.0.0.0/8
            127.255.255.255         | 127.0.0.0/8
            128.0.0.0               | public
            169.253.255.255         | public
            169.254.0.0             | 169.254.0.0/16
            169.254.169.254         | 169.254.0.0/16
            169.254.255.255         | 169.254.0.0/16
            169.255.0.0             | public
            172.15.255.255          | public
            172.16.0.0              | 172.16.0.0/12
            172.31.255.255          | 172.16.0.0/12
            172.32.0.0              | public
            191.255.255.255         | public
            192.0.0.0               | 192.0.0.0/24
            192.0.0.255             | 192.0.0.0/24
            192.0.1.255             | public
            192.0.2.0               | 192.0.2.0/24
            192.0.2.255             | 192.0.2.0/24
            192.0.3.0               | public
            192.88.98.255           | public
            192.88.99.0             | 192.88.99.0/24
            192.88.99.255           | 192.88.99.0/24
            192.88.100.0            | public
            192.167.255.255         | public
            192.168.0.0             | 192.168.0.0/16
            192.168.255.255         | 192.168.0.0/16
            192.169.0.0             | public
            198.17.255.255          | public
            198.18.0.0              | 198.18.0.0/15
            198.19.255.255          | 198.18.0.0/15
            198.20.0.0              | public
            198.51.99.255           | public
            198.51.100.0            | 198.51.100.0/24
            198.51.100.255          | 198.51.100.0/24
            198.51.101.0            | public
            203.0.112.255           | public
            203.0.113.0             | 203.0.113.0/24
            203.0.113.255           | 203.0.113.0/24
            203.0.114.0             | public
            223.255.255.255         | public
            224.0.0.0               | multicast 224.0.0.0/4
            239.255.255.255         | multicast 224.0.0.0/4
            240.0.0.0               | reserved 240.0.0.0/4
            255.255.255.254         | reserved 240.0.0.0/4
            255.255.255.255         | broadcast 255.255.255.255/32
            8.8.8.8                 | public
            ::                      | unspecified ::/128
            ::1                     | loopback ::1/128
            ::2                     | IPv4-compatible ::/96 carrying 'this network' 0.0.0.0/8
            ::127.0.0.1             | IPv4-compatible ::/96 carrying loopback 127.0.0.0/8
            ::10.0.0.1              | IPv4-compatible ::/96 carrying private 10.0.0.0/8
            ::8.8.8.8               | public
            ::255.255.255.255       | IPv4-compatible ::/96 carrying broadcast
            ::1:0:0                 | reserved, outside global unicast 2000::/3
            ::fffe:ffff:ffff        | reserved, outside global unicast 2000::/3
            ::ffff:0.0.0.0          | IPv4-mapped ::ffff:0:0/96 carrying 'this network' 0.0.0.0/8
            ::ffff:127.0.0.1        | IPv4-mapped ::ffff:0:0/96 carrying loopback 127.0.0.0/8
            ::ffff:169.254.169.254  | IPv4-mapped ::ffff:0:0/96 carrying link-local (cloud metadata) 169.254.0.0/16
            ::ffff:100.64.0.1       | IPv4-mapped ::ffff:0:0/96 carrying carrier-grade NAT 100.64.0.0/10
            ::ffff:8.8.8.8          | public
            ::1:0:0:0               | reserved, outside global unicast 2000::/3
            64:ff9b::7f00:1         | NAT64 64:ff9b::/96 carrying loopback 127.0.0.0/8
            64:ff9b::c0a8:101       | NAT64 64:ff9b::/96 carrying private 192.168.0.0/16
            64:ff9b::a9fe:a9fe      | NAT64 64:ff9b::/96 carrying link-local (cloud metadata) 169.254.0.0/16
            64:ff9b::808:808        | public
            64:ff9b::1:0:0          | reserved, outside global unicast 2000::/3
            64:ff9b:1::             | local-use NAT64 64:ff9b:1::/48
            64:ff9b:1::808:808      | local-use NAT64 64:ff9b:1::/48
            64:ff9b:1:ffff:ffff:ffff:ffff:ffff | local-use NAT64 64:ff9b:1::/48
            64:ff9b:2::             | reserved, outside global unicast 2000::/3
            100::                   | discard-only 100::/64
            100::ffff:ffff:ffff:ffff | discard-only 100::/64
            100:0:0:1::             | reserved, outside global unicast 2000::/3
            1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | reserved, outside global unicast 2000::/3
            2000::                  | public
            2000:ffff:ffff:ffff:ffff:ffff:ffff:ffff | public
            2001:0:4136:e378:8000:63bf:80ff:fffe | Teredo client 2001::/32 carrying loopback 127.0.0.0/8
            2001:0:4136:e378:8000:63bf:f5ff:fffe | Teredo client 2001::/32 carrying private 10.0.0.0/8
            2001:0:a00:1:0:0:f7f7:f7f7 | Teredo server 2001::/32 carrying private 10.0.0.0/8
            2001:0:4136:e378:8000:63bf:f7f7:f7f7 | public
            2001:1::1               | public
            2001:1:ffff:ffff:ffff:ffff:ffff:ffff | public
            2001:2::                | benchmarking 2001:2::/48
            2001:2:0:ffff:ffff:ffff:ffff:ffff | benchmarking 2001:2::/48
            2001:2:1::              | public
            2001:f:ffff:ffff:ffff:ffff:ffff:ffff | public
            2001:10::               | deprecated ORCHID 2001:10::/28
            2001:1f:ffff:ffff:ffff:ffff:ffff:ffff | deprecated ORCHID 2001:10::/28
            2001:20::               | public
            2001:db7:ffff:ffff:ffff:ffff:ffff:ffff | public
            2001:db8::              | documentation 2001:db8::/32
            2001:db8:ffff:ffff:ffff:ffff:ffff:ffff | documentation 2001:db8::/32
            2001:db9::              | public
            2002:7f00:1::           | 6to4 2002::/16 carrying loopback 127.0.0.0/8
            2002:c0a8:101::1        | 6to4 2002::/16 carrying private 192.168.0.0/16
            2002:a9fe:a9fe::        | 6to4 2002::/16 carrying link-local (cloud metadata) 169.254.0.0/16
            2002:808:808::          | public
            2003::                  | public
            2606:4700:4700::1111    | public
            3ffe:ffff:ffff:ffff:ffff:ffff:ffff:ffff | public
            3fff::                  | documentation 3fff::/20
            3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff | documentation 3fff::/20
            3fff:1000::             | public
            4000::                  | reserved, outside global unicast 2000::/3
            5eff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | reserved, outside global unicast 2000::/3
            5f00::                  | SRv6 segment identifiers 5f00::/16
            5f00:ffff:ffff:ffff:ffff:ffff:ffff:ffff | SRv6 segment identifiers 5f00::/16
            fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | reserved, outside global unicast 2000::/3
            fc00::                  | unique local fc00::/7
            fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | unique local fc00::/7
            fe00::                  | reserved, outside global unicast 2000::/3
            fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff | reserved, outside global unicast 2000::/3
            fe80::                  | link-local fe80::/10
            fe80::1%1               | link-local fe80::/10
            febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff | link-local fe80::/10
            fec0::                  | deprecated site-local fec0::/10
            feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | deprecated site-local fec0::/10
            ff00::                  | multicast ff00::/8
            ff02::1                 | multicast ff00::/8
            ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | multicast ff00::/8
            """)
    void namesTheInternalRangeOfEachAddress(String literal, String expected) throws UnknownHostException {
        // given
        InetAddress address = parse(literal);

        // when
        String range = AddressPolicy.internalRange(address).orElse("public");

        // then
        assertThat(range).contains(expected);
        assertThat(AddressPolicy.isInternal(address)).isEqualTo(!"public".equals(expected));
    }

    private static InetAddress parse(String literal) throws UnknownHostException {
        InetAddress address = InetAddress.ofLiteral(literal);
        if (address instanceof Inet4Address && literal.contains(":")) {
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xFF;
            mapped[11] = (byte) 0xFF;
            System.arraycopy(address.getAddress(), 0, mapped, 12, 4);
            return Inet6Address.getByAddress(null, mapped, -1);
        }
        return address;
    }
}
